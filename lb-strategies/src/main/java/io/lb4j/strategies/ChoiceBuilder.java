package io.lb4j.strategies;

import static io.lb4j.core.internal.Checks.atLeast;
import static io.lb4j.core.internal.Checks.inRange;
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
 * <p>Defaults: {@value #DEFAULT_CHOICE_COUNT} choices, no slow start, failure penalty
 * {@value #DEFAULT_FAILURE_PENALTY} (peak-EWMA only), not stall-aware (least-connections only).
 */
public final class ChoiceBuilder {
    /** Power of two choices. */
    public static final int DEFAULT_CHOICE_COUNT = ChoiceStrategy.DEFAULT_CHOICE_COUNT;
    /** Peak-EWMA: a fresh failure adds the larger of the compared loads once. */
    public static final double DEFAULT_FAILURE_PENALTY = ChoiceStrategy.DEFAULT_FAILURE_PENALTY;

    private final boolean latencyAware;
    private int choiceCount = DEFAULT_CHOICE_COUNT;
    private SlowStart slowStart = SlowStart.disabled();
    private double failurePenalty = DEFAULT_FAILURE_PENALTY;
    private boolean stallAware;

    ChoiceBuilder(boolean latencyAware) {
        this.latencyAware = latencyAware;
    }

    /**
     * How many endpoints each pick samples (capped at the number pickable), distinct ones except
     * that least-connections with unequal weights draws each beyond the second in proportion to
     * weight, repeats allowed. More choices balance harder but herd more: many clients see the
     * same least-loaded endpoint.
     *
     * @param choiceCount the number of endpoints sampled per pick, at least 2
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
     * @param slowStart the ramp, or {@link SlowStart#disabled()}
     * @return this builder
     * @throws NullPointerException if null
     */
    public ChoiceBuilder slowStart(SlowStart slowStart) {
        this.slowStart = notNull(slowStart, "slowStart");
        return this;
    }

    /**
     * Peak-EWMA's failure penalty: when two endpoints are compared, each one's load
     * ({@code latencyEwma * (inFlight + 1) / weight}) is raised by
     * {@code failurePenalty * failureLevel * max(both loads)}, where the
     * {@linkplain io.lb4j.core.EndpointState#failureLevel failure level} is 1 right after a failed
     * call, halves with each success and fades with the latency decay time. The penalty is
     * relative to what the endpoints being compared cost, so it needs no tuning to the service's
     * latency: at the default of 1 an endpoint whose latest call failed never wins against one
     * that did not, however fast it fails; once a success has halved its level it wins only
     * against an endpoint at least twice as costly. A failing endpoint keeps its share of
     * re-measurement calls (one per tenth of the decay time), which clear the level when they
     * succeed. 0 turns the penalty off (failures then count only through their latency, which
     * can only raise the estimate).
     *
     * @param failurePenalty the multiple of the larger compared load, 0-1000
     * @return this builder
     * @throws IllegalArgumentException if not within 0-1000
     * @throws IllegalStateException on the least-connections builder, which does not look at latency or failures
     */
    public ChoiceBuilder failurePenalty(double failurePenalty) {
        if (!latencyAware) {
            throw new IllegalStateException("failurePenalty applies to peak-ewma only, not to least-connections");
        }
        this.failurePenalty = inRange(failurePenalty, 0.0, ChoiceStrategy.MAX_FAILURE_PENALTY, "failurePenalty");
        return this;
    }

    /**
     * Least-connections: whether calls stalled far beyond an endpoint's usual latency count
     * against it before they end (an endpoint with one call stuck for a second then counts as
     * if it had {@code age / (2 * usual latency)} calls in flight, so it stops winning as the
     * idle one). Off by default, because it costs every call two clock reads, a latency estimate
     * and two more shared writes ({@link io.lb4j.core.Bookkeeping#LATENCY},
     * {@link io.lb4j.core.Bookkeeping#PENDING_TIMES}), which is more than least-connections
     * itself; peak-EWMA always does it. A per-attempt timeout bounds a stall either way.
     *
     * @param stallAware true to weigh the age of calls in flight
     * @return this builder
     * @throws IllegalStateException on the peak-EWMA builder, where it is always on
     */
    public ChoiceBuilder stallAware(boolean stallAware) {
        if (latencyAware) {
            throw new IllegalStateException("stallAware applies to least-connections only; peak-ewma always weighs stalled calls");
        }
        this.stallAware = stallAware;
        return this;
    }

    /**
     * Builds the strategy with the options set so far; the default configuration gives the shared default instance.
     *
     * @return an immutable, thread-safe strategy
     */
    public Strategy build() {
        boolean defaults = choiceCount == DEFAULT_CHOICE_COUNT && !slowStart.enabled() && !stallAware
                && (!latencyAware || failurePenalty == DEFAULT_FAILURE_PENALTY);
        if (defaults) {
            return latencyAware ? ChoiceStrategy.PEAK_EWMA_DEFAULT : ChoiceStrategy.LEAST_CONNECTIONS_DEFAULT;
        }
        return new ChoiceStrategy(latencyAware, choiceCount, slowStart, failurePenalty, stallAware);
    }
}
