package io.lb4j.benchmarks;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointState;
import io.lb4j.core.PickContext;
import io.lb4j.core.Picker;
import io.lb4j.core.Selection;
import io.lb4j.core.Strategy;
import io.lb4j.core.StrategyContext;
import io.lb4j.strategies.Strategies;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The cost of one pick of every strategy, against two baselines measured in the same run:
 * {@code baseline-counter} ({@code array[(counter.getAndIncrement() & MAX) % n]}) and
 * {@code baseline-random} ({@code array[ThreadLocalRandom.current().nextInt(n)]}), both behind
 * the same {@link Picker} interface as the strategies. {@code pick} runs on 1 thread,
 * {@code pickTwoThreads} on 2 sharing one picker; each picker is the one a balancer built, with
 * the balancer's default random source and ticker. Peak-EWMA's endpoints carry real latency
 * samples; every pick carries a hash key (only consistent-hash and maglev read it).
 *
 * <p>{@code balancerPick} and {@code balancerPickTwoThreads} time what a user calls, through the
 * same balancer: {@code Balancer.pick(context)} (the snapshot read, the picker, the re-pick check,
 * the in-flight count and a ticker read) and {@code Selection.success()} (a second ticker read,
 * the in-flight count, the latency and failure bookkeeping, the outcome listeners). With the
 * system ticker, so the latencies fed to peak-EWMA are the benchmark's own, about 100 ns.
 *
 * <p>{@link Swap} races picks against a writer that swaps the balancer's list, and
 * {@link Update} times {@code Balancer.update} of a 10,000-endpoint list.
 *
 * <p>Run (short settings; JMH runs must not overlap on the machine, hence the lock):
 * <pre>
 * mvn -B -q -pl lb-benchmarks -am -DskipTests package
 * flock /tmp/lb4j-jmh.flock java -jar lb-benchmarks/target/benchmarks.jar 'io.lb4j.benchmarks.PickBenchmark' \
 *     -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc -rf json -rff lb-benchmarks/target/pick.json
 * </pre>
 * Only the user's call, for two strategies at n = 8:
 * <pre>
 * flock /tmp/lb4j-jmh.flock java -jar lb-benchmarks/target/benchmarks.jar 'PickBenchmark.balancerPick$' \
 *     -p strategy=round-robin,peak-ewma -p n=8 -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PickBenchmark {

    static final String BASELINE_COUNTER = "baseline-counter";
    static final String BASELINE_RANDOM = "baseline-random";
    static final int KEYS = 1024;

    @Param({BASELINE_COUNTER, BASELINE_RANDOM, "round-robin", "random", "weighted-round-robin",
            "weighted-random", "least-connections", "peak-ewma", "consistent-hash", "maglev"})
    public String strategy;

    @Param({"8", "1000", "10000"})
    public int n;

    Balancer balancer;
    Picker picker;
    final PickContext[] contexts = new PickContext[KEYS];

    @Setup
    public void setUp() {
        balancer = Balancer.builder("bench").endpoints(endpoints(n, 0)).strategy(strategyFor(strategy)).build();
        if (strategy.equals("peak-ewma")) {
            warmLatencies(balancer, n);
        }
        picker = balancer.snapshot().picker();
        for (int k = 0; k < KEYS; k++) {
            contexts[k] = PickContext.ofHashKey("user-" + k);
        }
    }

    /** Gives most endpoints a latency sample, as a balancer in service would have. */
    static void warmLatencies(Balancer balancer, int n) {
        for (int i = 0; i < 4 * n; i++) {
            Selection s = balancer.pick();
            s.success();
        }
    }

    static Strategy strategyFor(String name) {
        switch (name) {
            case BASELINE_COUNTER:
                return new BaselineStrategy(false);
            case BASELINE_RANDOM:
                return new BaselineStrategy(true);
            default:
                return Strategies.named(name);
        }
    }

    /** Weights 1-10, so the weighted strategies have something to weigh; {@code salt} makes distinct lists. */
    static List<Endpoint> endpoints(int n, int salt) {
        List<Endpoint> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int ip = i + salt;
            list.add(Endpoint.builder("10." + (ip >> 16 & 255) + "." + (ip >> 8 & 255) + "." + (ip & 255), 8080)
                    .weight(1 + i % 10).build());
        }
        return list;
    }

    /** Per thread, so that the key cycling itself is not contended. */
    @State(Scope.Thread)
    public static class Keys {
        int next;

        PickContext next(PickContext[] contexts) {
            return contexts[next++ & (KEYS - 1)];
        }
    }

    @Benchmark
    @Threads(1)
    public EndpointState pick(Keys keys) {
        return picker.pick(keys.next(contexts));
    }

    @Benchmark
    @Threads(2)
    public EndpointState pickTwoThreads(Keys keys) {
        return picker.pick(keys.next(contexts));
    }

    /** A user's call: {@code Balancer.pick} and {@code Selection.success}. */
    @Benchmark
    @Threads(1)
    public Selection balancerPick(Keys keys) {
        Selection s = balancer.pick(keys.next(contexts));
        s.success();
        return s;
    }

    /** {@link #balancerPick} on 2 threads sharing the balancer. */
    @Benchmark
    @Threads(2)
    public Selection balancerPickTwoThreads(Keys keys) {
        return balancerPick(keys);
    }

    /** The baselines as pickers, so that they pay the same interface call as the strategies. */
    static final class BaselineStrategy implements Strategy {
        private final boolean random;

        BaselineStrategy(boolean random) {
            this.random = random;
        }

        @Override
        public String name() {
            return random ? BASELINE_RANDOM : BASELINE_COUNTER;
        }

        @Override
        public Picker newPicker(List<EndpointState> endpoints, StrategyContext context) {
            EndpointState[] array = endpoints.toArray(new EndpointState[0]);
            if (random) {
                return ctx -> array[ThreadLocalRandom.current().nextInt(array.length)];
            }
            AtomicInteger counter = new AtomicInteger();
            return ctx -> array[(counter.getAndIncrement() & Integer.MAX_VALUE) % array.length];
        }
    }

    /**
     * Picks (through the balancer's current snapshot, as {@code Balancer.pick} does) while one
     * writer swaps the whole list back and forth between two lists of n endpoints that differ in
     * one; the reader's time is the one that matters.
     */
    @State(Scope.Group)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public static class Swap {
        @Param({"round-robin", "weighted-round-robin", "least-connections", "consistent-hash"})
        public String strategy;

        @Param({"1000"})
        public int n;

        Balancer balancer;
        List<Endpoint> a;
        List<Endpoint> b;
        boolean flip;
        final PickContext[] contexts = new PickContext[KEYS];

        @Setup
        public void setUp() {
            a = endpoints(n, 0);
            b = new ArrayList<>(a);
            b.set(n / 2, endpoints(1, 1 << 20).get(0));
            balancer = Balancer.builder("bench").endpoints(a).strategy(strategyFor(strategy)).build();
            for (int k = 0; k < KEYS; k++) {
                contexts[k] = PickContext.ofHashKey("user-" + k);
            }
        }

        @Benchmark
        @Group("swap")
        @GroupThreads(1)
        public EndpointState reader(Keys keys) {
            return balancer.snapshot().picker().pick(keys.next(contexts));
        }

        @Benchmark
        @Group("swap")
        @GroupThreads(1)
        public void writer() {
            flip = !flip;
            balancer.update(flip ? b : a);
        }
    }

    /**
     * {@code Balancer.update} of a 10,000-endpoint list that differs from the current one in one
     * endpoint: the merge with live state, the snapshot and the strategy's new picker. Target {@code <= 5 ms}.
     */
    @State(Scope.Thread)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public static class Update {
        @Param({"round-robin", "weighted-round-robin", "weighted-random", "least-connections", "peak-ewma",
                "consistent-hash", "maglev"})
        public String strategy;

        @Param({"10000"})
        public int n;

        Balancer balancer;
        List<Endpoint> a;
        List<Endpoint> b;
        boolean flip;

        @Setup(Level.Trial)
        public void setUp() {
            a = endpoints(n, 0);
            b = new ArrayList<>(a);
            b.set(n / 2, endpoints(1, 1 << 20).get(0));
            balancer = Balancer.builder("bench").endpoints(a).strategy(strategyFor(strategy)).build();
        }

        @Benchmark
        public Balancer update() {
            flip = !flip;
            balancer.update(flip ? b : a);
            return balancer;
        }
    }
}
