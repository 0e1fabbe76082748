package io.lb4j.core;

/**
 * Picks one endpoint per call from the fixed list its {@link Strategy} built it for.
 *
 * <p>A picker is immutable over its list and called concurrently from any number of threads:
 * it must not lock and should not allocate. Long-lived counters (a round-robin sequence) live in
 * {@link StrategyContext#shared}, per-endpoint live values in {@link EndpointState}.
 * The balancer never calls a picker with an empty list.
 */
@FunctionalInterface
public interface Picker {

    /**
     * Returns one of the picker's endpoints. May ignore {@link PickContext#avoid()}; the balancer
     * re-picks around avoided endpoints.
     *
     * @param context the hash key and the endpoints to avoid
     * @return the picked endpoint's state
     */
    EndpointState pick(PickContext context);

    /**
     * {@link #pick(PickContext)} with a ticker reading the balancer took anyway (its strategy
     * declared {@link Bookkeeping#LATENCY} or {@link Bookkeeping#PENDING_TIMES}, or something else
     * measures the call): a picker that reads the time should use it instead of a reading of
     * its own, which saves one clock read per pick. The default ignores it.
     *
     * @param context the hash key and the endpoints to avoid
     * @param nowNanos a reading of the balancer's ticker, taken just now
     * @return the picked endpoint's state
     */
    default EndpointState pick(PickContext context, long nowNanos) {
        return pick(context);
    }
}
