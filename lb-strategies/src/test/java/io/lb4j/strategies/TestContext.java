package io.lb4j.strategies;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointState;
import io.lb4j.core.StrategyContext;
import io.lb4j.core.Ticker;
import io.lb4j.testing.FakeTicker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** A {@link StrategyContext} whose shared values tests can inspect, plus endpoint-state fixtures. */
final class TestContext implements StrategyContext {
    final Ticker ticker;
    final RandomGenerator random;
    final Map<Object, Object> shared = new ConcurrentHashMap<>();

    TestContext(Ticker ticker, RandomGenerator random) {
        this.ticker = ticker;
        this.random = random;
    }

    @Override
    public String service() {
        return "test";
    }

    @Override
    public Ticker ticker() {
        return ticker;
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T shared(Object key, Supplier<? extends T> factory) {
        return (T) shared.computeIfAbsent(key, k -> factory.get());
    }

    /**
     * A seeded random whose first {@code nextInt} answers are {@code ints}.
     */
    static io.lb4j.testing.ScriptedRandom scripted(int... ints) {
        return new io.lb4j.testing.ScriptedRandom().nextInts(ints);
    }

    /**
     * Round-robin declaring that it reads all per-call bookkeeping (as a strategy that does not
     * say does), so that calls picked under it are counted in flight and timed; the built-in
     * round-robin keeps none of that.
     */
    static io.lb4j.core.Strategy roundRobinReadingAll() {
        return new io.lb4j.core.Strategy() {
            @Override
            public String name() {
                return "round-robin-reading-all";
            }

            @Override
            public io.lb4j.core.Picker newPicker(List<EndpointState> endpoints, io.lb4j.core.StrategyContext context) {
                return io.lb4j.core.Strategy.roundRobin().newPicker(endpoints, context);
            }
        };
    }

    /** The one shared value a strategy stored (e.g. its sequence counter). */
    Object onlyShared() {
        if (shared.size() != 1) {
            throw new AssertionError("expected one shared value, got " + shared);
        }
        return shared.values().iterator().next();
    }

    /** How often each of {@code states} was picked in {@code picks} keyless picks. */
    static int[] counts(io.lb4j.core.Picker picker, List<EndpointState> states, int picks) {
        int[] counts = new int[states.size()];
        for (int i = 0; i < picks; i++) {
            counts[states.indexOf(picker.pick(io.lb4j.core.PickContext.NONE))]++;
        }
        return counts;
    }

    /** Endpoints 10.0.0.1:80, 10.0.0.2:80, ... with the given weights. */
    static List<Endpoint> endpoints(int... weights) {
        List<Endpoint> list = new ArrayList<>(weights.length);
        for (int i = 0; i < weights.length; i++) {
            list.add(endpoint(i, weights[i]));
        }
        return list;
    }

    static Endpoint endpoint(int i, int weight) {
        return Endpoint.builder("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), 80)
                .weight(weight).build();
    }

    static List<Endpoint> equalEndpoints(int n) {
        int[] weights = new int[n];
        java.util.Arrays.fill(weights, 1);
        return endpoints(weights);
    }

    /** Live states of the endpoints, as a balancer (on a fake ticker) holds them. */
    /** Each state's weight, in order (what {@code StrategyContext.weights} gives for a plain list). */
    static int[] weights(EndpointState[] states) {
        return new TestContext(new FakeTicker(), new java.util.SplittableRandom(1)).weights(List.of(states));
    }

    static List<EndpointState> states(List<Endpoint> endpoints) {
        return states(endpoints, new FakeTicker());
    }

    static List<EndpointState> states(List<Endpoint> endpoints, Ticker ticker) {
        Balancer b = Balancer.builder("fixture").endpoints(endpoints).ticker(ticker).panicThreshold(0).build();
        return b.snapshot().members();
    }
}
