package io.lb4j.health;

import io.lb4j.core.internal.DaemonThreads;
import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.Selection;
import io.lb4j.testing.Await;
import io.lb4j.testing.FakeScheduler;
import io.lb4j.testing.FakeTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Many threads at once: invariants that must hold whatever the interleaving. */
class ConcurrencyTest {

    private static List<Endpoint> endpoints(int n) {
        List<Endpoint> list = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            list.add(Endpoint.of("10.0.2." + i, 80));
        }
        return list;
    }

    @Test
    void concurrentFailuresNeverEjectMoreThanTheMax() throws Exception {
        FakeTicker ticker = new FakeTicker();
        FakeScheduler scheduler = new FakeScheduler(ticker);
        try (Balancer balancer = Balancer.builder("orders").endpoints(endpoints(10)).ticker(ticker).scheduler(scheduler).build()) {
            AtomicInteger maxEjected = new AtomicInteger();
            balancer.addSnapshotListener(s -> maxEjected.accumulateAndGet(s.excludedCountByOwner().getOrDefault("outlier-ejection", 0), Math::max));
            OutlierDetector detector = OutlierDetector.builder(balancer).consecutiveFailures(3).maxEjectionPercent(20)
                    .build();
            ExecutorService pool = Executors.newFixedThreadPool(4, DaemonThreads.factory("test-callers"));
            CountDownLatch go = new CountDownLatch(1);
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 2000; i++) {
                        Selection s = balancer.pick();
                        s.failure(new IOException("reset"));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
            balancer.flush().get(); // ejections are decided on the control executor, one at a time
            assertThat(maxEjected.get()).isEqualTo(2);
            assertThat(detector.ejectionCount()).isEqualTo(2);
            assertThat(detector.ejectedCount()).isEqualTo(2);
            assertThat(detector.skippedEjectionCount()).isPositive();
            detector.close();
            assertThat(balancer.flush().get().excludedCount()).isZero();
        }
    }

    @Test
    void checkerFollowsAListChangingUnderProbesFinishingOnOtherThreads() throws Exception {
        List<Endpoint> all = endpoints(8);
        ScheduledExecutorService completer = Executors.newScheduledThreadPool(2, DaemonThreads.factory("test-probe-completer"));
        AtomicLong calls = new AtomicLong();
        Probe probe = e -> {
            calls.incrementAndGet();
            CompletableFuture<ProbeResult> f = new CompletableFuture<>();
            long micros = (e.hashCode() & 0x7fffffff) % 3000; // some finish before the 2 ms timeout, some after
            boolean even = e.host().endsWith("0") || e.host().endsWith("2") || e.host().endsWith("4")
                    || e.host().endsWith("6") || e.host().endsWith("8");
            completer.schedule(() -> f.complete(even ? ProbeResult.healthy() : ProbeResult.unhealthy("odd host")),
                    micros, TimeUnit.MICROSECONDS);
            return f;
        };
        try (Balancer balancer = Balancer.builder("users").endpoints(all).panicThreshold(0).build()) {
            HealthChecker checker = HealthChecker.builder(balancer).probe(probe).interval(Duration.ofMillis(2))
                    .timeout(Duration.ofMillis(2)).maxConcurrentProbes(3).unhealthyThreshold(1).healthyThreshold(1)
                    .build().start();
            int maxRunning = 0;
            SplittableRandom random = new SplittableRandom(11);
            for (int i = 0; i < 300; i++) {
                List<Endpoint> next = new ArrayList<>();
                for (Endpoint e : all) {
                    if (random.nextInt(3) > 0) {
                        next.add(e);
                    }
                }
                balancer.update(next);
                maxRunning = Math.max(maxRunning, ((DefaultHealthChecker) checker).runningCount());
                if (i % 50 == 0) {
                    Thread.sleep(1); // let probes interleave with the updates
                }
            }
            List<Endpoint> last = all.subList(0, 5);
            balancer.update(last);
            Await.until(Duration.ofSeconds(10), "states settle on the last list",
                    () -> checker.states().keySet().equals(new HashSet<>(last)) && !checker.states().containsValue(HealthState.UNKNOWN));
            assertThat(maxRunning).isLessThanOrEqualTo(3);
            assertThat(calls.get()).isPositive();

            checker.close();
            // probes start only on the checker's own scheduler: once it ended, nothing more is probed
            assertThat(((DefaultHealthChecker) checker).scheduler().awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(balancer.flush().get().excludedCount()).as("close ends its exclusions").isZero();
        } finally {
            completer.shutdownNow();
        }
    }
}
