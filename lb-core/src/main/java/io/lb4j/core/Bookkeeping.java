package io.lb4j.core;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Per-call bookkeeping that a {@link Strategy} reads from {@link EndpointState}, declared by
 * {@link Strategy#bookkeeping()} so that the balancer pays only for what is read: each item costs
 * every call a clock read or a shared write. The balancer composes what its strategy, its
 * {@code maxInFlightPerEndpoint}, its meters and its outcome listeners need once per snapshot;
 * {@link Balancer#pick()} and {@link Selection#success()} then do only that.
 *
 * <p>Always kept, whatever is declared: success, failure and cancellation counts, consecutive
 * failures (the success path writes nothing when the run is already 0), connection tracking and
 * the failure details the view shows.
 */
public enum Bookkeeping {
    /**
     * Calls in flight per endpoint ({@link EndpointState#inFlight()}): one shared increment at
     * pick and one decrement at completion. Also kept when {@code maxInFlightPerEndpoint} is set
     * or meters are bound.
     */
    IN_FLIGHT,
    /**
     * Call latency: a ticker read at pick and at completion, fed into the endpoint's peak-EWMA
     * estimate ({@link EndpointState#latencyEwmaNanos}) and {@link EndpointState#failureLevel}.
     * The ticker is also read, without feeding the estimate, for outcome listeners and meters.
     */
    LATENCY,
    /**
     * The summed age of the calls in flight ({@link EndpointState#pendingAgeNanos}): two more
     * shared writes per call and a ticker read at pick.
     */
    PENDING_TIMES;

    /** Everything: what a strategy that does not say gets. */
    public static final Set<Bookkeeping> ALL = Collections.unmodifiableSet(EnumSet.allOf(Bookkeeping.class));

    /** Nothing beyond what is always kept. */
    public static final Set<Bookkeeping> NONE = Collections.unmodifiableSet(EnumSet.noneOf(Bookkeeping.class));

    /** {@return the bit of this item in a composed mask} */
    int bit() {
        return 1 << ordinal();
    }

    /** {@return the mask of {@code items}} */
    static int mask(Set<Bookkeeping> items) {
        int m = 0;
        for (Bookkeeping b : items) {
            m |= b.bit();
        }
        return m;
    }
}
