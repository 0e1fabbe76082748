package io.lb4j.benchmarks;

import io.lb4j.core.Balancer;
import io.lb4j.core.BalancerBuilder;
import io.lb4j.core.Selection;
import io.lb4j.strategies.Strategies;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The request path as a caller pays it: {@code Balancer.pick()} then {@code Selection.success()}
 * (two ticker reads, the in-flight and outcome counters, the latency average, the built-in
 * connection tracker and outlier ejection). {@code mode}: {@code plain} is a default balancer;
 * {@code view} has had {@code Balancer.view()} called (the view must add nothing to this path);
 * {@code meters} has a {@code MeterRegistry} with per-endpoint meters bound.
 *
 * <p>Run (short settings; JMH runs must not overlap on the machine, hence the lock):
 * <pre>
 * mvn -B -q -pl lb-benchmarks -am -DskipTests package
 * flock /tmp/jmh.lock java -jar lb-benchmarks/target/benchmarks.jar 'io.lb4j.benchmarks.SelectionBenchmark' \
 *     -f 2 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SelectionBenchmark {

    @Param({"round-robin", "least-connections"})
    public String strategy;

    @Param({"8"})
    public int n;

    @Param({"plain", "view", "meters"})
    public String mode;

    Balancer balancer;

    @Setup
    public void setUp() {
        BalancerBuilder b = Balancer.builder("bench").endpoints(PickBenchmark.endpoints(n, 0))
                .strategy(Strategies.named(strategy));
        if (mode.equals("meters")) {
            b.meterRegistry(new SimpleMeterRegistry()).perEndpointMeters(n);
        }
        balancer = b.build();
        if (mode.equals("view")) {
            balancer.view();
        }
    }

    @TearDown
    public void tearDown() {
        balancer.close();
    }

    @Benchmark
    @Threads(1)
    public boolean pickSuccess() {
        Selection s = balancer.pick();
        return s.success();
    }

    @Benchmark
    @Threads(2)
    public boolean pickSuccessTwoThreads() {
        Selection s = balancer.pick();
        return s.success();
    }
}
