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
public final class EndpointState extends SuccessStripes.Pad4 {

    private static final VarHandle IN_FLIGHT = handle("inFlight", int.class);
    private static final VarHandle CONSECUTIVE = handle("consecutiveFailures", int.class);
    private static final VarHandle SUCCESS0 = handle(SuccessStripes.Cell0.class, "success0", long.class);
    private static final VarHandle SUCCESS1 = handle(SuccessStripes.Cell1.class, "success1", long.class);
    private static final VarHandle SUCCESS2 = handle(SuccessStripes.Cell2.class, "success2", long.class);
    private static final VarHandle SUCCESS3 = handle(SuccessStripes.Cell3.class, "success3", long.class);
    private static final VarHandle PENDING_COUNT = handle("pendingCount", int.class);
    private static final VarHandle PENDING_START_SUM = handle("pendingStartSum", long.class);
    private static final VarHandle COST = handle("cost", double.class);
    private static final VarHandle FAILURE_LEVEL = handle("failureLevel", double.class);
    private static final VarHandle COST_STAMP = handle("costStamp", long.class);
    private static final VarHandle LAST_SUCCESS = handle("lastSuccessNanos", long.class);
    private static final AtomicLongFieldUpdater<EndpointState> FAILURES =
            AtomicLongFieldUpdater.newUpdater(EndpointState.class, "failures");
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
    private static final AtomicLongFieldUpdater<EndpointState> REMEASURE_CLAIM =
            AtomicLongFieldUpdater.newUpdater(EndpointState.class, "remeasureClaim");
    /** The re-measurement interval as a share of the latency decay time. */
    private static final int REMEASURE_DIVISOR = 10;
    /** The weight of a success below the estimate: a quarter of the way down per answer. */
    private static final double SAMPLE_WEIGHT = 0.25;

    private static VarHandle handle(String field, Class<?> type) {
        return handle(EndpointStateHot.class, field, type);
    }

