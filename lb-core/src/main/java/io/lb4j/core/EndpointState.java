package io.lb4j.core;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * The live state of one endpoint inside one {@link Balancer}: requests in flight, a
 * peak-sensitive latency average, health and ejection. Kept per host and port across snapshots,
 * so a list update that only changes a weight keeps the counters; dropped when the endpoint
 * leaves the list.
 *
 * <p>Thread-safe. Readers (pickers) never lock; the flags are written by the balancer under its
 * lock, and the counters by {@link Selection} completions.
 */
public final class EndpointState {

    private static final AtomicIntegerFieldUpdater<EndpointState> IN_FLIGHT =
            AtomicIntegerFieldUpdater.newUpdater(EndpointState.class, "inFlight");
    private static final AtomicLongFieldUpdater<EndpointState> SUCCESSES =
            AtomicLongFieldUpdater.newUpdater(EndpointState.class, "successes");
    private static final AtomicLongFieldUpdater<EndpointState> FAILURES =
            AtomicLongFieldUpdater.newUpdater(EndpointState.class, "failures");

    private volatile Endpoint endpoint;
    private final long firstSeenNanos;
    private final double decayNanos;

    private volatile int inFlight;
    private volatile long successes;
    private volatile long failures;

    // peak-EWMA: written under 'this', read without a lock (a torn pair is harmless: one stale sample)
    private volatile double cost;
    private volatile long costStamp;
    private volatile boolean sampled;

    private volatile boolean healthy = true;
    private volatile String unhealthyReason;
    private volatile boolean ejected;
    private volatile long ejectedUntilNanos;

    EndpointState(Endpoint endpoint, long firstSeenNanos, long decayNanos) {
        this.endpoint = endpoint;
        this.firstSeenNanos = firstSeenNanos;
        this.decayNanos = decayNanos;
    }

    /** {@return the endpoint with its latest attributes (weight, zone, metadata)} */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** {@return the current weight; shorthand for {@code endpoint().weight()}} */
    public int weight() {
        return endpoint.weight();
    }

    /** {@return the ticker reading when this balancer first saw the endpoint (for slow start)} */
    public long firstSeenNanos() {
        return firstSeenNanos;
    }

    /** {@return how many selections were picked and not yet completed} */
    public int inFlight() {
        return inFlight;
    }

    /** {@return how many selections completed with success} */
    public long successCount() {
        return successes;
    }

    /** {@return how many selections completed with failure} */
    public long failureCount() {
        return failures;
    }

    /** {@return whether at least one successful call's latency was recorded} */
    public boolean hasLatencySample() {
        return sampled;
    }

    /**
     * The peak-sensitive exponentially weighted moving average of successful call latency
     * (Finagle's peak EWMA), decayed to {@code nowNanos}: a sample above the average replaces it
     * at once, a lower one is blended in with weight {@code 1 - exp(-elapsed/decay)}, and without
     * samples the value decays towards 0, so an idle endpoint is tried again. 0 when never sampled.
     *
     * @param nowNanos the current ticker reading
     * @return the average in nanoseconds
     */
    public double latencyEwmaNanos(long nowNanos) {
        double c = cost;
        if (c == 0) {
            return 0;
        }
        long elapsed = nowNanos - costStamp;
        return elapsed <= 0 ? c : c * Math.exp(-elapsed / decayNanos);
    }

    /** {@return the decay time of {@link #latencyEwmaNanos}, in nanoseconds} */
    public long latencyDecayNanos() {
        return (long) decayNanos;
    }

    /** {@return false after an active health check found the endpoint failing} */
    public boolean healthy() {
        return healthy;
    }

    /** {@return why the endpoint is unhealthy, or null} */
    public String unhealthyReason() {
        return unhealthyReason;
    }

    /** {@return true while passive outlier detection has ejected the endpoint} */
    public boolean ejected() {
        return ejected;
    }

    /** {@return the ticker reading when the current ejection is due to end (informational), or 0} */
    public long ejectedUntilNanos() {
        return ejectedUntilNanos;
    }

    /** {@return whether the endpoint is healthy, not ejected and of weight > 0} */
    public boolean eligible() {
        return healthy && !ejected && endpoint.weight() > 0;
    }

    void endpoint(Endpoint updated) {
        this.endpoint = updated;
    }

    void health(boolean healthy, String reason) {
        this.healthy = healthy;
        this.unhealthyReason = healthy ? null : reason;
    }

    void ejection(boolean ejected, long untilNanos) {
        this.ejected = ejected;
        this.ejectedUntilNanos = ejected ? untilNanos : 0;
    }

    void started() {
        IN_FLIGHT.incrementAndGet(this);
    }

    void finished(boolean success, boolean failure, long latencyNanos, long nowNanos) {
        IN_FLIGHT.decrementAndGet(this);
        if (success) {
            SUCCESSES.incrementAndGet(this);
            observe(latencyNanos, nowNanos);
        } else if (failure) {
            FAILURES.incrementAndGet(this);
        }
    }

    private synchronized void observe(long latencyNanos, long nowNanos) {
        double rtt = Math.max(0, latencyNanos);
        double current = latencyEwmaNanos(nowNanos);
        if (rtt > current) {
            cost = rtt;
        } else {
            long elapsed = Math.max(0, nowNanos - costStamp);
            double w = Math.exp(-elapsed / decayNanos);
            cost = current * w + rtt * (1 - w);
        }
        costStamp = nowNanos;
        sampled = true;
    }

    @Override
    public String toString() {
        return endpoint + "{inFlight=" + inFlight + ", healthy=" + healthy + ", ejected=" + ejected + "}";
    }
}
