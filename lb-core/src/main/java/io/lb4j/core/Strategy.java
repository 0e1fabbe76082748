package io.lb4j.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A configuration-level factory of {@link Picker}s: each time a balancer's eligible list
 * changes, it asks its strategy for a picker over the new list.
 *
 * <p>Implementations must be immutable and thread-safe; one strategy may serve many balancers.
 * Stateless strategies are best written as singletons (a final class with one instance; an enum
 * cannot, as {@code Enum.name()} is final). State that must outlive one picker
 * goes to {@link StrategyContext#shared}, which is per balancer.
 * <pre>{@code
 * Balancer b = Balancer.builder("users").strategy(Strategy.roundRobin()).build();
 * }</pre>
 * More strategies are in {@code io.lb4j.strategies.Strategies}.
 */
public interface Strategy {

    /** {@return the strategy's name, e.g. {@code "round-robin"}} */
    String name();

    /**
     * Builds a picker over {@code endpoints}.
     *
     * @param endpoints the eligible endpoints, never empty, unmodifiable, in the balancer's order
     * @param context the balancer's ticker, random source and long-lived shared state
     * @return the new picker
     */
    Picker newPicker(List<EndpointState> endpoints, StrategyContext context);

    /**
     * How often the balancer rebuilds this strategy's picker over an unchanged list, for pickers
     * that bake in live state which changes slowly (weights from server-reported load): the
     * balancer's control executor builds and publishes a new snapshot that often, so picks never
     * pay for it. {@link Duration#ZERO}, the default, means only when something changes.
     *
     * @return the interval, or zero for none
     */
    default Duration rebuildInterval() {
        return Duration.ZERO;
    }

    /**
     * What this strategy's pickers read of the endpoints' per-call bookkeeping: in-flight counts,
     * latency estimates, pending ages. The balancer keeps only what its strategy (and its limit,
     * meters and listeners) read, composed once per snapshot: a round-robin pick then costs no
     * clock read and no shared write beyond the strategy's own counter. A strategy that reads an
     * item it did not declare sees its value frozen (an in-flight count of 0, no latency sample).
     *
     * @return {@link Bookkeeping#ALL} by default, which is always correct; built-in strategies
     *     declare less
     */
    default Set<Bookkeeping> bookkeeping() {
        return Bookkeeping.ALL;
    }

    /**
     * The strategy's settings, for views and logs ({@link BalancerView#strategySettings()}).
     *
     * @return setting name to value in words (e.g. {@code "choiceCount" -> "2"}), unmodifiable;
     *         empty by default
     */
    default Map<String, String> settings() {
        return Map.of();
    }

    /**
     * The share of its full traffic the strategy's slow start gives an endpoint at
     * {@code nowNanos}, for views ({@link EndpointView#slowStartShare()}).
     *
     * @param endpoint the endpoint's live state (its age is measured from {@link EndpointState#firstSeenNanos()})
     * @param nowNanos a reading of the balancer's ticker
     * @return 0-1; 1 by default (no slow start)
     */
    default double slowStartShare(EndpointState endpoint, long nowNanos) {
        return 1.0;
    }

    /**
     * Round-robin over the eligible endpoints, ignoring weights, starting at a random offset;
     * the sequence carries across list changes. Only first attempts step the sequence: a retry
     * (a pick whose {@link PickContext#avoid()} is not empty) is a uniform random draw, so a
     * failing endpoint gets exactly 1/n of first attempts. The default strategy.
     *
     * @return the round-robin strategy, a singleton
     */
    static Strategy roundRobin() {
        return RoundRobinStrategy.INSTANCE;
    }
}
