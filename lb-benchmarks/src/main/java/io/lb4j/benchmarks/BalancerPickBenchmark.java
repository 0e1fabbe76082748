package io.lb4j.benchmarks;

import io.lb4j.core.Balancer;
import io.lb4j.core.BalancerBuilder;
import io.lb4j.core.Endpoint;
import io.lb4j.core.Exclusions;
import io.lb4j.core.Selection;
import io.lb4j.core.Strategy;
import java.util.ArrayList;
import java.util.List;
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

/**
 * {@code Balancer.pick()} followed by {@code Selection.success()}, round-robin over 8 endpoints,
 * with what routing adds switched on or off: {@code plain} (no zones, no limit: the baseline of
 * the same run), {@code zones-local} (a local zone that takes every pick), {@code zones-spill}
 * (the local zone at half health: 70 % local, a draw per pick), {@code limit} (a
 * {@code maxInFlightPerEndpoint} that is never reached: a compare-and-set instead of an increment).
 *
 * <p>Run (short settings; JMH runs must not overlap on the machine, hence the lock):
 * <pre>
 * mvn -B -q -pl lb-benchmarks -am -DskipTests package
 * flock /tmp/jmh.lock java -jar lb-benchmarks/target/benchmarks.jar 'io.lb4j.benchmarks.BalancerPickBenchmark' \
 *     -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BalancerPickBenchmark {

    @Param({"plain", "zones-local", "zones-spill", "limit"})
    public String config;

    @Param({"8"})
    public int n;

    Balancer balancer;

    @Setup
    public void setUp() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            endpoints.add(Endpoint.builder("10.0.0." + (i + 1), 8080).zone(i < n / 2 ? "a" : "b").build());
        }
        BalancerBuilder b = Balancer.builder("bench").endpoints(endpoints).strategy(Strategy.roundRobin());
        switch (config) {
            case "plain" -> { }
            case "zones-local", "zones-spill" -> b.localZone("a");
            case "limit" -> b.maxInFlightPerEndpoint(1000);
            default -> throw new IllegalArgumentException("config: " + config);
        }
        balancer = b.build();
        if (config.equals("zones-spill")) {
            Exclusions x = balancer.newExclusions("bench");
            for (int i = 0; i < n / 4; i++) {
                x.exclude(endpoints.get(i), "benchmark: local zone at half health");
            }
            balancer.flush().join();
        }
    }

    @TearDown
    public void tearDown() {
        balancer.close();
    }

    @Benchmark
    public Selection pickAndSucceed() {
        Selection s = balancer.pick();
        s.success();
        return s;
    }
}
