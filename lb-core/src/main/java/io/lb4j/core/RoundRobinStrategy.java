package io.lb4j.core;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Plain round-robin; the sequence lives per balancer so that a list swap does not restart it. */
final class RoundRobinStrategy implements Strategy {
    // a singleton class rather than an enum: Enum.name() is final and would clash with Strategy.name()
    static final RoundRobinStrategy INSTANCE = new RoundRobinStrategy();

    private RoundRobinStrategy() {}

    private static final Object SEQUENCE_KEY = new Object();

    @Override
    public String name() {
        return "round-robin";
    }

    @Override
    public Picker newPicker(List<EndpointState> endpoints, StrategyContext context) {
        // a random start, so that many clients created together do not all hit the first endpoint
        AtomicInteger sequence = context.shared(SEQUENCE_KEY, () -> new AtomicInteger(context.random().nextInt()));
        return new RoundRobinPicker(endpoints.toArray(new EndpointState[0]), sequence);
    }

    @Override
    public String toString() {
        return name();
    }

    static final class RoundRobinPicker implements Picker {
        private final EndpointState[] endpoints;
        private final AtomicInteger sequence;

        RoundRobinPicker(EndpointState[] endpoints, AtomicInteger sequence) {
            this.endpoints = endpoints;
            this.sequence = sequence;
        }

        @Override
        public EndpointState pick(PickContext context) {
            // the mask keeps the index non-negative when the counter overflows
            return endpoints[(sequence.getAndIncrement() & Integer.MAX_VALUE) % endpoints.length];
        }
    }
}
