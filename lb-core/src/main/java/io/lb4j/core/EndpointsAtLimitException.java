package io.lb4j.core;

/**
 * Thrown by {@link Balancer#pick()} when every endpoint that may be picked already has
 * {@link BalancerBuilder#maxInFlightPerEndpoint(int) maxInFlightPerEndpoint} calls in flight: the
 * pick fails at once instead of waiting for room. The message names the service, the limit and
 * how many endpoints were full, e.g. {@code 'users': all 3 pickable endpoints are at
 * maxInFlightPerEndpoint 4 (3 full; 5 known, 3 eligible)}.
 */
public final class EndpointsAtLimitException extends NoAvailableEndpointException {
    private static final long serialVersionUID = 1L;

    /** The per-endpoint limit that every pickable endpoint had reached. */
    private final int limit;
    /** How many endpoints were full. */
    private final int fullCount;

    EndpointsAtLimitException(String service, String message, int limit, int fullCount) {
        super(service, message);
        this.limit = limit;
        this.fullCount = fullCount;
    }

    /**
     * The limit of calls in flight per endpoint.
     *
     * @return the balancer's {@code maxInFlightPerEndpoint}
     */
    public int limit() {
        return limit;
    }

    /**
     * How many pickable endpoints were at the limit when the pick gave up.
     *
     * @return the count
     */
    public int fullCount() {
        return fullCount;
    }
}
