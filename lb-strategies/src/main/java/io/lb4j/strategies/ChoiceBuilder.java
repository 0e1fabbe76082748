package io.lb4j.strategies;

import static io.lb4j.core.internal.Checks.atLeast;
import static io.lb4j.core.internal.Checks.notNull;

import io.lb4j.core.Strategy;

/**
 * Configures the power-of-choices strategies, {@link Strategies#leastConnections()} and
 * {@link Strategies#peakEwma()}. Not thread-safe; the strategies it builds are immutable.
 * The latency decay time of peak-EWMA is not set here but on the balancer
 * ({@link io.lb4j.core.BalancerBuilder#latencyDecay}), because the averages belong to the
 * endpoints and must survive a strategy switch.
 * <pre>{@code
 * Strategy s = Strategies.leastConnectionsBuilder()
 *         .choiceCount(3)
 *         .slowStart(SlowStart.of(Duration.ofSeconds(30)))
 *         .build();
 * }</pre>
 *
 * <p>Defaults: {@value #DEFAULT_CHOICE_COUNT} choices, no slow start.
 */
public final class ChoiceBuilder {
    /** Power of two choices. */
    public static final int DEFAULT_CHOICE_COUNT = ChoiceStrategy.DEFAULT_CHOICE_COUNT;

    private final boolean latencyAware;
    private int choiceCount = DEFAULT_CHOICE_COUNT;
    private SlowStart slowStart = SlowStart.disabled();

    ChoiceBuilder(boolean latencyAware) {
        this.latencyAware = latencyAware;
    }

    /**
     * How many distinct endpoints each pick samples (capped at the number pickable). More
     * choices balance harder but herd more: many clients see the same least-loaded endpoint.
     *
     * @param choiceCount the number of samples, at least 2
     * @return this builder
     * @throws IllegalArgumentException if less than 2
     */
    public ChoiceBuilder choiceCount(int choiceCount) {
        this.choiceCount = atLeast(choiceCount, 2, "choiceCount");
        return this;
    }

    /**
     * Ramps new endpoints up: when one wins the comparison, the runner-up takes the call instead
     * with probability {@code 1 - share}, so a new endpoint gets about {@code share} of the
     * calls it would otherwise win.
     *
     * @param slowStart the ramp
     * @return this builder
     * @throws NullPointerException if null
     */
    public ChoiceBuilder slowStart(SlowStart slowStart) {
        this.slowStart = notNull(slowStart, "slowStart");
        return this;
    }

    /**
     * Builds the strategy with the options set so far; the default configuration gives the shared default instance.
     *
     * @return the strategy
     */
    public Strategy build() {
        if (choiceCount == DEFAULT_CHOICE_COUNT && !slowStart.enabled()) {
            return latencyAware ? ChoiceStrategy.PEAK_EWMA_DEFAULT : ChoiceStrategy.LEAST_CONNECTIONS_DEFAULT;
        }
        return new ChoiceStrategy(latencyAware, choiceCount, slowStart);
    }
}
