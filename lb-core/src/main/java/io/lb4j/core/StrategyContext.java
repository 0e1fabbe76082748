package io.lb4j.core;

import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * What a {@link Strategy} may use when it builds a picker: the balancer's injected time and
 * randomness, and a per-balancer store for state that must outlive one picker.
 * Thread-safe.
 */
public interface StrategyContext {

    /** {@return the service name of the balancer} */
    String service();

    /** {@return the balancer's ticker; use it instead of {@code System.nanoTime()}} */
    Ticker ticker();

    /** {@return the balancer's random source; thread-safe; use it instead of {@code new Random()}} */
    RandomGenerator random();

    /**
     * Returns the value stored under {@code key} for this balancer, creating it with
     * {@code factory} on first use. Kept for the life of the balancer, across pickers and
     * strategy switches; use a key private to the strategy.
     *
     * @param <T> the value's type
     * @param key a key private to the strategy
     * @param factory creates the value on first use
     * @return the shared value
     */
    <T> T shared(Object key, Supplier<? extends T> factory);

    /**
     * The weights of {@code endpoints}, in order, in a new array the caller owns. For the list a
     * balancer passes to {@link Strategy#newPicker} they are the weights its snapshot was built
     * with, read from an array beside the list: no state is read (at 100,000 endpoints a cache
     * miss each, the main cost of rebuilding a weighted picker after one exclusion change), and
     * during an update they are already the new weights that decided eligibility. For any other
     * list, each state's {@link EndpointState#weight()}.
     *
     * @param endpoints the endpoints a picker is built over
     * @return their weights, in the list's order
     */
    default int[] weights(List<EndpointState> endpoints) {
        return StateList.weightsOf(endpoints);
    }
}
