package io.lb4j.health;

import static io.lb4j.core.internal.Checks.notNull;

import io.lb4j.core.Endpoint;
import java.net.http.HttpClient;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * One health check of one endpoint, run by a {@link HealthChecker} on its schedule.
 *
 * <p>{@link #check} must not block: it starts the check and returns a stage that completes with
 * the result. The checker enforces its timeout itself (and then cancels the stage's
 * {@code CompletableFuture}); a stage that fails or a {@code check} that throws counts as a failed
 * probe. Implementations must be thread-safe.
 * <pre>{@code
 * Probe http = Probe.http("/healthz");           // GET, healthy iff 200-399
 * Probe tcp = Probe.tcp();                        // a connect
 * Probe custom = Probe.of(e -> db.pingAsync(e));  // CompletionStage<Boolean>
 * }</pre>
 */
@FunctionalInterface
public interface Probe {

    /**
     * Starts one check of {@code endpoint}; never blocks.
     *
     * @param endpoint the endpoint to check
     * @return a stage completed with the result
     */
    CompletionStage<ProbeResult> check(Endpoint endpoint);

    /**
     * An HTTP GET of {@code path} on the endpoint ({@code http://host:port/path}); healthy iff the
     * status is 200-399. Runs on the checker's own {@link HttpClient} (HTTP/1.1, no redirects,
     * connect and request timeout = the checker's timeout), never on a load-balanced client.
     * Calling {@link #check} on it outside a checker fails the stage: use
     * {@link #http(String, HttpClient)} for that.
     *
     * @param path the path, starting with {@code /}
     * @return the probe
     * @throws IllegalArgumentException unless path starts with {@code /}
     */
    static Probe http(String path) {
        return new HttpProbe(HttpProbe.checkPath(path), null, null);
    }

    /**
     * Like {@link #http(String)}, on {@code client} (e.g. one with a proxy or an authenticator);
     * usable outside a checker too. The request timeout is still the checker's.
     *
     * @param path the path, starting with {@code /}
     * @param client the client that sends the probes
     * @return the probe
     * @throws IllegalArgumentException unless path starts with {@code /}
     */
    static Probe http(String path, HttpClient client) {
        return new HttpProbe(HttpProbe.checkPath(path), notNull(client, "client"), null);
    }

    /**
     * A TCP connect to the endpoint, closed at once; healthy iff it connects. Asynchronous, on
     * the checker's own channel group (one named daemon thread).
     *
     * @return the probe
     */
    static Probe tcp() {
        return new TcpProbe(null);
    }

    /**
     * A custom probe answering true (healthy) or false; a {@code false} has the reason
     * {@code "probe answered false"}, a null answer counts as a failure.
     *
     * @param check answers whether an endpoint is healthy
     * @return the probe
     * @throws NullPointerException if check is null
     */
    static Probe of(Function<? super Endpoint, ? extends CompletionStage<Boolean>> check) {
        notNull(check, "check");
        return endpoint -> check.apply(endpoint).thenApply(ok -> {
            if (ok == null) {
                return ProbeResult.unhealthy("probe answered null");
            }
            return ok ? ProbeResult.healthy() : ProbeResult.unhealthy("probe answered false");
        });
    }
}
