package io.lb4j.strategies;

import io.lb4j.core.Strategy;

/**
 * Makes a user strategy available by name to {@link Strategies#named(String)}, found with
 * {@link java.util.ServiceLoader}: implement it, then list the class in
 * {@code META-INF/services/io.lb4j.strategies.StrategyProvider} (or {@code provides} it from a
 * module).
 *
 * <p>Implementations need a public no-argument constructor and must be thread-safe.
 * <pre>{@code
 * public final class ZoneFirstProvider implements StrategyProvider {
 *     public String name() { return "zone-first"; }
 *     public Strategy create() { return new ZoneFirstStrategy(); }
 * }
 * }</pre>
 * The built-in names are reserved: a provider that claims one is ignored (with a warning).
 */
public interface StrategyProvider {

    /** {@return the name users ask for, e.g. {@code "zone-first"}; matched exactly} */
    String name();

    /**
     * Creates the strategy, configured with its defaults.
     *
     * @return a new strategy
     */
    Strategy create();
}
