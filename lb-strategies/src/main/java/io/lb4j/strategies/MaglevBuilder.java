package io.lb4j.strategies;

import static io.lb4j.core.internal.Checks.inRange;

import io.lb4j.core.Strategy;

/**
 * Configures {@link Strategies#maglev()}. Not thread-safe; the strategies it builds are
 * immutable.
 * <pre>{@code
 * Strategy s = Strategies.maglevBuilder().boundedLoad(true).balanceFactor(1.5).build();
 * }</pre>
 *
 * <p>Defaults: at least {@value #DEFAULT_TABLE_SIZE_FACTOR} table slots per endpoint (at most
 * {@value #MAX_TABLE_SIZE} slots in all), bounded load off, balance factor
 * {@value #DEFAULT_BALANCE_FACTOR} once it is on.
 */
public final class MaglevBuilder {
    /** Table slots per endpoint: key shares within about 1 % of the weighted share. */
    public static final int DEFAULT_TABLE_SIZE_FACTOR = MaglevStrategy.DEFAULT_TABLE_SIZE_FACTOR;
    /** The most table slots (16 MiB of table): the smallest prime at least 2^22, reached from 41,944 endpoints at the default factor. */
    public static final int MAX_TABLE_SIZE = MaglevTable.MAX_SIZE;
    /** At most 25 % above an endpoint's weighted share of the calls in flight. */
    public static final double DEFAULT_BALANCE_FACTOR = ConsistentHashStrategy.DEFAULT_BALANCE_FACTOR;

    private int tableSizeFactor = DEFAULT_TABLE_SIZE_FACTOR;
    private boolean boundedLoad;
    private double balanceFactor = DEFAULT_BALANCE_FACTOR;

    MaglevBuilder() {}

    /**
     * Table slots per endpoint, at least: the table size is the smallest prime at or above the
     * power of two at or above {@code tableSizeFactor} times the endpoint count, capped at
     * {@value #MAX_TABLE_SIZE} (4 bytes a slot). At the default, 10,000 endpoints get a table of
     * 1,048,583 slots (4 MiB) and 100,000 endpoints the capped 4,194,319 (16 MiB, 42 slots
     * each). The size changes only where {@code tableSizeFactor} times the count crosses a power
     * of two, and then nearly every key moves (a key's slot depends on the size); between those
     * points a list change moves only the keys of the endpoints that came or went and a small
     * share of the others. With equal weights, endpoints' key shares differ by at most one slot
     * ({@code 1/tableSizeFactor} of a share); refilling the table costs in proportion to its size.
     *
     * @param tableSizeFactor table slots per endpoint, at least
     * @return this builder
     * @throws IllegalArgumentException unless 10-1000
     */
    public MaglevBuilder tableSizeFactor(int tableSizeFactor) {
        this.tableSizeFactor = inRange(tableSizeFactor, 10, 1000, "tableSizeFactor");
        return this;
    }

    /**
     * Bounded loads: an endpoint whose calls in flight would exceed {@code balanceFactor} times
     * its weighted share of all calls in flight passes the call on to the key's next endpoint
     * (the endpoints of the next table slots). Keeps hot keys from overloading one endpoint, at
     * the cost of some key affinity.
     *
     * @param boundedLoad whether loads are bounded
     * @return this builder
     */
    public MaglevBuilder boundedLoad(boolean boundedLoad) {
        this.boundedLoad = boundedLoad;
        return this;
    }

    /**
     * The bound of {@link #boundedLoad}: how far above its share an endpoint may go. Lower is
     * more even and moves more keys off their home endpoint.
     *
     * @param balanceFactor the bound, 1 to 100
     * @return this builder
     * @throws IllegalArgumentException unless 1-100
     */
    public MaglevBuilder balanceFactor(double balanceFactor) {
        this.balanceFactor = inRange(balanceFactor, 1.0, 100.0, "balanceFactor");
        return this;
    }

    /**
     * Builds the Maglev strategy with the options set so far; the default configuration gives
     * the shared default instance.
     *
     * @return the strategy
     */
    public Strategy build() {
        if (tableSizeFactor == DEFAULT_TABLE_SIZE_FACTOR && !boundedLoad && balanceFactor == DEFAULT_BALANCE_FACTOR) {
            return MaglevStrategy.DEFAULT;
        }
        return new MaglevStrategy(tableSizeFactor, boundedLoad, balanceFactor);
    }
}
