package io.lb4j.strategies;

import io.lb4j.core.Bookkeeping;
import io.lb4j.core.EndpointState;
import io.lb4j.core.PickContext;
import io.lb4j.core.Picker;
import io.lb4j.core.Strategy;
import io.lb4j.core.StrategyContext;
import io.lb4j.core.Ticker;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/** The power-of-d-choices strategies: least-connections and peak-EWMA. */
final class ChoiceStrategy implements Strategy {
    static final String LEAST_CONNECTIONS = "least-connections";
    static final String PEAK_EWMA = "peak-ewma";
    static final int DEFAULT_CHOICE_COUNT = 2;
    /** A fresh failure adds once the larger sampled load: a failed endpoint never beats a healthy one. */
    static final double DEFAULT_FAILURE_PENALTY = 1.0;
    static final double MAX_FAILURE_PENALTY = 1_000;
    static final ChoiceStrategy LEAST_CONNECTIONS_DEFAULT =
            new ChoiceStrategy(false, DEFAULT_CHOICE_COUNT, SlowStart.disabled(), DEFAULT_FAILURE_PENALTY, false);
    static final ChoiceStrategy PEAK_EWMA_DEFAULT =
            new ChoiceStrategy(true, DEFAULT_CHOICE_COUNT, SlowStart.disabled(), DEFAULT_FAILURE_PENALTY, true);

    /**
     * The cost of an endpoint with calls in flight but no latency sample yet: far above any real
     * cost, so one probe call at a time goes to a new endpoint until its first answer arrives.
     */
    static final double PENALTY = 1e200;
    private static final Set<Bookkeeping> IN_FLIGHT_ONLY = Collections.unmodifiableSet(EnumSet.of(Bookkeeping.IN_FLIGHT));

    private final boolean latencyAware;
    private final int choiceCount;
    private final SlowStart slowStart;
    /** Peak-EWMA only. */
    private final double failurePenalty;
    /** Whether the age of calls in flight counts; always for peak-EWMA. */
    private final boolean stallAware;

    ChoiceStrategy(boolean latencyAware, int choiceCount, SlowStart slowStart, double failurePenalty, boolean stallAware) {
        this.latencyAware = latencyAware;
        this.choiceCount = choiceCount;
        this.slowStart = slowStart;
        this.failurePenalty = failurePenalty;
        this.stallAware = latencyAware || stallAware;
    }

    boolean stallAware() {
        return stallAware;
    }

    @Override
    public String name() {
        return latencyAware ? PEAK_EWMA : LEAST_CONNECTIONS;
    }

    int choiceCount() {
        return choiceCount;
    }

    SlowStart slowStart() {
        return slowStart;
    }

    double failurePenalty() {
        return failurePenalty;
    }

    @Override
    public Picker newPicker(List<EndpointState> endpoints, StrategyContext context) {
        Ramp ramp = Ramp.of(slowStart, endpoints, context.ticker());
        if (!latencyAware && choiceCount == 2 && ramp == null && endpoints.size() > 1) {
            return new TwoChoicePicker(endpoints.toArray(new EndpointState[0]), context.weights(endpoints),
                    context.random(), stallAware ? context.ticker() : null);
        }
        return latencyAware
                ? new PeakEwmaPicker(endpoints, choiceCount, context, ramp, failurePenalty)
                : new LeastConnectionsPicker(endpoints, choiceCount, context, ramp, stallAware);
    }

