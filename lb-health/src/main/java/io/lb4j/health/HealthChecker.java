package io.lb4j.health;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import java.util.Map;

/**
 * Active health checking: probes every known endpoint of a balancer in the background and
 * marks it unhealthy after {@code unhealthyThreshold} consecutive failed probes, healthy again
 * after {@code healthyThreshold} consecutive passes. The balancer then leaves unhealthy
 * endpoints out of picks, unless so few are left that it panics (see docs/health.md).
 *
 * <p>It follows the balancer's list: a new endpoint is probed at once, a removed one is no
 * longer probed and its state is dropped. Each endpoint has its own schedule (the interval
 * with jitter, counted from the end of its previous probe); at most
 * {@code maxConcurrentProbes} probes run at once; a probe that fails, throws or outlives the
 * timeout counts as a failure, and a slow probe only delays its own endpoint's next probe.
 *
 * <p>Thread-safe.
 * <pre>{@code
 * try (HealthChecker checker = HealthChecker.builder(balancer)
 *         .probe(Probe.http("/healthz"))
 *         .interval(Duration.ofSeconds(5))
 *         .build()
 *         .start()) {
 *     ...
 * }
 * }</pre>
 */
public interface HealthChecker extends AutoCloseable {

    /**
     * A builder for a checker of {@code balancer}; see {@link HealthCheckerBuilder} for the defaults.
     *
     * @param balancer the balancer whose endpoints to probe
     * @return a new builder
     * @throws NullPointerException if balancer is null
     */
    static HealthCheckerBuilder builder(Balancer balancer) {
        return new HealthCheckerBuilder(balancer);
    }

    /** {@return the balancer this checker probes for} */
    Balancer balancer();

    /**
     * Starts probing: at once for every current endpoint, then on each one's schedule.
     * Idempotent; returns this.
     *
     * @return this checker
     * @throws IllegalStateException if closed
     */
    HealthChecker start();

    /**
     * What the checker knows of {@code endpoint}; {@link HealthState#UNKNOWN} if it does not probe it.
     *
     * @param endpoint the endpoint
     * @return its health state
     */
    HealthState state(Endpoint endpoint);

    /** {@return the state of every endpoint it probes} */
    Map<Endpoint, HealthState> states();

    /**
     * Adds a listener for health changes (besides those given to the builder).
     *
     * @param listener called on each health change
     */
    void addListener(HealthListener listener);

    /** {@return how many probes completed so far (passed, failed or timed out)} */
    long probeCount();

    /** {@return how many probes failed or timed out so far} */
    long failedProbeCount();

    /**
     * Stops probing, marks healthy again what this checker had marked unhealthy (nobody checks
     * it any more), and shuts down the threads it started. Idempotent.
     */
    @Override
    void close();
}
