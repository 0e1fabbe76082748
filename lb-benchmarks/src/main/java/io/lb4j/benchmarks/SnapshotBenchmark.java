package io.lb4j.benchmarks;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.Exclusions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What one control-plane change costs at large n, through the public API: {@code exclusionChange}
 * excludes one endpoint and waits for the snapshot that shows it ({@code flush()}), then includes
 * it again the next time (so one op is one exclusion change); {@code firstUpdate} gives a new
 * balancer a first list of n endpoints. Issue 13's targets at n=100,000: one exclusion change
 * <= 5 ms, a full update <= 100 ms.
 *
 * <pre>
 * mvn -B -q -pl lb-benchmarks -am -DskipTests package
 * flock /tmp/lb4j-jmh.flock java -Xmx2g -jar lb-benchmarks/target/benchmarks.jar SnapshotBenchmark \
 *     -f 1 -wi 3 -i 5 -w 2s -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SnapshotBenchmark {

    @Param({"round-robin", "random", "weighted-round-robin", "least-connections", "peak-ewma", "weighted-random",
            "consistent-hash", "maglev"})
    public String strategy;

    @Param({"100000"})
    public int n;

    List<Endpoint> list;
    Balancer balancer;
    Exclusions owner;
    Endpoint target;
    boolean excluded;

    @Setup(Level.Trial)
    public void setUp() {
        list = PickBenchmark.endpoints(n, 0);
        balancer = Balancer.builder("bench").endpoints(list).strategy(PickBenchmark.strategyFor(strategy)).build();
        owner = balancer.newExclusions("bench");
        target = list.get(n / 2);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        balancer.close();
    }

    @Benchmark
    public Object exclusionChange() {
        excluded = !excluded;
        if (excluded) {
            owner.exclude(target, "benchmark");
        } else {
            owner.include(target);
        }
        return balancer.flush().join();
    }

    @Benchmark
    public Object firstUpdate() {
        try (Balancer fresh = Balancer.builder("bench").strategy(PickBenchmark.strategyFor(strategy)).build()) {
            fresh.update(list);
            return fresh.snapshot();
        }
    }
}
