package io.lb4j.health;

import io.lb4j.core.internal.DaemonThreads;
import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.testing.Await;
import io.lb4j.testing.LoopbackBackend;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real probes against real servers on 127.0.0.1; real time, so every wait polls with a deadline. */
class HealthCheckerLoopbackTest {

    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final double JITTER = 0.1;
    private static final int UNHEALTHY_THRESHOLD = 3;
    private static final int HEALTHY_THRESHOLD = 2;

    private LoopbackBackend a;
    private LoopbackBackend b;
    private LoopbackBackend c;
    private Balancer balancer;
    private HealthChecker checker;

    @BeforeEach
    void startBackends() throws IOException {
        a = LoopbackBackend.start("a");
        b = LoopbackBackend.start("b");
        c = LoopbackBackend.start("c");
        balancer = Balancer.builder("users").endpoints(List.of(a.endpoint(), b.endpoint(), c.endpoint())).build();
    }

    @AfterEach
    void stopAll() {
        if (checker != null) {
            checker.close();
        }
        balancer.close();
        a.close();
        b.close();
        c.close();
    }

    private HealthChecker start(Probe probe) {
        checker = HealthChecker.builder(balancer)
                .probe(probe)
                .interval(INTERVAL)
                .jitter(JITTER)
                .timeout(Duration.ofMillis(500))
                .unhealthyThreshold(UNHEALTHY_THRESHOLD)
                .healthyThreshold(HEALTHY_THRESHOLD)
                .build()
                .start();
        awaitTrue("all healthy", () -> checker.states().values().stream().allMatch(s -> s == HealthState.HEALTHY)
                && checker.states().size() == 3);
        return checker;
    }

    /** Polls until true; returns the time it took. */
    private static Duration awaitTrue(String what, BooleanSupplier condition) {
        long start = System.nanoTime();
        Await.until(Duration.ofSeconds(20), what, condition);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private boolean eligible(Endpoint e) {
        return Balancers.eligible(balancer).contains(e);
    }

    @Test
    void healthzAnswering503IsExcludedAfterTheThresholdAndReturnsAfterHealthyThreshold() {
        start(Probe.http(LoopbackBackend.HEALTH_PATH));
        Endpoint sick = b.endpoint();

        int before = b.healthRequestCount();
        b.healthStatus(503);
        Duration excludedAfter = awaitTrue("b excluded", () -> !eligible(sick));
        int failedProbes = b.healthRequestCount() - before;
        // the probe in flight when the status changed may still have passed: one interval of slack
        Duration bound = INTERVAL.multipliedBy(UNHEALTHY_THRESHOLD + 1).multipliedBy(11).dividedBy(10).plusMillis(500);
        assertThat(excludedAfter).isLessThan(bound);
        assertThat(failedProbes).as("probes that saw 503 before exclusion").isGreaterThanOrEqualTo(UNHEALTHY_THRESHOLD);
        assertThat(Balancers.excludedBy(balancer, sick, "health-check").reason()).isEqualTo("3 consecutive probes failed, last: HTTP 503");
        for (int i = 0; i < 30; i++) {
            io.lb4j.core.Selection s = balancer.pick();
            assertThat(s.endpoint()).isNotEqualTo(sick);
            s.success();
        }

        before = b.healthRequestCount();
        b.healthStatus(200);
        Duration back = awaitTrue("b back", () -> eligible(sick));
        assertThat(b.healthRequestCount() - before).isGreaterThanOrEqualTo(HEALTHY_THRESHOLD);
        assertThat(back).isLessThan(INTERVAL.multipliedBy(HEALTHY_THRESHOLD + 1).multipliedBy(11).dividedBy(10).plusMillis(500));
        assertThat(checker.state(sick)).isEqualTo(HealthState.HEALTHY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "tcp"})
    void stoppedServerIsExcludedAndReturnsWhenRestarted(String kind) throws IOException {
        start(kind.equals("http") ? Probe.http(LoopbackBackend.HEALTH_PATH) : Probe.tcp());
        Endpoint down = c.endpoint();

        c.stop();
        awaitTrue("c excluded", () -> !eligible(down));
        assertThat(Balancers.excludedBy(balancer, down, "health-check").reason())
                .startsWith("3 consecutive probes failed, last: ")
                .contains("ConnectException");
        assertThat(eligible(a.endpoint()) && eligible(b.endpoint())).isTrue();

        c.restart();
        awaitTrue("c back", () -> eligible(down));
    }

    @Test
    void thousandProbesOfAHangingBackendNeverBlockTheChecker() throws Exception {
        c.hang();
        balancer.update(List.of(a.endpoint(), c.endpoint())); // one healthy pace-keeper is enough, and cheaper
        ScheduledExecutorService scheduler = DaemonThreads.scheduler("test-health-scheduler");
        Probe work = Probe.http("/work"); // LoopbackBackend hangs every path but /healthz
        checker = HealthChecker.builder(balancer)
                .probe(work)
                .interval(Duration.ofMillis(1))
                .jitter(0)
                .timeout(Duration.ofMillis(5))
                .maxConcurrentProbes(2)
                .scheduler(scheduler)
                .build()
                .start();
        try {
            AtomicInteger maxRunning = new AtomicInteger();
            Await.until(Duration.ofSeconds(40), "1000 probes of the hanging backend", () -> {
                maxRunning.accumulateAndGet(((DefaultHealthChecker) checker).runningCount(), Math::max);
                return c.requestCount() >= 1000;
            });
            assertThat(maxRunning.get()).isLessThanOrEqualTo(2);
            assertThat(checker.failedProbeCount()).isGreaterThanOrEqualTo(999);
            assertThat(checker.state(c.endpoint())).isEqualTo(HealthState.UNHEALTHY);
            // the other endpoint kept its own pace meanwhile
            assertThat(a.requestCount()).isGreaterThan(300);
            // and the scheduler still answers at once
            CountDownLatch ran = new CountDownLatch(1);
            scheduler.execute(ran::countDown);
            assertThat(ran.await(1, TimeUnit.SECONDS)).isTrue();

            long closeStart = System.nanoTime();
            checker.close();
            assertThat(Duration.ofNanos(System.nanoTime() - closeStart)).isLessThan(Duration.ofSeconds(1));
        } finally {
            scheduler.shutdownNow();
        }
    }
}
