package io.lb4j.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Endpoint;
import io.lb4j.testing.LoopbackBackend;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The built-in probes on their own, against a real loopback server. */
class ProbeTest {

    private static ProbeResult await(Probe probe, Endpoint e) throws Exception {
        return probe.check(e).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void httpProbeIsHealthyForStatus200To399Only() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Probe probe = Probe.http(LoopbackBackend.HEALTH_PATH, client);
        try (LoopbackBackend backend = LoopbackBackend.start("p")) {
            for (int status : new int[] {200, 204, 302, 399}) {
                backend.healthStatus(status);
                assertThat(await(probe, backend.endpoint())).as("status %d", status).isEqualTo(ProbeResult.healthy());
            }
            for (int status : new int[] {400, 404, 500, 503}) {
                backend.healthStatus(status);
                assertThat(await(probe, backend.endpoint())).isEqualTo(ProbeResult.unhealthy("HTTP " + status));
            }
            assertThat(backend.healthRequestCount()).isEqualTo(8);
        }
    }

    @Test
    void httpProbeWithoutAClientSaysHowToUseIt() {
        CompletableFuture<ProbeResult> f = Probe.http("/healthz").check(Endpoint.of("127.0.0.1", 1)).toCompletableFuture();
        assertThat(f).isCompletedExceptionally();
        assertThatCause(f).hasMessageContaining("use Probe.http(path, client) to call it directly");
    }

    @Test
    void tcpProbeConnectsOrFails() throws Exception {
        Probe probe = Probe.tcp();
        try (LoopbackBackend backend = LoopbackBackend.start("t")) {
            assertThat(await(probe, backend.endpoint()).isHealthy()).isTrue();
            backend.stop();
            CompletableFuture<ProbeResult> f = probe.check(backend.endpoint()).toCompletableFuture();
            assertThatCause(f).isInstanceOf(java.net.ConnectException.class);
        }
    }

    @Test
    void customBooleanProbeMapsAnswersToResults() throws Exception {
        Endpoint e = Endpoint.of("10.0.0.1", 80);
        assertThat(await(Probe.of(x -> CompletableFuture.completedFuture(true)), e)).isEqualTo(ProbeResult.healthy());
        assertThat(await(Probe.of(x -> CompletableFuture.completedFuture(false)), e))
                .isEqualTo(ProbeResult.unhealthy("probe answered false"));
        assertThat(await(Probe.of(x -> CompletableFuture.completedFuture(null)), e))
                .isEqualTo(ProbeResult.unhealthy("probe answered null"));
    }

    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertThatCause(CompletableFuture<?> f) {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return assertThat(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("completed normally: " + f.join());
    }
}
