package io.lb4j.http;

import io.lb4j.core.Balancer;
import io.lb4j.http.testing.RecordingServer;
import io.lb4j.http.testing.TestCertificates;
import io.lb4j.testing.ScriptedRandom;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Run by {@link HostHeaderTest} in a JVM started with {@code -Djdk.httpclient.allowRestrictedHeaders=host}
 * (the JDK reads it once, so it cannot be set from a test): prints what backends saw, one line each.
 */
final class HostPropertyMain {
    private HostPropertyMain() {}

    /**
     * {@code loopback}: the JDK servers of {@link HostHeaderTest}; {@code nginx <port>}: HTTPS
     * over HTTP/1.1 and HTTP/2 to the nginx of {@link NginxTest}.
     */
    public static void main(String[] args) throws Exception {
        if (!ServiceClients.HOST_HEADER_ALLOWED) {
            throw new IllegalStateException("started without -Djdk.httpclient.allowRestrictedHeaders=host");
        }
        if (args[0].equals("nginx")) {
            nginx(Integer.parseInt(args[1]));
        } else {
            loopback();
        }
    }

    private static void nginx(int port) throws Exception {
        Balancer users = Balancer.builder("users.internal").endpoints("127.0.0.1:" + port).build();
        for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2)) {
            HttpClient tls = HttpClient.newBuilder().version(version).sslContext(TestCertificates.get().clientContext()).build();
            try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder(tls).service(users).build()) {
                HttpResponse<String> r = client.send(get("https://users.internal/v"), BodyHandlers.ofString());
                System.out.println("nginx " + version + " " + (r.statusCode() == 200 ? r.body() : "status " + r.statusCode()));
            }
        }
        // why not over HTTP/2: the JDK alone, sending :authority from the URI and the Host header besides
        HttpClient h2 = HttpClient.newBuilder().sslContext(TestCertificates.get().clientContext())
                .sslParameters(sni(TestCertificates.get().clientContext())).build();
        HttpRequest withHost = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/v")).header("Host", "users.internal").build();
        HttpResponse<String> r = h2.send(withHost, BodyHandlers.ofString());
        System.out.println("nginx plain JDK " + r.version() + " with Host: status " + r.statusCode());
    }

    private static SSLParameters sni(SSLContext context) {
        SSLParameters p = context.getDefaultSSLParameters();
        p.setServerNames(List.of(new SNIHostName("users.internal")));
        return p;
    }

    private static void loopback() throws Exception {
        RetryPolicy noBackoff = RetryPolicy.builder().backoff(Duration.ZERO, Duration.ZERO).build();
        try (RecordingServer a = RecordingServer.http("a").status(503); RecordingServer b = RecordingServer.http("b");
                RecordingServer c = RecordingServer.http("c");
                RecordingServer s = RecordingServer.https("s", TestCertificates.get().serverContext("users"), false)) {
            Balancer users = Balancer.builder("users.internal").endpoints(a.endpoint(), b.endpoint()).random(ScriptedRandom.zeros()).build();
            try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder(http11()).service(users, noBackoff).build()) {
                String body = client.send(get("http://users.internal/x?q=1"), BodyHandlers.ofString()).body();
                print("http11 a", a.requests().get(0));
                print("http11 b", b.requests().get(0));
                System.out.println("http11 body=" + body);
            }

            Balancer secure = Balancer.builder("users.internal").endpoints(s.endpoint()).build();
            HttpClient tls = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .sslContext(TestCertificates.get().clientContext()).build();
            try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder(tls).service(secure).build()) {
                client.send(get("https://users.internal:8443/y"), BodyHandlers.ofString());
                print("https11", s.requests().get(0));
            }

            Balancer plain = Balancer.builder("users.internal").endpoints(c.endpoint()).build();
            HttpClient http2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder(http2).service(plain).build()) {
                client.send(get("http://users.internal/z"), BodyHandlers.ofString());
                print("http2", c.requests().get(0));
            }

            try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder(http11()).service(plain).build()) {
                client.send(HttpRequest.newBuilder(URI.create("http://users.internal/o")).header("Host", "mine.example").build(),
                        BodyHandlers.ofString());
                print("own", c.requests().get(1));
            }
        }
    }

    /** A delegate per client: on Java 21+ closing a client closes its delegate. */
    private static HttpClient http11() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    private static HttpRequest get(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).build();
    }

    private static void print(String what, RecordingServer.Request r) {
        System.out.println(what + " host=" + r.host + " target=" + r.target + (r.serverName != null ? " sni=" + r.serverName : ""));
    }
}
