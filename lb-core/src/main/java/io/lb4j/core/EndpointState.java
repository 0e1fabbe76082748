package io.lb4j.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * The live state of one endpoint inside one {@link Balancer}: requests in flight, outcome
 * counts, a peak-sensitive latency average. Kept per host and port across snapshots, so a list
 * update that only changes a weight keeps the counters; dropped when the endpoint leaves the
 * list. Whether the endpoint is in rotation is not here: it is a property of each
 * {@link Snapshot} ({@link Snapshot#exclusions(Endpoint)}).
 *
 * <p>Thread-safe. Readers (pickers) never lock; the counters are written by {@link Selection}
 * completions.
 */
public final class EndpointState {

    private static final AtomicIntegerFieldUpdater<EndpointState> IN_FLIGHT =
            AtomicIntegerFieldUpdater.newUpdater(EndpointState.class, "inFlight");
    private static final AtomicLongFieldUpdater<EndpointState> SUCCESSES =
            AtomicLongFieldUpdater.newUpdater(EndpointState.class, "successes");
    private static final AtomicLongFieldUpdater<EndpointState> FAILURES =
            AtomicLongFieldUpdater.newUpdater(EndpointState.class, "failures");
    private static final AtomicIntegerFieldUpdater<EndpointState> CONSECUTIVE =
            AtomicIntegerFieldUpdater.newUpdater(EndpointState.class, "consecutiveFailures");
    private static final AtomicLongFieldUpdater<EndpointState> WINDOW_SUCCESSES =
            AtomicLongFieldUpdater.newUpdater(EndpointState.class, "windowSuccesses");
    private static final AtomicLongFieldUpdater<EndpointState> WINDOW_FAILURES =
            AtomicLongFieldUpdater.newUpdater(EndpointState.class, "windowFailures");
    private static final AtomicIntegerFieldUpdater<EndpointState> EJECTION_REQUESTED =
            AtomicIntegerFieldUpdater.newUpdater(EndpointState.class, "ejectionRequested");
    private static final AtomicIntegerFieldUpdater<EndpointState> DOWN_REQUESTED =
            AtomicIntegerFieldUpdater.newUpdater(EndpointState.class, "downRequested");
    private static final AtomicLongFieldUpdater<EndpointState> CANCELS =
            AtomicLongFieldUpdater.newUpdater(EndpointState.class, "cancels");
    private static final AtomicLongFieldUpdater<EndpointState> CONNECTION_FAILURES =
            AtomicLongFieldUpdater.newUpdater(EndpointState.class, "connectionFailures");
    private static final VarHandle LAST_SUCCESS;

    static {
        try {
            LAST_SUCCESS = MethodHandles.lookup().findVarHandle(EndpointState.class, "lastSuccessNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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

    // passive outlier ejection (OutlierEngine): written by completions, reset by the control plane
    private volatile int consecutiveFailures;
    private volatile long windowSuccesses;
    private volatile long windowFailures;
    private volatile int ejectionRequested;
    // connection tracking (ConnectionTracker): failed reconnect checks in a row, and a pending report
    private volatile int reconnectAttempts;
    private volatile int downRequested;
    // server-reported load: the latest report and when it came (a torn pair is one report early or late)
    private volatile LoadReport loadReport;
    private volatile long loadReportNanos;
    private volatile long firstLoadReportNanos;
    // the view's record of outcomes (BalancerView): the success path adds one opaque store (no
    // fence, no lock, no clock read of its own); the rarer outcomes pay for the rest
    private volatile long cancels;
    private volatile long connectionFailures;
    private long lastSuccessNanos;
    private volatile long lastFailureNanos;
    private volatile long lastCancelNanos;
    private volatile Throwable lastFailureCause;
    private volatile boolean lastFailureConnection;

    EndpointState(Endpoint endpoint, long firstSeenNanos, long decayNanos) {
        this.endpoint = endpoint;
        this.firstSeenNanos = firstSeenNanos;
        this.decayNanos = decayNanos;
        this.lastSuccessNanos = firstSeenNanos;
        this.lastFailureNanos = firstSeenNanos;
        this.lastCancelNanos = firstSeenNanos;
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

    /**
     * Failed calls in a row, as passive outlier ejection counts them.
     *
     * @return the current run of failures; 0 after a success
     */
    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    void endpoint(Endpoint updated) {
        this.endpoint = updated;
    }

    /** Counts a failure in a row; returns the new run length. */
    int failedInARow() {
        return CONSECUTIVE.incrementAndGet(this);
    }

    /** Ends a run of failures; reads first, so that the common case writes nothing shared. */
    void succeededInARow() {
        if (consecutiveFailures != 0) {
            consecutiveFailures = 0;
        }
    }

    void resetConsecutive() {
        consecutiveFailures = 0;
    }

    void countWindow(boolean success) {
        (success ? WINDOW_SUCCESSES : WINDOW_FAILURES).incrementAndGet(this);
    }

    long takeWindowSuccesses() {
        return WINDOW_SUCCESSES.getAndSet(this, 0);
    }

    long takeWindowFailures() {
        return WINDOW_FAILURES.getAndSet(this, 0);
    }

    boolean requestEjection() {
        return EJECTION_REQUESTED.compareAndSet(this, 0, 1);
    }

    void ejectionHandled() {
        ejectionRequested = 0;
    }

    boolean requestDown() {
        return DOWN_REQUESTED.compareAndSet(this, 0, 1);
    }

    void downHandled() {
        downRequested = 0;
    }

    int reconnectAttempts() {
        return reconnectAttempts;
    }

    void reconnectAttempts(int attempts) {
        reconnectAttempts = attempts;
    }

    /** A call succeeded: the next connection failure starts the backoff afresh. */
    void connected() {
        if (reconnectAttempts != 0) {
            reconnectAttempts = 0;
        }
    }

    void started() {
        IN_FLIGHT.incrementAndGet(this);
    }

    /**
     * Counts one more call in flight unless {@code limit} are already: a compare-and-set loop, so
     * that racing picks never take the count past the limit.
     */
    boolean tryStart(int limit) {
        for (;;) {
            int current = inFlight;
            if (current >= limit) {
                return false;
            }
            if (IN_FLIGHT.compareAndSet(this, current, current + 1)) {
                return true;
            }
        }
    }

    /**
     * The latest load the endpoint reported about itself (see {@link Selection#loadReport}).
     *
     * @return the report, or null if none came yet
     */
    public LoadReport loadReport() {
        return loadReport;
    }

    /**
     * When the latest load report came.
     *
     * @return a reading of the balancer's ticker; meaningless while {@link #loadReport()} is null
     */
    public long loadReportNanos() {
        return loadReportNanos;
    }

    /**
     * When the first load report came, since the balancer first saw the endpoint.
     *
     * @return a reading of the balancer's ticker; meaningless while {@link #loadReport()} is null
     */
    public long firstLoadReportNanos() {
        return firstLoadReportNanos;
    }

    void reported(LoadReport report, long nowNanos) {
        if (loadReport == null) {
            firstLoadReportNanos = nowNanos;
        }
        loadReportNanos = nowNanos;
        loadReport = report; // last: a reader that sees the report sees its times
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

    // ---- the view's record (DefaultBalancer.completed), read by BalancerView

    /** Records a success at {@code nowNanos} (a ticker reading the completion already took). */
    void noteSuccess(long nowNanos) {
        LAST_SUCCESS.setOpaque(this, nowNanos);
    }

    /** Records a failure, a connection failure or a cancellation at {@code nowNanos}. */
    void noteOther(Selection.Outcome outcome, Throwable cause, long nowNanos) {
        if (outcome == Selection.Outcome.CANCELLED) {
            CANCELS.incrementAndGet(this);
            lastCancelNanos = nowNanos;
            return;
        }
        boolean connection = outcome == Selection.Outcome.CONNECTION_FAILURE;
        if (connection) {
            CONNECTION_FAILURES.incrementAndGet(this);
        }
        lastFailureCause = cause;
        lastFailureConnection = connection;
        lastFailureNanos = nowNanos;
    }

    long cancelCount() {
        return cancels;
    }

    long connectionFailureCount() {
        return connectionFailures;
    }

    /**
     * Ticker reading of the latest success; meaningful when {@link #successCount()} is above 0
     * (the first-seen reading until the first success is recorded, a moment after it is counted).
     */
    long lastSuccessNanos() {
        return (long) LAST_SUCCESS.getOpaque(this);
    }

    /** Ticker reading of the latest failure (of either kind); the first-seen reading before any. */
    long lastFailureNanos() {
        return lastFailureNanos;
    }

    Throwable lastFailureCause() {
        return lastFailureCause;
    }

    boolean lastFailureWasConnection() {
        return lastFailureConnection;
    }

    /** Ticker reading of the latest cancellation; the first-seen reading before any. */
    long lastCancelNanos() {
        return lastCancelNanos;
    }

    @Override
    public String toString() {
        return endpoint + "{inFlight=" + inFlight + ", successes=" + successes + ", failures=" + failures + "}";
    }
}
