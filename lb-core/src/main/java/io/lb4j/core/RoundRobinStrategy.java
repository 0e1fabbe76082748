package io.lb4j.core;

import io.lb4j.core.internal.StripedSequence;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Plain round-robin; the sequence lives per balancer so that a list swap does not restart it.
 * Only first attempts (a pick with nothing to avoid) step the sequence: a retry draws at random,
 * so that a failing endpoint gets exactly 1/n of first attempts instead of also losing the slot
 * after it to the retry (which would give it 1/(n-1)).
 */
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
        // striped, so that a pick takes no locked add (threads that race repeat a run of positions)
        StripedSequence sequence = context.shared(SEQUENCE_KEY, () -> new StripedSequence(context.random().nextInt()));
        return new RoundRobinPicker(endpoints.toArray(new EndpointState[0]), sequence, context.random());
    }

    /** Reads nothing of the endpoints' bookkeeping: its own counter is all it needs. */
    @Override
    public java.util.Set<Bookkeeping> bookkeeping() {
        return Bookkeeping.NONE;
    }

    @Override
    public String toString() {
        return name();
    }

    static final class RoundRobinPicker implements Picker {
        private final EndpointState[] endpoints;
        private final StripedSequence sequence;
        private final RandomGenerator random;

        RoundRobinPicker(EndpointState[] endpoints, StripedSequence sequence, RandomGenerator random) {
            this.endpoints = endpoints;
            this.sequence = sequence;
            this.random = random;
        }

        @Override
        public EndpointState pick(PickContext context) {
            if (!context.avoid().isEmpty()) {
                // a retry (or a re-pick around an avoided endpoint): one uniform draw, the balancer
                // draws again if it lands on an avoided endpoint; the sequence stays untouched
                return endpoints[random.nextInt(endpoints.length)];
            }
            // the mask keeps the index non-negative when the counter overflows
            return endpoints[(sequence.next() & Integer.MAX_VALUE) % endpoints.length];
        }
    }
}
