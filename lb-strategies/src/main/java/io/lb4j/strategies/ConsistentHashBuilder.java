package io.lb4j.strategies;

import static io.lb4j.core.internal.Checks.inRange;

import io.lb4j.core.Strategy;

/**
 * Configures {@link Strategies#consistentHash()}. Not thread-safe; the strategies it builds are
 * immutable.
 * <pre>{@code
 * Strategy s = Strategies.consistentHashBuilder().boundedLoad(true).balanceFactor(1.5).build();
 * }</pre>
 *
 * <p>Defaults: {@value #DEFAULT_VIRTUAL_NODES} virtual nodes for the heaviest endpoint, bounded
 * load off, balance factor {@value #DEFAULT_BALANCE_FACTOR} once it is on.
 */
public final class ConsistentHashBuilder {
    /** Ring points of the heaviest endpoint; enough for about 3 % spread in key shares. */
    public static final int DEFAULT_VIRTUAL_NODES = ConsistentHashStrategy.DEFAULT_VIRTUAL_NODES;
    /** At most 25 % above an endpoint's weighted share of the calls in flight. */
    public static final double DEFAULT_BALANCE_FACTOR = ConsistentHashStrategy.DEFAULT_BALANCE_FACTOR;

    private int virtualNodes = DEFAULT_VIRTUAL_NODES;
    private boolean boundedLoad;
    private double balanceFactor = DEFAULT_BALANCE_FACTOR;

    ConsistentHashBuilder() {}

    /**
     * Ring points of the heaviest endpoint; the others get points in proportion to their weight
     * (at least one). The key shares spread by about {@code 1/sqrt(virtualNodes)}; the ring is
     * capped at 2^20 points, shared out in proportion when the list is larger.
     *
     * @param virtualNodes the ring points of the heaviest endpoint
     * @return this builder
     * @throws IllegalArgumentException unless 1-65536
     */
    public ConsistentHashBuilder virtualNodes(int virtualNodes) {
        this.virtualNodes = inRange(virtualNodes, 1, 65_536, "virtualNodes");
        return this;
    }

    /**
     * Bounded loads: an endpoint whose calls in flight would exceed {@code balanceFactor} times
     * its weighted share of all calls in flight passes the call on to the next endpoint on the
     * ring. Keeps hot keys from overloading one endpoint, at the cost of some key affinity.
     *
     * @param boundedLoad whether loads are bounded
     * @return this builder
     */
    public ConsistentHashBuilder boundedLoad(boolean boundedLoad) {
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
    public ConsistentHashBuilder balanceFactor(double balanceFactor) {
        this.balanceFactor = inRange(balanceFactor, 1.0, 100.0, "balanceFactor");
        return this;
    }

    /**
     * Builds the consistent-hash strategy with the options set so far; the default configuration gives the shared default instance.
     *
     * @return the strategy
     */
    public Strategy build() {
        if (virtualNodes == DEFAULT_VIRTUAL_NODES && !boundedLoad && balanceFactor == DEFAULT_BALANCE_FACTOR) {
            return ConsistentHashStrategy.DEFAULT;
        }
        return new ConsistentHashStrategy(virtualNodes, boundedLoad, balanceFactor);
    }
}