    @Override
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("choiceCount", Integer.toString(choiceCount));
        if (!latencyAware) {
            settings.put("stallAware", Boolean.toString(stallAware));
        }
        slowStart.describe(settings);
        return Collections.unmodifiableMap(settings);
    }

    /**
     * Peak-EWMA and stall-aware least-connections read everything (in-flight counts, latency,
     * pending ages); plain least-connections only in-flight counts, so its calls read no clock.
     */
    @Override
    public Set<Bookkeeping> bookkeeping() {
        return stallAware ? Bookkeeping.ALL : IN_FLIGHT_ONLY;
    }

    /**
     * The in-flight count of {@code s} as least-connections compares it: at least its real count,
     * and more while the calls in flight have waited, on average, longer than twice the endpoint's
     * usual latency: their summed age in units of twice that latency (a call stalled for 1 s at
     * an endpoint that usually answers in 10 ms counts as 50). Calls of ordinary length (their
     * average age is about half the latency) change nothing.
     */
    static double stallAdjustedInFlight(EndpointState s, int inFlight, long nowNanos) {
        if (inFlight == 0 || !s.hasLatencySample()) {
            return inFlight;
        }
        double usual = s.latencyEwmaNanos(nowNanos);
        if (usual <= 0) {
            return inFlight;
        }
        return Math.max(inFlight, s.pendingAgeNanos(nowNanos) / (2 * usual));
    }

    /**
     * The latency peak-EWMA multiplies: the estimate, or the average age of the calls now in
     * flight when that is higher (they have taken longer than the estimate already; Finagle and
     * Linkerd count pending requests' age the same way), so a stalled endpoint stops looking idle
     * before its stalled calls end.
     */
    static double stallAdjustedLatency(EndpointState s, long nowNanos) {
        double estimate = s.latencyEwmaNanos(nowNanos);
        int pending = s.pendingCount();
        return pending == 0 ? estimate : Math.max(estimate, (double) s.pendingAgeNanos(nowNanos) / pending);
    }

    @Override
    public double slowStartShare(EndpointState endpoint, long nowNanos) {
        return slowStart.share(endpoint, nowNanos);
    }

    @Override
    public String toString() {
        return name() + "{choiceCount=" + choiceCount + (slowStart.enabled() ? ", " + slowStart : "")
                + (latencyAware && failurePenalty != DEFAULT_FAILURE_PENALTY ? ", failurePenalty=" + failurePenalty : "")
                + (!latencyAware && stallAware ? ", stallAware" : "")
                + "}";
    }

    /**
     * The default, least-connections with two choices and no ramp, on its own: the same choice
     * as {@link LeastConnectionsPicker} without the generality (more choices, slow start), which
     * costs about half again per pick. With equal weights: two distinct uniform samples, the
     * lower in-flight count wins. With unequal weights: two samples drawn in proportion to
     * weight (see {@link LeastConnectionsPicker}), the lower {@code inFlight / weight} wins.
     */
    static final class TwoChoicePicker implements Picker {
        private final EndpointState[] endpoints;
        private final RandomGenerator random;
        private final Ticker ticker;
        /** null when all weights are equal. */
        private final double[] inverseWeights;
        /** null when all weights are equal. */
        private final AliasTable table;

        TwoChoicePicker(EndpointState[] endpoints, int[] weights, RandomGenerator random, Ticker ticker) {
            this.endpoints = endpoints;
            this.random = random;
            this.ticker = ticker;
            double[] inverse = new double[endpoints.length];
            boolean equal = true;
            for (int i = 0; i < endpoints.length; i++) {
                inverse[i] = 1.0 / Math.max(1, weights[i]);
                equal &= inverse[i] == inverse[0];
            }
            this.inverseWeights = equal ? null : inverse;
            this.table = equal ? null : AliasTable.of(weights);
        }

        @Override
        public EndpointState pick(PickContext context) {
            return pick(context, Long.MIN_VALUE);
        }

        /** {@code now} is the balancer's ticker reading, or {@link Long#MIN_VALUE} for none. */
        @Override
        public EndpointState pick(PickContext context, long now) {
            double[] inverse = inverseWeights;
            if (inverse == null) {
                int n = endpoints.length;
                long r = random.nextLong();
                int first = ChoicePicker.first(r, n);
                EndpointState a = endpoints[first];
                if (a.inFlight() == 0) {
                    return a; // idle: no second sample can beat it (see lower)
                }
                EndpointState b = endpoints[ChoicePicker.second(r, n, first)];
                return lower(a, 1, b, 1, now);
            }
            int first = table.draw(random.nextLong());
            if (endpoints[first].inFlight() == 0) {
                // an idle first sample wins whatever the second (a tie goes to the first, and no
                // load is below 0), so under light load the second weighted draw is not made
                return endpoints[first];
            }
            int second = ChoicePicker.weightedSecond(table, random, endpoints.length, first);
            return lower(endpoints[first], inverse[first], endpoints[second], inverse[second], now);
        }

        /**
         * The sample with the lower {@code inFlight / weight}, the first on a tie. An idle sample
         * wins without a clock read; only when both have calls in flight are their ages weighed
         * ({@link #stallAdjustedInFlight}), so light load costs no ticker read.
         */
        private EndpointState lower(EndpointState a, double inverseA, EndpointState b, double inverseB, long given) {
            int ia = a.inFlight();
            int ib = b.inFlight();
            if (ia == 0 || ib == 0 || ticker == null) {
                return ib * inverseB < ia * inverseA ? b : a;
            }
            long now = given != Long.MIN_VALUE ? given : ticker.read();
            return stallAdjustedInFlight(b, ib, now) * inverseB < stallAdjustedInFlight(a, ia, now) * inverseA ? b : a;
        }
    }

    /**
     * Equal weights: the lower in-flight count of two uniform samples wins. Unequal weights: the
     * samples are drawn in proportion to weight and the lower {@code inFlight / weight} wins, a tie
     * going to the first sample. So with nothing in flight (light, sequential load) each endpoint
     * gets exactly its weighted share, the first sample's; under load the in-flight counts settle
     * in proportion to weight (Envoy's least-request {@code weight / (active + 1)} has the same
     * aim, with a scheduler that a lock-free P2C does not have: comparing {@code (inFlight + 1) / weight}
     * of two uniform samples always sends an idle system's call to the heavier one, so the
     * lightest endpoint got nothing). The two samples are distinct ({@link ChoicePicker#weightedSecond}).
     * An idle endpoint beats a busy one whatever the weights: weights decide among idle
     * endpoints through sampling, among busy ones through the comparison.
     */
    static final class LeastConnectionsPicker extends ChoicePicker {
        private final boolean stallAware;

        LeastConnectionsPicker(List<EndpointState> endpoints, int choices, StrategyContext context, Ramp ramp,
                               boolean stallAware) {
            super(endpoints, context.weights(endpoints), choices, context.random(), context.ticker(), ramp, true, false);
            this.stallAware = stallAware;
        }

        @Override
        long now() {
            return stallAware ? ticker.read() : 0;
        }

        @Override
        double load(int i, long nowNanos) {
            EndpointState s = endpoints[i];
            double inFlight = stallAware ? stallAdjustedInFlight(s, s.inFlight(), nowNanos) : s.inFlight();
            return uniformWeights ? inFlight : inFlight * inverseWeights[i];
        }
    }

    /**
     * Finagle's and Linkerd's P2C peak-EWMA: the lower {@code latencyEwma * (inFlight + 1) / weight}
     * wins. The average lives in {@link EndpointState} and decays with the balancer's
     * {@code latencyDecay}, so it survives strategy switches. Two additions: a sampled endpoint
     * whose estimate has gone stale is claimed for one re-measurement call
     * ({@link EndpointState#claimRemeasure}), and an endpoint's load is raised by
     * {@code failurePenalty * failureLevel * max(load of the samples)}
     * ({@link EndpointState#failureLevel}), so a fast failure never looks cheap.
     */
    static final class PeakEwmaPicker extends ChoicePicker {
        private final double failurePenalty;

        PeakEwmaPicker(List<EndpointState> endpoints, int choices, StrategyContext context, Ramp ramp,
                       double failurePenalty) {
            super(endpoints, context.weights(endpoints), choices, context.random(), context.ticker(), ramp, false, true);
            this.failurePenalty = failurePenalty;
        }

        @Override
        long now() {
            return ticker.read();
        }

        @Override
        boolean claims(int i, long nowNanos, PickContext context) {
            EndpointState s = endpoints[i];
            // avoided endpoints first: a claim that the balancer then turns down would waste the interval
            return !context.avoids(s.endpoint()) && s.claimRemeasure(nowNanos);
        }

        @Override
        double failurePenalty(int i, long nowNanos) {
            return failurePenalty * endpoints[i].failureLevel(nowNanos);
        }

        @Override
        double load(int i, long nowNanos) {
            EndpointState s = endpoints[i];
            int inFlight = s.inFlight();
            if (!s.hasLatencySample()) {
                // no answer yet: free while idle (so it gets probed), prohibitive while a probe is out
                return inFlight == 0 ? 0 : PENALTY * inFlight;
            }
            return stallAdjustedLatency(s, nowNanos) * (inFlight + 1) * inverseWeights[i];
        }
    }
}
