package io.lb4j.strategies;

import io.lb4j.core.Bookkeeping;
import io.lb4j.core.EndpointState;
import io.lb4j.core.PickContext;
import io.lb4j.core.Picker;
import io.lb4j.core.Strategy;
import io.lb4j.core.StrategyContext;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/** Uniform random over the pickable endpoints, ignoring weights. */
final class RandomStrategy implements Strategy {
    // a singleton class rather than an enum: Enum.name() is final and would clash with Strategy.name()
    static final RandomStrategy INSTANCE = new RandomStrategy();
    static final String NAME = "random";

    private RandomStrategy() {}

    @Override
    public String name() {
        return NAME;
    }

    /** Reads nothing of the endpoints' per-call bookkeeping: no clock read, no in-flight count. */
    @Override
    public Set<Bookkeeping> bookkeeping() {
        return Bookkeeping.NONE;
    }

    @Override
    public Picker newPicker(List<EndpointState> endpoints, StrategyContext context) {
        return new RandomPicker(endpoints.toArray(new EndpointState[0]), context.random());
    }

    @Override
    public String toString() {
        return NAME;
    }

    static final class RandomPicker implements Picker {
        private final EndpointState[] endpoints;
        private final RandomGenerator random;

        RandomPicker(EndpointState[] endpoints, RandomGenerator random) {
            this.endpoints = endpoints;
            this.random = random;
        }

        @Override
        public EndpointState pick(PickContext context) {
            return endpoints[random.nextInt(endpoints.length)];
        }
    }
}
