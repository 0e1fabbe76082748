package io.lb4j.strategies;

import static io.lb4j.core.internal.Checks.notNull;

import io.lb4j.core.Strategy;

/**
 * Configures the weighted strategies, {@link Strategies#weightedRoundRobin()} and
 * {@link Strategies#weightedRandom()}. Not thread-safe; the strategies it builds are immutable.
 * <pre>{@code
 * Strategy s = Strategies.weightedRoundRobinBuilder().slowStart(SlowStart.of(Duration.ofSeconds(30))).build();
 * }</pre>
 *
 * <p>Defaults: no slow start.
 */
public final class WeightedBuilder {
    private final boolean roundRobin;
    private SlowStart slowStart = SlowStart.disabled();

    WeightedBuilder(boolean roundRobin) {
        this.roundRobin = roundRobin;
    }

    /**
     * Ramps new endpoints up: a pick that lands on one goes, with probability {@code 1 - share},
     * to the next endpoint in the sequence (round-robin) or to another draw (random, at most 4
     * draws). When all endpoints ramp together their shares stay as they were.
     *
     * @param slowStart the ramp
     * @return this builder
     * @throws NullPointerException if null
     */
    public WeightedBuilder slowStart(SlowStart slowStart) {
        this.slowStart = notNull(slowStart, "slowStart");
        return this;
    }

    /**
     * Builds the weighted strategy with the options set so far; the default configuration gives the shared default instance.
     *
     * @return the strategy
     */
    public Strategy build() {
        if (roundRobin) {
            return slowStart.enabled() ? new WeightedStrategy(true, slowStart) : WeightedStrategy.ROUND_ROBIN_DEFAULT;
        }
        return slowStart.enabled() ? new WeightedStrategy(false, slowStart) : WeightedStrategy.RANDOM_DEFAULT;
    }
}
