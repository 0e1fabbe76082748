package io.lb4j.strategies;

import io.lb4j.core.EndpointState;
import io.lb4j.core.PickContext;
import io.lb4j.core.Picker;
import io.lb4j.core.Strategy;
import io.lb4j.core.StrategyContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** The power-of-d-choices strategies: least-connections and peak-EWMA. */
final class ChoiceStrategy implements Strategy {
    static final String LEAST_CONNECTIONS = "least-connections";
    static final String PEAK_EWMA = "peak-ewma";
    static final int DEFAULT_CHOICE_COUNT = 2;
    static final ChoiceStrategy LEAST_CONNECTIONS_DEFAULT =
            new ChoiceStrategy(false, DEFAULT_CHOICE_COUNT, SlowStart.disabled());
    static final ChoiceStrategy PEAK_EWMA_DEFAULT =
            new ChoiceStrategy(true, DEFAULT_CHOICE_COUNT, SlowStart.disabled());

    /**
     * The cost of an endpoint with calls in flight but no latency sample yet: far above any real
     * cost, so one probe call at a time goes to a new endpoint until its first answer arrives.
     */
    static final double PENALTY = 1e200;

    private final boolean latencyAware;
    private final int choiceCount;
    private final SlowStart slowStart;

    ChoiceStrategy(boolean latencyAware, int choiceCount, SlowStart slowStart) {
        this.latencyAware = latencyAware;
        this.choiceCount = choiceCount;
        this.slowStart = slowStart;
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

    @Override
    public Picker newPicker(List<EndpointState> endpoints, StrategyContext context) {
        Ramp ramp = Ramp.of(slowStart, endpoints, context.ticker());
        if (!latencyAware && choiceCount == 2 && ramp == null && endpoints.size() > 1) {
            return new TwoChoicePicker(endpoints.toArray(new EndpointState[0]), context.random());
        }
        return latencyAware
                ? new PeakEwmaPicker(endpoints, choiceCount, context, ramp)
                : new LeastConnectionsPicker(endpoints, choiceCount, context, ramp);
    }

    @Override
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("choiceCount", Integer.toString(choiceCount));
        slowStart.describe(settings);
        return Collections.unmodifiableMap(settings);
    }

    @Override
    public double slowStartShare(EndpointState endpoint, long nowNanos) {
        return slowStart.share(endpoint, nowNanos);
    }

    @Override
    public String toString() {
        return name() + "{choiceCount=" + choiceCount + (slowStart.enabled() ? ", " + slowStart : "") + "}";
    }

    /**
     * The default, least-connections with two choices and no ramp, on its own: the same choice
     * as {@link LeastConnectionsPicker} without the generality (more choices, slow start), which
     * costs about half again per pick. With equal weights only the in-flight counts are compared.
     */
    static final class TwoChoicePicker implements Picker {
        private final EndpointState[] endpoints;
        private final RandomGenerator random;
        /** null when all weights are equal. */
        private final double[] inverseWeights;

        TwoChoicePicker(EndpointState[] endpoints, RandomGenerator random) {
            this.endpoints = endpoints;
            this.random = random;
            double[] inverse = new double[endpoints.length];
            boolean equal = true;
            for (int i = 0; i < endpoints.length; i++) {
                inverse[i] = 1.0 / Math.max(1, endpoints[i].weight());
                equal &= inverse[i] == inverse[0];
            }
            this.inverseWeights = equal ? null : inverse;
        }

        @Override
        public EndpointState pick(PickContext context) {
            int n = endpoints.length;
            long r = random.nextLong();
            int first = ChoicePicker.first(r, n);
            int second = ChoicePicker.second(r, n, first);
            EndpointState a = endpoints[first];
            EndpointState b = endpoints[second];
            double[] inverse = inverseWeights;
            if (inverse == null) {
                return b.inFlight() < a.inFlight() ? b : a;
            }
            return (b.inFlight() + 1) * inverse[second] < (a.inFlight() + 1) * inverse[first] ? b : a;
        }
    }

    /** The lower {@code (inFlight + 1) / weight} wins; the +1 lets weights count when nothing is in flight. */
    static final class LeastConnectionsPicker extends ChoicePicker {
        LeastConnectionsPicker(List<EndpointState> endpoints, int choices, StrategyContext context, Ramp ramp) {
            super(endpoints, choices, context.random(), context.ticker(), ramp);
        }

        @Override
        double load(int i, long nowNanos) {
            int inFlight = endpoints[i].inFlight();
            return uniformWeights ? inFlight : (inFlight + 1) * inverseWeights[i];
        }
    }

    /**
     * Finagle's and Linkerd's P2C peak-EWMA: the lower {@code latencyEwma * (inFlight + 1) / weight}
     * wins. The average lives in {@link EndpointState} and decays with the balancer's
     * {@code latencyDecay}, so it survives strategy switches.
     */
    static final class PeakEwmaPicker extends ChoicePicker {
        PeakEwmaPicker(List<EndpointState> endpoints, int choices, StrategyContext context, Ramp ramp) {
            super(endpoints, choices, context.random(), context.ticker(), ramp);
        }

        @Override
        long now() {
            return ticker.read();
        }

        @Override
        double load(int i, long nowNanos) {
            EndpointState s = endpoints[i];
            int inFlight = s.inFlight();
            if (!s.hasLatencySample()) {
                // no answer yet: free while idle (so it gets probed), prohibitive while a probe is out
                return inFlight == 0 ? 0 : PENALTY * inFlight;
            }
            return s.latencyEwmaNanos(nowNanos) * (inFlight + 1) * inverseWeights[i];
        }
    }
}
