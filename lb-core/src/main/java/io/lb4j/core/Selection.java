package io.lb4j.core;

/**
 * One use of one endpoint, from {@link Balancer#pick()} to its outcome. Complete it exactly once
 * with {@link #success()}, {@link #failure(Throwable)} or {@link #cancel()}; the first
 * completion counts and later ones are ignored (they return {@code false}).
 *
 * <p>Completing counts the outcome for the endpoint and tells the balancer's
 * {@link OutcomeListener}s. What else picking and completing do depends on what the balancer's
 * strategy, limit, meters and listeners read ({@link Bookkeeping}): with
 * {@link Bookkeeping#IN_FLIGHT} picking adds one to the endpoint's in-flight count and
 * completing removes it; with {@link Bookkeeping#LATENCY} the latency measured with the
 * balancer's ticker from pick to completion feeds the endpoint's latency estimate (successes and
 * failures, a failure only ever raising it; see {@link EndpointState#latencyEwmaNanos}).
 * Round-robin needs neither, so its pick and success read no clock.
 *
 * <p>Thread-safe: may be completed from any thread. A selection that stays on the thread that
 * picked it (the usual synchronous call) is not allocated at all once the JIT has compiled the
 * caller: the completion guard is a monitor that escape analysis removes with the object.
 * <pre>{@code
 * Selection s = balancer.pick();
 * try {
 *     call(s.endpoint());
 *     s.success();
 * } catch (IOException e) {
 *     s.failure(e);
 *     throw e;
 * }
 * }</pre>
 */
public final class Selection {

    // what pick() did, and so what the completion undoes or finishes (bits of DefaultBalancer.tracking)
    static final int IN_FLIGHT = 1;
    static final int MEASURED = 1 << 1;
    static final int PENDING = 1 << 2;
    static final int TIMED = 1 << 3;
    static final int LISTENED = 1 << 4;
    /** Not kept by a selection: the pick goes through {@code DefaultBalancer.chooseApart}. */
    static final int APART = 1 << 5;

    private final DefaultBalancer balancer;
    private final EndpointState state;
    private final Endpoint endpoint;
    private final long startNanos;
    private final int tracking;
    // guarded by this; volatile so that isDone() needs no lock
    private volatile boolean done;

    Selection(DefaultBalancer balancer, EndpointState state, long startNanos, int tracking) {
        this.balancer = balancer;
        this.state = state;
        this.endpoint = state.endpoint();
        this.startNanos = startNanos;
        this.tracking = tracking;
    }

