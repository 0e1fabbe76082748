package io.lb4j.health;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;

/**
 * Passive outlier detection: watches the outcome of every call made through a balancer and
 * ejects an endpoint that keeps failing, for a time that grows with each ejection. Ejected
 * endpoints get no picks (unless the balancer panics) and return on their own when the time is
 * up, or earlier when an attached {@link HealthChecker}'s probe passes.
 *
 * <p>Rules: {@code consecutiveFailures} failed calls in a row eject (default 5); optionally, an
 * endpoint whose failure share over one interval reaches a threshold ejects too. The ejection
 * lasts {@code baseEjectionTime} &times; the endpoint's ejection multiplier (one more per ejection,
 * one less per interval spent back in service), capped at {@code maxEjectionTime}, plus jitter. At
 * most {@code maxEjectionPercent} of the endpoints are ejected at once, but always at least one
 * may be. Cancelled selections count neither way.
 *
 * <p>Thread-safe. Active from {@link OutlierDetectorBuilder#build()} to {@link #close()}.
 * <pre>{@code
 * OutlierDetector detector = OutlierDetector.builder(balancer)
 *         .consecutiveFailures(5)
 *         .baseEjectionTime(Duration.ofSeconds(30))
 *         .healthChecker(checker)   // a passing probe returns an ejected endpoint early
 *         .build();
 * }</pre>
 */
public interface OutlierDetector extends AutoCloseable {

    /**
     * A builder for a detector of {@code balancer}; see {@link OutlierDetectorBuilder} for the defaults.
     *
     * @param balancer the balancer whose call outcomes to watch
     * @return a new builder
     * @throws NullPointerException if balancer is null
     */
    static OutlierDetectorBuilder builder(Balancer balancer) {
        return new OutlierDetectorBuilder(balancer);
    }

    /** {@return the balancer this detector watches} */
    Balancer balancer();

    /** {@return how many ejections were made so far} */
    long ejectionCount();

    /** {@return how many ejections ended so far (time up, a passing probe, or close)} */
    long returnCount();

    /** {@return how many ejections were not made because {@code maxEjectionPercent} was reached} */
    long skippedEjectionCount();

    /** {@return how many endpoints this detector has ejected now} */
    int ejectedCount();

    /**
     * The ejection multiplier of {@code endpoint}: how many base ejection times its next-but-one
     * ejection would last before capping; 0 for an endpoint never ejected (or fully decayed).
     *
     * @param endpoint the endpoint
     * @return the multiplier
     */
    int ejectionMultiplier(Endpoint endpoint);

    /** Stops watching and returns every endpoint it ejected; shuts down the threads it started. Idempotent. */
    @Override
    void close();
}
