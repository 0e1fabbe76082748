package io.lb4j.strategies;

import static io.lb4j.core.internal.Checks.notNegative;
import static io.lb4j.core.internal.Checks.notNull;
import static io.lb4j.core.internal.Checks.positive;

import io.lb4j.core.Strategy;
import java.time.Duration;

/**
 * Configures {@link Strategies#loadWeighted()}; not thread-safe; setters validate at once.
 * <pre>{@code
 * Strategy s = Strategies.loadWeightedBuilder().blackout(Duration.ofSeconds(5)).errorPenalty(2).build();
 * }</pre>
 * Defaults, those of gRPC's {@code weighted_round_robin} (gRFC A58): blackout 10 s, expiration
 * 3 min, weight update period 1 s, error penalty 1.0.
 */
public final class LoadWeightedBuilder {
    private Duration blackout = LoadWeightedStrategy.DEFAULT_BLACKOUT;
    private Duration expiration = LoadWeightedStrategy.DEFAULT_EXPIRATION;
    private Duration updatePeriod = LoadWeightedStrategy.DEFAULT_UPDATE_PERIOD;
    private double errorPenalty = LoadWeightedStrategy.DEFAULT_ERROR_PENALTY;

    LoadWeightedBuilder() {}

    /**
     * How long an endpoint must report without a break before its weight is used; zero uses it at once.
     *
     * @param blackout {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public LoadWeightedBuilder blackout(Duration blackout) {
        this.blackout = notNegative(notNull(blackout, "blackout"), "blackout");
        return this;
    }

    /**
     * How old the latest report may be before the endpoint's weight is dropped (and a blackout
     * applies again when reports resume).
     *
     * @param expiration positive
     * @return this builder
     * @throws IllegalArgumentException unless positive
     */
    public LoadWeightedBuilder expiration(Duration expiration) {
        this.expiration = positive(notNull(expiration, "expiration"), "expiration");
        return this;
    }

    /**
     * How often the weights are recomputed (the balancer rebuilds the picker that often).
     *
     * @param updatePeriod at least 100 ms, as in A58
     * @return this builder
     * @throws IllegalArgumentException if under 100 ms
     */
    public LoadWeightedBuilder updatePeriod(Duration updatePeriod) {
        notNull(updatePeriod, "updatePeriod");
        if (updatePeriod.compareTo(LoadWeightedStrategy.MIN_UPDATE_PERIOD) < 0) {
            throw new IllegalArgumentException("updatePeriod: " + updatePeriod + " (expected: >= PT0.1S)");
        }
        this.updatePeriod = updatePeriod;
        return this;
    }

    /**
     * The multiplier of the error rate {@code eps / rps} added to the utilisation.
     *
     * @param penalty {@code >= 0}; 0 ignores errors
     * @return this builder
     * @throws IllegalArgumentException if negative or not finite
     */
    public LoadWeightedBuilder errorPenalty(double penalty) {
        if (!(penalty >= 0) || Double.isInfinite(penalty)) {
            throw new IllegalArgumentException("errorPenalty: " + penalty + " (expected: a finite number >= 0)");
        }
        this.errorPenalty = penalty;
        return this;
    }

    /**
     * The strategy.
     *
     * @return an immutable strategy
     */
    public Strategy build() {
        return new LoadWeightedStrategy(blackout, expiration, updatePeriod, errorPenalty);
    }
}