    private static VarHandle handle(Class<?> owner, String field, Class<?> type) {
        try {
            return MethodHandles.lookup().findVarHandle(owner, field, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long firstSeenNanos;
    private final double decayNanos;

    private volatile long failures;
    // the ticker reading of the last re-measurement claim; CAS only
    private volatile long remeasureClaim;

    // passive outlier ejection (OutlierEngine): written by failures, reset by the control plane
    private volatile long windowFailures;
    // the success count at the start of the window: successes in the window are the difference (control plane only)
    private long windowSuccessBase;
    private volatile int ejectionRequested;
    // connection tracking (ConnectionTracker): a pending report (the failed checks in a row are hot)
    private volatile int downRequested;
    // server-reported load: the latest report and when it came (a torn pair is one report early or late)
    private volatile LoadReport loadReport;
    private volatile long loadReportNanos;
    private volatile long firstLoadReportNanos;
    // the view's record of outcomes (BalancerView): the rarer outcomes pay for it
    private volatile long cancels;
    private volatile long connectionFailures;
    private volatile long lastFailureNanos;
    private volatile long lastCancelNanos;
    private volatile Throwable lastFailureCause;
    private volatile boolean lastFailureConnection;
    // the view's own record of untimed successes (Views, under its lock): the count it last saw
    // and when it saw it rise
    private long viewedSuccesses;
    private long viewedSuccessNanos;

    EndpointState(Endpoint endpoint, long firstSeenNanos, long decayNanos) {
        this.endpoint = endpoint;
        this.firstSeenNanos = firstSeenNanos;
        this.decayNanos = decayNanos;
        this.lastSuccessNanos = firstSeenNanos;
        this.viewedSuccessNanos = firstSeenNanos;
        this.lastFailureNanos = firstSeenNanos;
        this.lastCancelNanos = firstSeenNanos;
        this.inverseDecayNanos = 1.0 / decayNanos;
        this.remeasureNanos = Math.max(1, decayNanos / REMEASURE_DIVISOR);
        this.remeasureClaim = firstSeenNanos;
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

    /**
     * How many selections were picked and not yet completed, counted while the balancer keeps
     * {@link Bookkeeping#IN_FLIGHT} (its strategy reads it, or a limit or meters are set); 0 for
     * calls picked while it does not.
     *
     * @return the count of calls in flight
     */
    public int inFlight() {
        return inFlight;
    }

    /** {@return how many selections completed with success} */
    public long successCount() {
        return success0 + success1 + success2 + success3;
    }

    /** Counts one success in the calling thread's stripe. */
    private void countSuccess() {
        @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
        int stripe = (int) Thread.currentThread().getId() & (SuccessStripes.COUNT - 1);
        switch (stripe) {
            case 0 -> SUCCESS0.getAndAdd(this, 1L);
            case 1 -> SUCCESS1.getAndAdd(this, 1L);
            case 2 -> SUCCESS2.getAndAdd(this, 1L);
            default -> SUCCESS3.getAndAdd(this, 1L);
        }
    }

    /** {@return how many selections completed with failure} */
    public long failureCount() {
        return failures;
    }

    /**
     * Whether at least one judged call (a success or a failure) fed the latency estimate, which
     * calls do while the balancer keeps {@link Bookkeeping#LATENCY} (its strategy reads latency,
     * or per-endpoint meters are bound).
     *
     * @return {@code true} once the endpoint has a latency sample
     */
    public boolean hasLatencySample() {
        return sampled;
    }

    /**
     * The peak-sensitive exponentially weighted moving average of call latency (Finagle's peak
     * EWMA), decayed to {@code nowNanos}. Without samples it decays towards 0, so an idle
     * endpoint is tried again; 0 when never sampled. How a call's latency {@code rtt} changes it:
     * <ul>
     * <li>a success above the average replaces it at once (the peak);
     * <li>a success below it moves it a quarter of the way down to the sample (Finagle blends by
     *     time, {@code 1 - exp(-elapsed/decay)}, with which an endpoint that gets only a few calls
     *     after a spike stays costly for about {@code decay * ln(spike / normal)}; here a few fast
     *     answers bring it back);
     * <li>a success that follows a gap of at least {@link #remeasureIntervalNanos()} (a tenth of
     *     the decay) replaces the average: after such a gap the old value says how the endpoint
     *     was, the new sample how it is, so a recovered endpoint is believed at once;
     * <li>a failure can only raise it ({@code max(rtt, average)}): a slow failure, such as a
     *     timeout, counts in full, a fast one never makes the endpoint look faster. What a failure
     *     costs beyond its latency is told by {@link #failureLevel}.
     * </ul>
     *
     * @param nowNanos a reading of the balancer's ticker
     * @return the estimate in nanoseconds, {@code >= 0}
     */
    public double latencyEwmaNanos(long nowNanos) {
        return decayed((double) COST.getOpaque(this), nowNanos);
    }

    /**
     * How recently and how persistently calls to the endpoint failed, from 0 (no failure) to 1
     * (the latest call failed), decayed to {@code nowNanos}: a failure sets it to 1, each success
     * halves it, a success after a gap of at least {@link #remeasureIntervalNanos()} clears it,
     * and it fades with the latency decay time like {@link #latencyEwmaNanos}. Latency-aware
     * strategies use it as a failure penalty (peak-EWMA: see {@code ChoiceBuilder.failurePenalty}).
     *
     * @param nowNanos a reading of the balancer's ticker
     * @return the level, 0-1
     */
    public double failureLevel(long nowNanos) {
        return decayed((double) FAILURE_LEVEL.getOpaque(this), nowNanos);
    }

    /** {@code value}, last set at {@code costStamp}, decayed to {@code nowNanos}; no {@code exp} for 0. */
    private double decayed(double value, long nowNanos) {
        if (value == 0) {
            return 0;
        }
        long elapsed = nowNanos - (long) COST_STAMP.getOpaque(this);
        if (elapsed <= 0) {
            return value;
        }
        double x = elapsed * inverseDecayNanos; // a multiplication: a division takes several times as long
        // under load samples are microseconds apart against a decay of seconds: three terms of the
        // series are exact to 1e-13 there and cost a tenth of Math.exp
        return x < 1e-4 ? value * (1 - x + x * x * 0.5) : value * Math.exp(-x);
    }

    /**
     * The decay time of {@link #latencyEwmaNanos}, in nanoseconds.
     *
     * @return the balancer's latency decay time ({@code BalancerBuilder.latencyDecay}) in nanoseconds
     */
    public long latencyDecayNanos() {
        return (long) decayNanos;
    }

    /**
     * How old the latest latency sample may grow before the endpoint is re-measured: a tenth of
     * the {@linkplain #latencyDecayNanos() decay time} (1 s with the default decay of 10 s).
     *
     * @return the interval in nanoseconds, {@code >= 1}
     */
    public long remeasureIntervalNanos() {
        return remeasureNanos;
    }

    /**
     * Claims one re-measurement call: returns {@code true} when the endpoint has latency
     * samples, none newer than {@link #remeasureIntervalNanos()}, nothing in flight and no claim
     * within that interval either, and then only to one caller (one compare-and-set). A
     * latency-aware picker that sends the call it is picking to a claimed endpoint keeps an
     * endpoint that is out of favour measured, with at most one call per interval, instead of
     * trusting an estimate that only ages. Lock-free; costs a volatile read when not due.
     *
     * @param nowNanos a reading of the balancer's ticker
     * @return whether this caller should send its call to the endpoint
     */
    public boolean claimRemeasure(long nowNanos) {
        if (nowNanos - (long) COST_STAMP.getOpaque(this) < remeasureNanos || !sampled || inFlight != 0) {
            return false;
        }
        long claimed = remeasureClaim;
        return nowNanos - claimed >= remeasureNanos && REMEASURE_CLAIM.compareAndSet(this, claimed, nowNanos);
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
        return (int) CONSECUTIVE.getAndAdd(this, 1) + 1;
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

    /** A failure that counts for the failure-percentage window (successes need no count of their own). */
    void countWindowFailure() {
        WINDOW_FAILURES.incrementAndGet(this);
    }

    /** The successes since the last call (the start of the window); on the control plane. */
    long takeWindowSuccesses() {
        long count = successCount();
        long window = count - windowSuccessBase;
        windowSuccessBase = count;
        return window;
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
        IN_FLIGHT.getAndAdd(this, 1);
    }

    /** A call counted by {@link #started} or {@link #tryStart} ended. */
    void released() {
        IN_FLIGHT.getAndAdd(this, -1);
    }

    /** A call picked at {@code startNanos} under a strategy that reads pending ages. */
    void pendingStarted(long startNanos) {
        PENDING_START_SUM.getAndAdd(this, startNanos);
        PENDING_COUNT.getAndAdd(this, 1);
    }

    /** That call ended. */
    void pendingFinished(long startNanos) {
        PENDING_COUNT.getAndAdd(this, -1);
        PENDING_START_SUM.getAndAdd(this, -startNanos);
    }

    /**
     * How long the calls now in flight to this endpoint have been waiting, added up, at
     * {@code nowNanos}; counted only for calls picked under a strategy that
     * {@linkplain Bookkeeping#PENDING_TIMES reads them}, and 0 otherwise. The count and the sum
     * are two fields: a reading that races a pick or a completion may be one call off, never
     * negative.
     *
     * @param nowNanos a reading of the balancer's ticker
     * @return the summed age in nanoseconds, at least 0
     */
    public long pendingAgeNanos(long nowNanos) {
        long sum = pendingStartSum;
        int count = pendingCount;
        return count <= 0 ? 0 : Math.max(0, count * nowNanos - sum);
    }

    /**
     * How many calls {@link #pendingAgeNanos} counts.
     *
     * @return the count of tracked calls in flight, at least 0
     */
    public int pendingCount() {
        return Math.max(0, pendingCount);
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
            if (IN_FLIGHT.weakCompareAndSet(this, current, current + 1)) {
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

    /**
     * A success: counted, and with {@code timed} its latency fed into the estimate and its time
     * recorded for the view. Writes one shared counter otherwise.
     */
    void succeeded(boolean timed, boolean measured, long latencyNanos, long nowNanos) {
        countSuccess();
        if (timed) {
            LAST_SUCCESS.setOpaque(this, nowNanos);
            if (measured) {
                observe(latencyNanos, nowNanos, false);
            }
        }
    }

    /** A failure: counted, and with {@code measured} its latency fed into the estimate. */
    void failed(boolean measured, long latencyNanos, long nowNanos) {
        FAILURES.incrementAndGet(this);
        if (measured) {
            observe(latencyNanos, nowNanos, true);
        }
    }

    /**
     * Feeds one latency sample into the estimate, without a lock: the fields are read and
     * written with opaque accesses, so two completions racing on one endpoint may interleave
     * their writes; the estimate then holds one of the two samples' effects (or a mix of both),
     * never a value neither could have produced by more than one sample. Finagle takes a lock
     * for this; a lost sample of a moving average is not worth one.
     */
    private void observe(long latencyNanos, long nowNanos, boolean failed) {
        double rtt = Math.max(0, latencyNanos);
        double current = latencyEwmaNanos(nowNanos);
        long elapsed = Math.max(0, nowNanos - (long) COST_STAMP.getOpaque(this));
        double nextCost;
        double nextLevel;
        if (failed) {
            nextCost = Math.max(rtt, current);
            nextLevel = 1;
        } else if (!sampled || elapsed >= remeasureNanos) {
            // a re-measurement: the only recent evidence, so it replaces what has gone stale
            nextCost = rtt;
            nextLevel = 0;
        } else {
            // Finagle blends a lower sample by time, 1 - exp(-elapsed/decay): 0.5 % for a sample 50 ms
            // after the last at a 10 s decay, so an endpoint that gets a trickle of calls after a spike
            // took decay * ln(spike / normal) to recover. A fixed share per answer brings it back in a
            // few answers; the decay still governs an endpoint that gets none.
            nextCost = rtt > current ? rtt : current + (rtt - current) * SAMPLE_WEIGHT;
            nextLevel = failureLevel(nowNanos) * 0.5;
        }
        COST.setOpaque(this, nextCost);
        FAILURE_LEVEL.setOpaque(this, nextLevel);
        COST_STAMP.setOpaque(this, nowNanos);
        if (!sampled) {
            sampled = true;
        }
    }

    // ---- the view's record (DefaultBalancer.completed), read by BalancerView

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

    /**
     * When the view should say the latest success came, at {@code nowNanos} of a view being
     * taken (Views, under its lock): the recorded time of the latest timed success, or, when the
     * count rose since the last view without a timed success newer than that view, the time this
     * view saw it rise (successes are timed only when something in the balancer measures calls).
     */
    long viewSuccessNanos(long nowNanos) {
        long count = successCount();
        long timed = lastSuccessNanos();
        if (count != viewedSuccesses) {
            viewedSuccessNanos = timed - viewedSuccessNanos > 0 ? timed : nowNanos;
            viewedSuccesses = count;
        }
        return timed - viewedSuccessNanos > 0 ? timed : viewedSuccessNanos;
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
        return endpoint + "{inFlight=" + inFlight + ", successes=" + successCount() + ", failures=" + failures + "}";
    }
}
