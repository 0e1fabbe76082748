package io.lb4j.strategies;

import io.lb4j.core.Bookkeeping;
import io.lb4j.core.EndpointState;
import io.lb4j.core.PickContext;
import io.lb4j.core.Picker;
import io.lb4j.core.Strategy;
import io.lb4j.core.StrategyContext;
import io.lb4j.core.internal.StripedSequence;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Weighted round-robin and weighted random, both O(1) per pick over an {@link AliasTable}. */
final class WeightedStrategy implements Strategy {
    static final String ROUND_ROBIN = "weighted-round-robin";
    static final String RANDOM = "weighted-random";
    static final WeightedStrategy ROUND_ROBIN_DEFAULT = new WeightedStrategy(true, SlowStart.disabled());
    static final WeightedStrategy RANDOM_DEFAULT = new WeightedStrategy(false, SlowStart.disabled());

    private static final Object SEQUENCE_KEY = new Object();
    /** 2^32 / sqrt(2), odd: spreads column phases evenly. */
    private static final long PHASE = 0xB504F333L;
    /** 2^32 / golden ratio: a low-discrepancy sequence for slow-start pass-overs. */
    private static final long GOLDEN = 0x9E3779B9L;

    private final boolean roundRobin;
    private final SlowStart slowStart;

    WeightedStrategy(boolean roundRobin, SlowStart slowStart) {
        this.roundRobin = roundRobin;
        this.slowStart = slowStart;
    }

    @Override
    public String name() {
        return roundRobin ? ROUND_ROBIN : RANDOM;
    }

    SlowStart slowStart() {
        return slowStart;
    }

    /** Reads nothing of the endpoints' per-call bookkeeping: no clock read, no in-flight count. */
    @Override
    public Set<Bookkeeping> bookkeeping() {
        return Bookkeeping.NONE;
    }

    @Override
    public Picker newPicker(List<EndpointState> endpoints, StrategyContext context) {
        EndpointState[] states = endpoints.toArray(new EndpointState[0]);
        AliasTable table = AliasTable.of(context.weights(endpoints));
        Ramp ramp = Ramp.of(slowStart, endpoints, context.ticker());
        if (!roundRobin) {
            return new WeightedRandomPicker(states, table, context.random(), ramp);
        }
        // a random start, so that clients created together do not walk in step
        // striped, so that a pick takes no locked add (threads that race repeat a run of columns)
        StripedSequence sequence = context.shared(SEQUENCE_KEY, () -> new StripedSequence(context.random().nextInt()));
        return new WeightedRoundRobinPicker(states, table, sequence, context.random(), ramp);
    }

    @Override
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        slowStart.describe(settings);
        return Collections.unmodifiableMap(settings);
    }

    @Override
    public double slowStartShare(EndpointState endpoint, long nowNanos) {
        return slowStart.share(endpoint, nowNanos);
    }

    @Override
    public String toString() {
        return name() + (slowStart.enabled() ? "{" + slowStart + "}" : "");
    }

    /**
     * A shared sequence walks the columns of an {@link AliasTable} in order. Column {@code c}
     * owns a share {@code T/2^32} of its slot; on its {@code g}-th visit it goes to its own
     * endpoint exactly when {@code g*T + phase(c)} carries past 2^32 (a Bresenham line),
     * otherwise to its alias. So every column hands out its two endpoints in the smoothest
     * possible alternation, exact over each 2^32 visits, and no pick loops: a stride scheduler
     * that skips endpoints which are "not due" needs up to n steps when one weight dwarfs the
     * rest. The per-column phase keeps columns with equal splits from switching in lockstep.
     *
     * <p>Only first attempts (nothing to avoid) step the sequence; a retry is one weighted random
     * draw, so that a failing endpoint keeps exactly its weighted share of first attempts.
     */
    static final class WeightedRoundRobinPicker implements Picker {
        private final EndpointState[] endpoints;
        private final AliasTable table;
        private final StripedSequence sequence;
        private final RandomGenerator random;
        private final Ramp ramp;

        WeightedRoundRobinPicker(EndpointState[] endpoints, AliasTable table, StripedSequence sequence,
                                 RandomGenerator random, Ramp ramp) {
            this.endpoints = endpoints;
            this.table = table;
            this.sequence = sequence;
            this.random = random;
            this.ramp = ramp;
        }

        @Override
        public EndpointState pick(PickContext context) {
            if (!context.avoid().isEmpty()) {
                // the balancer draws again if this lands on an avoided endpoint
                return endpoints[table.draw(random.nextLong())];
            }
            int seq = sequence.next() & Integer.MAX_VALUE;
            EndpointState chosen = endpoints[index(seq)];
            if (ramp != null && ramp.passOver(chosen, passOverDraw(seq))) {
                // one more step of the sequence, not a loop: the ramp lowers the share, it never blocks
                chosen = endpoints[index(sequence.next() & Integer.MAX_VALUE)];
            }
            return chosen;
        }

        int index(int seq) {
            int n = endpoints.length;
            int column = seq % n;
            long generation = seq / n;
            long split = table.split(column);
            long position = (generation * split + column * PHASE) & AliasTable.MASK32;
            // a carry past 2^32 happens on exactly split/2^32 of the visits, evenly spaced
            return position + split > AliasTable.MASK32 ? column : table.alias(column);
        }

        private double passOverDraw(int seq) {
            return (((seq / endpoints.length) * GOLDEN + seq * PHASE) & AliasTable.MASK32) * 0x1p-32;
        }
    }

    /** One random long picks a column of an {@link AliasTable} and its side. */
    static final class WeightedRandomPicker implements Picker {
        /** Draws per pick at most while some endpoint ramps. */
        static final int MAX_DRAWS = 4;

        private final EndpointState[] endpoints;
        private final AliasTable table;
        private final RandomGenerator random;
        private final Ramp ramp;

        WeightedRandomPicker(EndpointState[] endpoints, AliasTable table, RandomGenerator random, Ramp ramp) {
            this.endpoints = endpoints;
            this.table = table;
            this.random = random;
            this.ramp = ramp;
        }

        @Override
        public EndpointState pick(PickContext context) {
            EndpointState chosen = draw();
            // bounded rejection sampling: a ramping endpoint is kept with probability = its share;
            // the last draw stands, so all endpoints ramping together keep their proportions
            for (int attempt = 1; attempt < MAX_DRAWS && ramp != null && ramp.passOver(chosen, random.nextDouble()); attempt++) {
                chosen = draw();
            }
            return chosen;
        }

        private EndpointState draw() {
            return endpoints[table.draw(random.nextLong())];
        }
    }
}
