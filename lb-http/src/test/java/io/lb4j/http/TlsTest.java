package io.lb4j.http;

import static io.lb4j.http.Fixtures.balancer;
import static io.lb4j.http.Fixtures.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.Selection;
import io.lb4j.http.testing.RecordingServer;
import io.lb4j.http.testing.TestCertificates;
import io.lb4j.testing.ScriptedRandom;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * HTTPS through the client against real TLS servers on 127.0.0.1, with IP endpoints and
 * certificates that name the service only: SNI, certificate checks against the service name,
 * mTLS, and what a certificate failure does to the call and the balancer.
 */
class TlsTest extends LoopbackTestSupport {
    private static final TestCertificates CERTS = TestCertificates.get();
    private static final RetryPolicy NO_BACKOFF = RetryPolicy.builder().backoff(Duration.ZERO, Duration.ZERO).build();

    private RecordingServer https(String name, String certificate) throws IOException {
        return closeLater(RecordingServer.https(name, CERTS.serverContext(certificate), false));
    }

    private static HttpClient delegate(SSLContext context) {
        return HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private LoadBalancedHttpClient client(SSLContext context, Balancer balancer, RetryPolicy policy) {
        return closeLater(LoadBalancedHttpClient.builder(delegate(context)).service(balancer, policy).build());
    }

    @Test
    void ipEndpointsServeACertificateForTheServiceNameOnlyAndTheCallSucceedsWithTheServiceAsSni() throws Exception {
        RecordingServer a = https("a", "users");
        RecordingServer b = https("b", "users");
        LoadBalancedHttpClient client = client(CERTS.clientContext(), balancer("users.internal", a, b), RetryPolicy.ofDefaults());

        HttpResponse<String> first = client.send(get("https://users.internal/x?q=1"), BodyHandlers.ofString());
        HttpResponse<String> second = client.sendAsync(get("https://users.internal/x?q=2"), BodyHandlers.ofString()).join();

        assertThat(List.of(first.statusCode(), second.statusCode())).containsExactly(200, 200);
        assertThat(List.of(first.body(), second.body())).containsExactly("a", "b");
        assertThat(first.sslSession()).hasValueSatisfying(s -> assertThat(s.getPeerHost()).isEqualTo("127.0.0.1"));
        for (RecordingServer s : List.of(a, b)) {
            assertThat(s.requests()).hasSize(1).allSatisfy(r -> {
                assertThat(r.serverName).isEqualTo("users.internal");
                assertThat(r.target).startsWith("/x?q=");
                // without -Djdk.httpclient.allowRestrictedHeaders=host the JDK puts the URI authority in Host
                assertThat(r.host).isEqualTo(s.endpoint().authority());
            });
        }
    }

    @Test
    void withoutTheServiceAsServerNameTheSameCertificateFailsForAnIpEndpoint() throws Exception {
        // the problem this solves, on the JDK alone: what a plain client does with the endpoint's address
        RecordingServer a = https("a", "users");
        HttpClient plain = delegate(CERTS.clientContext());

        Throwable thrown = catchThrowable(() -> plain.send(get("https://" + a.endpoint().authority() + "/"), BodyHandlers.ofString()));

        assertThat(thrown).isInstanceOf(SSLHandshakeException.class).hasMessageContaining("127.0.0.1");
        assertThat(a.requests()).isEmpty();
    }

    @Test
    void aWildcardCertificateForTheServiceDomainIsAccepted() throws Exception {
        RecordingServer a = https("a", "wildcard");
        LoadBalancedHttpClient client = client(CERTS.clientContext(), balancer("users.internal", a), RetryPolicy.ofDefaults());

        assertThat(client.send(get("https://users.internal/"), BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void aCertificateForAnotherNameFailsTheHandshakeWithoutRetryOrVerdictOnTheEndpoint() throws Exception {
        Throwable thrown = failOnceWithoutVerdict("other", false);

        assertThat(thrown).hasRootCauseInstanceOf(CertificateException.class);
    }

    @Test
    void anUntrustedSelfSignedCertificateFailsTheSameWayAlsoAsynchronously() throws Exception {
        Throwable thrown = failOnceWithoutVerdict("untrusted", true);

        assertThat(thrown).hasRootCauseMessage("unable to find valid certification path to requested target");
    }

    /** Two endpoints serving {@code certificate}: one attempt, an SSLHandshakeException, no response, no verdict, no retry. */
    private Throwable failOnceWithoutVerdict(String certificate, boolean async) throws Exception {
        RecordingServer a = https("a", certificate);
        RecordingServer b = https("b", certificate);
        Balancer users = balancer("users.internal", a, b);
        List<Selection.Outcome> outcomes = outcomes(users);
        LoadBalancedHttpClient client = client(CERTS.clientContext(), users, NO_BACKOFF);

        Throwable thrown;
        if (async) {
            thrown = catchThrowable(() -> client.sendAsync(get("https://users.internal/"), BodyHandlers.ofString()).join());
            assertThat(thrown).isInstanceOf(CompletionException.class);
            thrown = thrown.getCause();
        } else {
            thrown = catchThrowable(() -> client.send(get("https://users.internal/"), BodyHandlers.ofString()));
        }

        assertPermanentCertificateFailure(thrown, a);
        assertThat(a.requests()).isEmpty();
        assertThat(b.requests()).as("not retried on the other endpoint").isEmpty();
        assertThat(outcomes).containsExactly(Selection.Outcome.CANCELLED);
        ServiceStats stats = client.stats("users.internal");
        assertThat(stats.attempts()).isEqualTo(1);
        assertThat(stats.failedAttempts()).isEqualTo(1);
        assertThat(stats.retries()).isZero();
        assertThat(stats.failed()).isEqualTo(1);
        return thrown;
    }

    @Test
    void aHedgedCallStartsNoFurtherAttemptAfterACertificateFailure() throws Exception {
        RecordingServer a = https("a", "other");
        RecordingServer b = https("b", "users");
        Balancer users = balancer("users.internal", a, b);
        List<Selection.Outcome> outcomes = outcomes(users);
        RetryPolicy hedged = RetryPolicy.builder().backoff(Duration.ZERO, Duration.ZERO).hedgeAfter(Duration.ofSeconds(30)).build();
        LoadBalancedHttpClient client = client(CERTS.clientContext(), users, hedged);

        Throwable thrown = catchThrowable(() -> client.send(get("https://users.internal/"), BodyHandlers.ofString()));

        assertPermanentCertificateFailure(thrown, a);
        assertThat(b.requests()).isEmpty();
        assertThat(outcomes).containsExactly(Selection.Outcome.CANCELLED);
        assertThat(client.stats("users.internal").attempts()).isEqualTo(1);
    }

    private static void assertPermanentCertificateFailure(Throwable thrown, RecordingServer at) {
        assertThat(thrown).isInstanceOf(SSLHandshakeException.class)
                .hasMessageStartingWith("GET to 'users.internal' failed after 1 attempt: #1 " + at.endpoint().authority()
                        + " SSLHandshakeException: ")
                .hasMessageContaining("(the client rejected the server certificate; for an IP endpoint the JDK checks")
                .hasMessageEndingWith("; no retry: other endpoints are checked against the same name and trust store");
        assertThat(causes(thrown)).anyMatch(c -> c instanceof CertificateException);
        assertThat(TlsFailures.isPermanent(thrown)).isTrue();
    }

    @Test
    void aCertificateNamingOnlyTheEndpointAddressIsAcceptedAsTheJdkFallsBackToIt() throws Exception {
        // documented in docs/http.md: after the server name, the JDK checks the address it connected to
        RecordingServer a = https("a", "other-ip");
        LoadBalancedHttpClient client = client(CERTS.clientContext(), balancer("users.internal", a), NO_BACKOFF);

        assertThat(client.send(get("https://users.internal/"), BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(a.requests().get(0).serverName).isEqualTo("users.internal");
    }

    @Test
    void anEndpointGivenByHostNameIsCheckedAgainstThatNameAsBefore() throws Exception {
        RecordingServer a = https("a", "localhost");
        Balancer users = Balancer.builder("users.internal").endpoints(Endpoint.of("localhost", a.endpoint().port())).build();
        LoadBalancedHttpClient client = client(CERTS.clientContext(), users, NO_BACKOFF);

        assertThat(client.send(get("https://users.internal/"), BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(a.requests().get(0).serverName).isEqualTo("localhost");
    }

    @Test
    void mutualTlsPresentsTheClientCertificateOfTheDelegatesSslContext() throws Exception {
        RecordingServer a = closeLater(RecordingServer.https("a", CERTS.serverContext("users"), true));
        LoadBalancedHttpClient client = client(CERTS.clientContext("client"), balancer("users.internal", a), NO_BACKOFF);

        HttpResponse<String> r = client.send(get("https://users.internal/"), BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(a.requests()).singleElement().satisfies(req -> {
            assertThat(req.clientCertificate).isEqualTo("CN=client.internal");
            assertThat(req.serverName).isEqualTo("users.internal");
        });
    }

    @Test
    void aServerRefusingTheClientIsAnOrdinaryEndpointFailureRetriedElsewhere() throws Exception {
        // with TLS 1.3 the client learns of the refusal as a closed connection, like a reset
        RecordingServer a = closeLater(RecordingServer.https("a", CERTS.serverContext("users"), true));
        RecordingServer b = closeLater(RecordingServer.https("b", CERTS.serverContext("users"), true));
        Balancer users = balancer("users.internal", a, b);
        List<Selection.Outcome> outcomes = outcomes(users);
        LoadBalancedHttpClient client = client(CERTS.clientContext(), users, NO_BACKOFF);

        Throwable thrown = catchThrowable(() -> client.send(get("https://users.internal/"), BodyHandlers.ofString()));

        assertThat(thrown).isInstanceOf(IOException.class);
        assertThat(TlsFailures.isPermanent(thrown)).isFalse();
        assertThat(a.requests()).isEmpty();
        assertThat(b.requests()).isEmpty();
        assertThat(client.stats("users.internal").attempts()).isEqualTo(3);
        assertThat(outcomes).hasSize(3).allMatch(Selection.Outcome::isFailure);
    }

    @Test
    void onlyAHandshakeFailureCausedByTheCertificateCheckIsPermanent() {
        SSLHandshakeException byCheck = new SSLHandshakeException("(certificate_unknown) No name matching users.internal found");
        byCheck.initCause(new CertificateException("No name matching users.internal found"));
        SSLHandshakeException wrapped = new SSLHandshakeException(byCheck.getMessage());
        wrapped.initCause(byCheck);
        SSLHandshakeException reset = new SSLHandshakeException("Remote host terminated the handshake");
        reset.initCause(new java.io.EOFException("SSL peer shut down incorrectly"));

        assertThat(TlsFailures.isPermanent(byCheck)).isTrue();
        assertThat(TlsFailures.isPermanent(wrapped)).isTrue();
        assertThat(TlsFailures.isPermanent(new CompletionException(wrapped))).isTrue();
        assertThat(TlsFailures.isPermanent(reset)).isFalse();
        assertThat(TlsFailures.isPermanent(new java.net.http.HttpConnectTimeoutException("HTTP connect timed out"))).isFalse();
        assertThat(TlsFailures.isPermanent(new IOException(new CertificateException("not from a handshake")))).isFalse();
        assertThat(TlsFailures.isPermanent(null)).isFalse();
    }

    @Test
    void aHandshakeThatTimesOutIsAnOrdinaryFailureRetriedOnAnotherEndpoint() throws Exception {
        // a socket that accepts and never speaks TLS: the per-attempt timeout ends the handshake
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            RecordingServer good = https("good", "users");
            Balancer users = Balancer.builder("users.internal")
                    .endpoints(Endpoint.of("127.0.0.1", silent.getLocalPort()), good.endpoint()).random(ScriptedRandom.zeros()).build();
            List<Selection.Outcome> outcomes = outcomes(users);
            RetryPolicy policy = RetryPolicy.builder().backoff(Duration.ZERO, Duration.ZERO)
                    .perAttemptTimeout(Duration.ofMillis(300)).build();
            LoadBalancedHttpClient client = client(CERTS.clientContext(), users, policy);

            HttpResponse<String> r = client.send(get("https://users.internal/"), BodyHandlers.ofString());

            assertThat(r.body()).isEqualTo("good");
            assertThat(outcomes).hasSize(2);
            assertThat(outcomes.get(0).isFailure()).isTrue();
            // the JDK counts the handshake as part of connecting: HttpConnectTimeoutException
            assertThat(client.stats("users.internal").retriesByReason()).containsOnlyKeys("connect_timeout");
        }
    }

    @Test
    void aPkcs12TrustStoreMadeWithKeytoolWorksAsTheDocsShow() throws Exception {
        // the steps of docs/http.md, "TLS": export the server certificate, import it into a PKCS12 trust store, load it
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("lb4j-docs-tls-");
        try {
            java.nio.file.Path crt = dir.resolve("users.crt");
            java.nio.file.Path store = dir.resolve("truststore.p12");
            TestCertificates.runKeytool("-exportcert", "-rfc", "-alias", "users", "-keystore", CERTS.keyStoreFile("users").toString(),
                    "-storepass", TestCertificates.PASSWORD, "-file", crt.toString());
            TestCertificates.runKeytool("-importcert", "-noprompt", "-alias", "users-ca", "-file", crt.toString(),
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit");
            RecordingServer a = https("a", "users");

            // --- as in the docs
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(store)) {
                trust.load(in, "changeit".toCharArray());
            }
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);

            Balancer users = Balancer.builder("users.internal").endpoints(a.endpoint()).build();
            LoadBalancedHttpClient client = closeLater(LoadBalancedHttpClient.builder(HttpClient.newBuilder().sslContext(tls).build())
                    .service(users)
                    .build());
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://users.internal/api/users/42")).build(),
                    BodyHandlers.ofString());
            // ---

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(a.requests().get(0).target).isEqualTo("/api/users/42");
        } finally {
            try (var files = java.nio.file.Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static List<Throwable> causes(Throwable t) {
        List<Throwable> all = new ArrayList<>();
        for (Throwable c = t; c != null && all.size() < 10; c = c.getCause()) {
            all.add(c);
        }
        return all;
    }

    @Test
    void explanationNamesTheJdksLastCheckForAnIpEndpoint() {
        String ip = TlsFailures.note("users.internal", Endpoint.of("10.0.0.7", 8443));
        String named = TlsFailures.note("users.internal", Endpoint.of("node1.users.test", 8443));

        assertThat(ip).isEqualTo("the client rejected the server certificate; for an IP endpoint the JDK checks the TLS"
                + " server name 'users.internal' first, then the address 10.0.0.7, and reports the last check");
        assertThat(named).isEqualTo("the client rejected the server certificate");
        assertThat(TlsFailures.note("s", Endpoint.parse("[::1]:1"))).contains("for an IP endpoint");
    }
}