    /** {@return the endpoint picked, with the attributes it had at pick time} */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** {@return the endpoint's live state} */
    public EndpointState state() {
        return state;
    }

    /** {@return the balancer's service name} */
    public String service() {
        return balancer.service();
    }

    /**
     * The ticker reading at pick time, when the balancer measures calls: its strategy reads
     * latency or pending ages, or meters or outcome listeners are attached. 0 otherwise (no
     * clock is read for such a pick).
     *
     * @return the reading, or 0
     */
    public long startNanos() {
        return startNanos;
    }

    /** {@return whether the selection was completed} */
    public boolean isDone() {
        return done;
    }

    /**
     * Completes with success; returns false if already completed.
     *
     * @return true if this call completed it, false if it was already completed
     */
    public boolean success() {
        // kept small, and `this` passed on only to listeners: so that the JIT inlines it into the
        // caller and a selection that does not escape is never allocated
        if (!markDone()) {
            return false;
        }
        int t = tracking;
        EndpointState st = state;
        long latency = 0;
        if (t == 0) {
            st.succeeded(false, false, 0, 0);
        } else {
            latency = finishSuccess(balancer, st, t, startNanos);
        }
        balancer.succeeded(st);
        if ((t & LISTENED) != 0) {
            balancer.tellListeners(this, Outcome.SUCCESS, null, latency);
        }
        return true;
    }

    /**
     * Completes with failure: an exception, or an outcome the caller judges a failure of the
     * endpoint (e.g. a 503). Returns false if already completed.
     *
     * @param cause the exception, or one that describes the outcome
     * @return true if this call completed it, false if it was already completed
     */
    public boolean failure(Throwable cause) {
        return complete(Outcome.FAILURE, cause);
    }

    /**
     * Completes with a connection-level failure: the endpoint could not be reached and nothing
     * of the request was sent (connection refused, connect timeout, unresolvable host, a
     * connection reset or closed before the request was written). Such a failure takes the
     * endpoint out of rotation at once (see the balancer's connection-failure settings), unlike
     * {@link #failure}, which counts towards passive outlier ejection. Returns false if already
     * completed.
     *
     * @param cause what the connection attempt failed with
     * @return whether this call completed the selection
     */
    public boolean connectionFailure(Throwable cause) {
        return complete(Outcome.CONNECTION_FAILURE, cause);
    }

    /**
     * Completes without judging the endpoint (the caller gave up, e.g. cancelled): the in-flight
     * count is released, no latency or failure is recorded. Returns false if already completed.
     *
     * @return true if this call completed it, false if it was already completed
     */
    public boolean cancel() {
        return complete(Outcome.CANCELLED, null);
    }

    /**
     * Records the load the endpoint reported with its answer (for instance in an
     * {@code endpoint-load-metrics} response header), for strategies that weigh endpoints by
     * reported load ({@code Strategies.loadWeighted()}). May be called before or after the
     * selection is completed; the report's time is read from the balancer's ticker now.
     *
     * @param report the report
     * @throws NullPointerException if report is null
     */
    public void loadReport(LoadReport report) {
        state.reported(io.lb4j.core.internal.Checks.notNull(report, "report"), balancer.ticker().read());
    }

    /** The completion guard: a monitor, not a compare-and-set, so that escape analysis can remove it. */
    private synchronized boolean markDone() {
        if (done) {
            return false;
        }
        done = true;
        return true;
    }

    /** Undoes what the pick counted (pending age, in flight). */
    private static void release(EndpointState st, int t, long startNanos) {
        if ((t & PENDING) != 0) {
            st.pendingFinished(startNanos);
        }
        if ((t & IN_FLIGHT) != 0) {
            st.released();
        }
    }

    /** A success's bookkeeping beyond the count: releases, times, measures; returns the latency (0 untimed). */
    private static long finishSuccess(DefaultBalancer balancer, EndpointState st, int t, long startNanos) {
        release(st, t, startNanos);
        if ((t & TIMED) == 0) {
            st.succeeded(false, false, 0, 0);
            return 0;
        }
        long now = balancer.ticker().read();
        long latency = now - startNanos;
        st.succeeded(true, (t & MEASURED) != 0, latency, now);
        return latency;
    }

    /** A failure, connection failure or cancellation; rarer, so always timed (the view shows when). */
    private boolean complete(Outcome outcome, Throwable cause) {
        if (!markDone()) {
            return false;
        }
        int t = tracking;
        release(state, t, startNanos);
        long now = balancer.ticker().read();
        long latency = (t & TIMED) != 0 ? now - startNanos : 0;
        Outcome judged = balancer.completedOther(state, outcome, cause, latency, now, (t & MEASURED) != 0);
        if ((t & LISTENED) != 0) {
            balancer.tellListeners(this, judged, cause, latency);
        }
        return true;
    }

    @Override
    public String toString() {
        return "Selection{" + balancer.service() + " -> " + endpoint + (done ? ", done" : "") + "}";
    }

    /** How a {@link Selection} was completed. */
    public enum Outcome {
        /** The endpoint answered acceptably. */
        SUCCESS,
        /** The endpoint failed the call (an exception after connecting, a 5xx, a per-attempt timeout). */
        FAILURE,
        /** The endpoint could not be reached; nothing was sent. */
        CONNECTION_FAILURE,
        /** The caller gave up; the endpoint is not judged. */
        CANCELLED;

        /** {@return whether this outcome counts against the endpoint ({@link #FAILURE} or {@link #CONNECTION_FAILURE})} */
        public boolean isFailure() {
            return this == FAILURE || this == CONNECTION_FAILURE;
        }
    }
}
