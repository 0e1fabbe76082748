package io.lb4j.core;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One use of one endpoint, from {@link Balancer#pick()} to its outcome. Complete it exactly once
 * with {@link #success()}, {@link #failure(Throwable)} or {@link #cancel()}; the first
 * completion counts and later ones are ignored (they return {@code false}).
 *
 * <p>Picking adds one to the endpoint's in-flight count; completing removes it, feeds the
 * latency measured with the balancer's ticker from pick to completion into the endpoint's
 * latency estimate (successes and failures, a failure only ever raising it; see
 * {@link EndpointState#latencyEwmaNanos}) and tells the balancer's {@link OutcomeListener}s.
 *
 * <p>Thread-safe: may be completed from any thread.
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

    private static final AtomicIntegerFieldUpdater<Selection> DONE =
            AtomicIntegerFieldUpdater.newUpdater(Selection.class, "done");

    private final DefaultBalancer balancer;
    private final EndpointState state;
    private final Endpoint endpoint;
    private final long startNanos;
    /** Whether the pick was counted in the endpoint's pending ages (its strategy reads them). */
    private final boolean pendingTracked;
    private volatile int done;

    Selection(DefaultBalancer balancer, EndpointState state, long startNanos, boolean pendingTracked) {
        this.balancer = balancer;
        this.state = state;
        this.endpoint = state.endpoint();
        this.startNanos = startNanos;
        this.pendingTracked = pendingTracked;
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

    /** {@return the ticker reading at pick time} */
    public long startNanos() {
        return startNanos;
    }

    /** {@return whether the selection was completed} */
    public boolean isDone() {
        return done != 0;
    }

    /**
     * Completes with success; returns false if already completed.
     *
     * @return true if this call completed it, false if it was already completed
     */
    public boolean success() {
        return complete(Outcome.SUCCESS, null);
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

    private boolean complete(Outcome outcome, Throwable cause) {
        if (!DONE.compareAndSet(this, 0, 1)) {
            return false;
        }
        long now = balancer.ticker().read();
        long latency = now - startNanos;
        if (pendingTracked) {
            state.pendingFinished(startNanos);
        }
        state.finished(outcome == Outcome.SUCCESS, outcome.isFailure(), latency, now);
        balancer.completed(this, outcome, cause, latency, now);
        return true;
    }

    @Override
    public String toString() {
        return "Selection{" + balancer.service() + " -> " + endpoint + (done != 0 ? ", done" : "") + "}";
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
