package io.lb4j.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.http.testing.RecordingServer;
import io.lb4j.http.testing.TestCertificates;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Probe#https} against real TLS servers on 127.0.0.1 (certificates for
 * {@code users.internal} only, IP endpoints), with lb-http's test fixtures.
 */
class HttpsProbeTest {
    private static final TestCertificates CERTS = TestCertificates.get();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private <C extends AutoCloseable> C closeLater(C c) {
        toClose.add(c);
        return c;
    }

    private RecordingServer server(String name, String certificate) throws IOException {
        return closeLater(RecordingServer.https(name, CERTS.serverContext(certificate), false));
    }

    private static HttpClient trusting() {
        return HttpClient.newBuilder().sslContext(CERTS.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private HealthChecker checker(Probe probe, RecordingServer... servers) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (RecordingServer s : servers) {
            endpoints.add(s.endpoint());
        }
        Balancer balancer = closeLater(Balancer.builder("users.internal").endpoints(endpoints).build());
        return closeLater(HealthChecker.builder(balancer).probe(probe).interval(Duration.ofMillis(50)).jitter(0)
                .timeout(Duration.ofSeconds(5)).unhealthyThreshold(1).healthyThreshold(1).build().start());
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting for: " + what).isNegative();
            try {
                Thread.sleep(5); // polling a real socket's effect, not waiting for a schedule
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void marksATlsBackendHealthyAndOneWhoseHealthzAnswers503UnhealthySendingTheServiceAsSni() throws Exception {
        RecordingServer good = server("good", "users");
        RecordingServer sick = server("sick", "users").healthStatus(503);
        HealthChecker checker = checker(Probe.https(RecordingServer.HEALTH_PATH, trusting()), good, sick);

        awaitTrue("both probed", () -> checker.state(good.endpoint()) != HealthState.UNKNOWN
                && checker.state(sick.endpoint()) != HealthState.UNKNOWN);

        assertThat(checker.state(good.endpoint())).isEqualTo(HealthState.HEALTHY);
        assertThat(checker.state(sick.endpoint())).isEqualTo(HealthState.UNHEALTHY);
        assertThat(reasonOf(checker, sick.endpoint())).endsWith("HTTP 503");
        for (RecordingServer s : List.of(good, sick)) {
            assertThat(s.requests()).isNotEmpty().allSatisfy(r -> {
                assertThat(r.serverName).isEqualTo("users.internal");
                assertThat(r.target).isEqualTo("/healthz");
            });
        }
    }

    /** The checker's reason for excluding {@code e}, once the balancer has published it. */
    private static String reasonOf(HealthChecker checker, io.lb4j.core.Endpoint e) {
        checker.balancer().flush().join();
        return Balancers.excludedBy(checker.balancer(), e, "health-check").reason();
    }

    @Test
    void aCertificateForAnotherNameOrAnUntrustedOneFailsTheProbe() throws Exception {
        RecordingServer wrongName = server("wrong", "other");
        RecordingServer untrusted = server("untrusted", "untrusted");
        HealthChecker checker = checker(Probe.https(RecordingServer.HEALTH_PATH, trusting()), wrongName, untrusted);

        awaitTrue("both unhealthy", () -> checker.state(wrongName.endpoint()) == HealthState.UNHEALTHY
                && checker.state(untrusted.endpoint()) == HealthState.UNHEALTHY);

        assertThat(reasonOf(checker, wrongName.endpoint()))
                .contains("SSLHandshakeException").contains("No subject alternative names");
        assertThat(reasonOf(checker, untrusted.endpoint()))
                .contains("SSLHandshakeException").contains("PKIX path building failed");
        assertThat(wrongName.requests()).isEmpty();
        assertThat(untrusted.requests()).isEmpty();
    }

    @Test
    void theCheckersOwnClientTrustsTheJvmDefaultSslContext() throws Exception {
        RecordingServer good = server("good", "users");
        SSLContext before = SSLContext.getDefault();
        SSLContext.setDefault(CERTS.clientContext());
        try {
            HealthChecker checker = checker(Probe.https(RecordingServer.HEALTH_PATH), good);
            awaitTrue("probed", () -> checker.state(good.endpoint()) != HealthState.UNKNOWN);
            assertThat(checker.state(good.endpoint())).isEqualTo(HealthState.HEALTHY);
        } finally {
            SSLContext.setDefault(before);
        }
        assertThat(good.requests().get(0).serverName).isEqualTo("users.internal");
    }

    @Test
    void mutualTlsProbesPresentTheClientsCertificate() throws Exception {
        RecordingServer strict = closeLater(RecordingServer.https("strict", CERTS.serverContext("users"), true));
        HttpClient withCertificate = HttpClient.newBuilder().sslContext(CERTS.clientContext("client")).build();
        HealthChecker checker = checker(Probe.https(RecordingServer.HEALTH_PATH, withCertificate), strict);

        awaitTrue("probed", () -> checker.state(strict.endpoint()) != HealthState.UNKNOWN);

        assertThat(checker.state(strict.endpoint())).isEqualTo(HealthState.HEALTHY);
        assertThat(strict.requests().get(0).clientCertificate).isEqualTo("CN=client.internal");
    }

    @Test
    void plainHttpProbeOfATlsPortFailsWhichIsWhyHttpsExists() throws Exception {
        RecordingServer tls = server("tls", "users");
        HealthChecker checker = checker(Probe.http(RecordingServer.HEALTH_PATH), tls);

        awaitTrue("probed", () -> checker.state(tls.endpoint()) != HealthState.UNKNOWN);

        assertThat(checker.state(tls.endpoint())).isEqualTo(HealthState.UNHEALTHY);
    }

    @Test
    void outsideACheckerTheClientIsUsedAsItIsSoItsOwnServerNameDecides() throws Exception {
        RecordingServer s = server("s", "users");
        Endpoint ip = s.endpoint();

        Throwable asIs = failure(Probe.https(RecordingServer.HEALTH_PATH, trusting()).check(ip).toCompletableFuture());
        assertThat(asIs).isInstanceOf(SSLHandshakeException.class).hasMessageContaining("127.0.0.1");

        SSLParameters sni = CERTS.clientContext().getDefaultSSLParameters();
        sni.setServerNames(List.of(new javax.net.ssl.SNIHostName("users.internal")));
        HttpClient named = HttpClient.newBuilder().sslContext(CERTS.clientContext()).sslParameters(sni).build();
        assertThat(Probe.https(RecordingServer.HEALTH_PATH, named).check(ip).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isEqualTo(ProbeResult.healthy());

        CompletableFuture<ProbeResult> unbound = Probe.https("/healthz").check(ip).toCompletableFuture();
        assertThat(failure(unbound)).hasMessage(
                "Probe.https(\"/healthz\") runs on a HealthChecker's HttpClient; use Probe.https(path, client) to call it directly");
        assertThat(Probe.https("/healthz")).hasToString("Probe.https(\"/healthz\")");
        assertThat(Probe.http("/healthz")).hasToString("Probe.http(\"/healthz\")");
    }

    private static Throwable failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("completed normally: " + f.join());
    }
}
