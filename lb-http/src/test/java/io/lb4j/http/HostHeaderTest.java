package io.lb4j.http;

import static io.lb4j.http.Fixtures.balancer;
import static io.lb4j.http.Fixtures.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Balancer;
import io.lb4j.core.EndpointState;
import io.lb4j.core.Picker;
import io.lb4j.core.Strategy;
import io.lb4j.core.StrategyContext;
import io.lb4j.http.testing.RecordingServer;
import io.lb4j.http.testing.TestCertificates;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a backend sees as the request's authority (request target and {@code Host}): in this JVM,
 * started without {@code -Djdk.httpclient.allowRestrictedHeaders=host}, and in a child JVM with it.
 */
class HostHeaderTest extends LoopbackTestSupport {
    private static final RetryPolicy NO_BACKOFF = RetryPolicy.builder().backoff(Duration.ZERO, Duration.ZERO).build();

    /**
     * Every call tries {@code first}, then (a retry avoids it) {@code second}: round-robin would
     * send the second call to {@code second} at once, since a retry does not step its sequence.
     */
    private static Balancer aThenB(String service, RecordingServer first, RecordingServer second) {
        Strategy firstNotAvoided = new Strategy() {
            @Override
            public String name() {
                return "first-not-avoided";
            }

            @Override
            public Picker newPicker(List<EndpointState> endpoints, StrategyContext context) {
                return pick -> endpoints.stream().filter(e -> !pick.avoids(e.endpoint())).findFirst()
                        .orElse(endpoints.get(0));
            }
        };
        return Balancer.builder(service).endpoints(first.endpoint(), second.endpoint()).strategy(firstNotAvoided).build();
    }

    @Test
    void plainHttpBackendsSeeTheServiceAsHostOnEveryAttemptIncludingARetryOnAnotherEndpoint() throws Exception {
        assertThat(ServiceClients.HOST_HEADER_ALLOWED).isFalse();
        RecordingServer a = closeLater(RecordingServer.http("a")).status(503);
        RecordingServer b = closeLater(RecordingServer.http("b"));
        LoadBalancedHttpClient client = closeLater(LoadBalancedHttpClient.builder(HttpClient.newHttpClient())
                .service(aThenB("users.internal", a, b), NO_BACKOFF).build());

        HttpResponse<String> sync = client.send(get("http://users.internal/x?q=1"), BodyHandlers.ofString());
        HttpResponse<String> async = client.sendAsync(get("http://users.internal:8080/y"), BodyHandlers.ofString()).join();

        assertThat(List.of(sync.body(), async.body())).containsExactly("b", "b");
        assertThat(client.stats("users.internal").retries()).isEqualTo(2);
        for (RecordingServer s : List.of(a, b)) {
            assertThat(s.requests()).extracting(r -> r.host).containsExactly("users.internal", "users.internal:8080");
            assertThat(s.requests()).extracting(r -> r.target)
                    .containsExactly("http://users.internal/x?q=1", "http://users.internal:8080/y");
        }
    }

    @Test
    void serviceHostHeaderOffSendsTheEndpointAddressInTheOriginForm() throws Exception {
        RecordingServer a = closeLater(RecordingServer.http("a"));
        LoadBalancedHttpClient client = closeLater(LoadBalancedHttpClient.builder(HttpClient.newHttpClient())
                .service(balancer("users.internal", a)).serviceHostHeader(false).build());

        client.send(get("http://users.internal/x"), BodyHandlers.ofString());

        assertThat(a.requests()).singleElement().satisfies(r -> {
            assertThat(r.host).isEqualTo(a.endpoint().authority());
            assertThat(r.target).isEqualTo("/x");
        });
    }

    @Test
    void aDelegateWithAProxyOfItsOwnKeepsItAndTheEndpointAddress() throws Exception {
        RecordingServer proxy = closeLater(RecordingServer.http("corporate-proxy"));
        Balancer users = Balancer.builder("users.internal").endpoints("10.255.0.1:8080").build();
        HttpClient delegate = HttpClient.newBuilder().proxy(ProxySelector.of(
                new InetSocketAddress(proxy.endpoint().host(), proxy.endpoint().port()))).build();
        LoadBalancedHttpClient client = closeLater(LoadBalancedHttpClient.builder(delegate).service(users).build());

        assertThat(client.send(get("http://users.internal/x"), BodyHandlers.ofString()).body()).isEqualTo("corporate-proxy");

        assertThat(proxy.requests()).singleElement().satisfies(r -> {
            assertThat(r.target).isEqualTo("http://10.255.0.1:8080/x");
            assertThat(r.host).isEqualTo("10.255.0.1:8080");
        });
    }

    @Test
    void httpsBackendsSeeTheEndpointAsHostWithoutTheProperty() throws Exception {
        TestCertificates certs = TestCertificates.get();
        RecordingServer a = closeLater(RecordingServer.https("a", certs.serverContext("users"), false));
        HttpClient delegate = HttpClient.newBuilder().sslContext(certs.clientContext()).version(HttpClient.Version.HTTP_1_1).build();
        LoadBalancedHttpClient client = closeLater(LoadBalancedHttpClient.builder(delegate)
                .service(balancer("users.internal", a)).build());

        client.send(get("https://users.internal/x"), BodyHandlers.ofString());

        assertThat(a.requests()).singleElement().satisfies(r -> {
            assertThat(r.host).isEqualTo(a.endpoint().authority());
            assertThat(r.target).isEqualTo("/x");
            assertThat(r.serverName).isEqualTo("users.internal");
        });
    }

    @Test
    void withTheHostPropertyHttp11AttemptsCarryTheServiceAsHostInTheOriginFormOverHttpAndHttps() throws Exception {
        List<String> lines = runWithHostProperty("loopback");

        // plain HTTP, HTTP/1.1: origin form, Host header = the service, on the retry too
        assertThat(lines).contains(
                "http11 a host=users.internal target=/x?q=1",
                "http11 b host=users.internal target=/x?q=1",
                "http11 body=b");
        // HTTPS, HTTP/1.1: Host = the service, SNI = the service
        assertThat(lines).contains("https11 host=users.internal:8443 target=/y sni=users.internal");
        // plain HTTP, HTTP/2 client: no Host header next to :authority; the endpoint proxy instead
        assertThat(lines).contains("http2 host=users.internal target=http://users.internal/z");
        // a Host header the caller set is kept
        assertThat(lines).contains("own host=mine.example target=/o");
    }

    /** Runs {@link HostPropertyMain} with {@code args} in a JVM started with {@code -Djdk.httpclient.allowRestrictedHeaders=host}. */
    static List<String> runWithHostProperty(String... args) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Djdk.httpclient.allowRestrictedHeaders=host", "-Dsun.net.httpserver.nodelay=true",
                "-D" + TestCertificates.DIRECTORY_PROPERTY + "=" + TestCertificates.get().directory(),
                "-cp", classPath, HostPropertyMain.class.getName()).redirectErrorStream(true);
        pb.command().addAll(List.of(args));
        Process p = pb.start();
        boolean exited = p.waitFor(60, TimeUnit.SECONDS);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!exited) {
            p.destroyForcibly();
        }
        assertThat(exited).as(output).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return List.of(output.split("\\R"));
    }
}
