package io.lb4j.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.Exclusion;
import io.lb4j.core.Exclusions;
import io.lb4j.health.ScriptedProbe.Mode;
import io.lb4j.testing.FakeScheduler;
import io.lb4j.testing.FakeTicker;
import io.lb4j.testing.ScriptedRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthCheckerTest {

    private static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final FakeTicker ticker = new FakeTicker();
    private final FakeScheduler scheduler = new FakeScheduler(ticker);
    private final ScriptedProbe probe = new ScriptedProbe(ticker);
    private final Endpoint a = Endpoint.of("10.0.0.1", 80);
    private final Endpoint b = Endpoint.of("10.0.0.2", 80);
    private final Endpoint c = Endpoint.of("10.0.0.3", 80);
    private final Endpoint d = Endpoint.of("10.0.0.4", 80);
    private final Balancer balancer = Balancer.builder("users").endpoints(List.of(a, b, c, d)).ticker(ticker)
            .controlExecutor(Runnable::run).scheduler(scheduler).build();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private HealthChecker checker;

    private HealthCheckerBuilder builder() {
        return HealthChecker.builder(balancer)
                .probe(probe)
                .interval(INTERVAL)
                .jitter(0)
                .timeout(TIMEOUT)
                .scheduler(scheduler)
                .ticker(ticker)
                .listener((e, from, to, reason) -> {
                    if (from != HealthState.UNKNOWN || to != HealthState.HEALTHY) { // the first pass of each is noise here
                        events.add(e.authority() + " " + from + "->" + to + ": " + reason);
                    }
                });
    }

    private HealthChecker start(HealthCheckerBuilder builder) {
        checker = builder.build().start();
        scheduler.runDueTasks();
        return checker;
    }

    @AfterEach
    void tearDown() {
        if (checker != null) {
            checker.close();
        }
        balancer.close();
    }

    private Set<Endpoint> eligible() {
        return Balancers.eligible(balancer);
    }

    private void rounds(int n) {
        scheduler.advance(INTERVAL.multipliedBy(n));
    }

    @Test
    void probesEveryEndpointAtOnceOnStartThenEveryInterval() {
        checker = builder().build();
        assertThat(probe.calls()).isEmpty(); // nothing before start()
        start(builder());
        assertThat(probe.calls()).hasSize(4);
        assertThat(checker.states()).containsOnlyKeys(a, b, c, d).allSatisfy((e, s) -> assertThat(s).isEqualTo(HealthState.HEALTHY));

        scheduler.advance(INTERVAL.minusNanos(1));
        assertThat(probe.calls()).hasSize(4);
        scheduler.advance(Duration.ofNanos(1));
        assertThat(probe.calls()).hasSize(8);
        assertThat(checker.probeCount()).isEqualTo(8);
    }

    @Test
    void twoCheckersAndAManualDrainOnOneBalancerNeverClearEachOthersExclusions() {
        ScriptedProbe tcp = new ScriptedProbe(ticker);
        start(builder().unhealthyThreshold(1).healthyThreshold(1));
        HealthChecker second = HealthChecker.builder(balancer).probe(tcp).interval(INTERVAL).jitter(0).timeout(TIMEOUT)
                .unhealthyThreshold(1).healthyThreshold(1).scheduler(scheduler).ticker(ticker).build().start();
        Exclusions drain = balancer.newExclusions("maintenance");
        try {
            scheduler.runDueTasks();
            probe.set(b, Mode.FAIL); // the HTTP checker sees b fail
            tcp.set(c, Mode.FAIL);   // the TCP checker sees c fail
            drain.exclude(b, "kernel upgrade");
            rounds(1);
            assertThat(eligible()).containsExactlyInAnyOrder(a, d);
            assertThat(balancer.snapshot().exclusions(b)).extracting(Exclusion::owner)
                    .containsExactly("health-check", "maintenance");

            probe.set(b, Mode.PASS); // the first checker clears its own exclusion only
            rounds(1);
            assertThat(balancer.snapshot().exclusions(b)).extracting(Exclusion::owner).containsExactly("maintenance");
            assertThat(eligible()).as("c is still held by the second checker").containsExactlyInAnyOrder(a, d);

            checker.close(); // closing one checker ends its exclusions, not the other's
            assertThat(balancer.snapshot().exclusions(c)).extracting(Exclusion::owner).containsExactly("health-check");
            drain.include(b);
            assertThat(eligible()).containsExactlyInAnyOrder(a, b, d);
        } finally {
            second.close();
            drain.close();
        }
    }

    @Test
    void marksUnhealthyOnlyAfterUnhealthyThresholdConsecutiveFailures() {
        start(builder().unhealthyThreshold(3));
        probe.set(b, Mode.FAIL);

        rounds(2);
        assertThat(checker.state(b)).isEqualTo(HealthState.HEALTHY);
        assertThat(eligible()).contains(b);

        rounds(1);
        assertThat(checker.state(b)).isEqualTo(HealthState.UNHEALTHY);
        assertThat(eligible()).containsExactlyInAnyOrder(a, c, d);
        assertThat(Balancers.excludedBy(balancer, b, "health-check").reason()).isEqualTo("3 consecutive probes failed, last: scripted failure");
        assertThat(events).containsExactly("10.0.0.2:80 HEALTHY->UNHEALTHY: 3 consecutive probes failed, last: scripted failure");
        assertThat(checker.failedProbeCount()).isEqualTo(3);
    }

    @Test
    void aPassBetweenFailuresStartsTheCountAgain() {
        start(builder().unhealthyThreshold(3));
        probe.set(b, Mode.FAIL);
        rounds(2);
        probe.set(b, Mode.PASS);
        rounds(1);
        probe.set(b, Mode.FAIL);
        rounds(2);
        assertThat(checker.state(b)).isEqualTo(HealthState.HEALTHY);
        rounds(1);
        assertThat(checker.state(b)).isEqualTo(HealthState.UNHEALTHY);
    }

    @Test
    void returnsAfterHealthyThresholdConsecutivePasses() {
        start(builder().unhealthyThreshold(1).healthyThreshold(3));
        probe.set(c, Mode.FAIL);
        rounds(1);
        assertThat(eligible()).doesNotContain(c);

        probe.set(c, Mode.PASS);
        rounds(2);
        assertThat(checker.state(c)).isEqualTo(HealthState.UNHEALTHY);
        probe.set(c, Mode.FAIL);
        rounds(1);
        probe.set(c, Mode.PASS);
        rounds(2);
        assertThat(eligible()).doesNotContain(c);
        rounds(1);
        assertThat(checker.state(c)).isEqualTo(HealthState.HEALTHY);
        assertThat(eligible()).contains(c);
        assertThat(events).containsExactly(
                "10.0.0.3:80 HEALTHY->UNHEALTHY: 1 probe failed, last: scripted failure",
                "10.0.0.3:80 UNHEALTHY->HEALTHY: 3 consecutive probes passed");
    }

    @Test
    void firstProbeOfANewEndpointDecidesAtOnce() {
        probe.set(d, Mode.FAIL);
        start(builder().unhealthyThreshold(3));
        assertThat(checker.state(d)).isEqualTo(HealthState.UNHEALTHY);
        assertThat(eligible()).containsExactlyInAnyOrder(a, b, c);
        assertThat(events).containsExactly("10.0.0.4:80 UNKNOWN->UNHEALTHY: first probe failed: scripted failure");
    }

    @Test
    void probeThatThrowsOrFailsItsStageCountsAsFailure() {
        start(builder().unhealthyThreshold(1).probe(e -> {
            if (e.equals(a)) {
                throw new IllegalStateException("boom");
            }
            if (e.equals(b)) {
                return java.util.concurrent.CompletableFuture.failedFuture(new java.net.ConnectException("Connection refused"));
            }
            if (e.equals(c)) {
                return null;
            }
            return java.util.concurrent.CompletableFuture.completedFuture(ProbeResult.healthy());
        }));
        assertThat(checker.states()).containsEntry(a, HealthState.UNHEALTHY).containsEntry(b, HealthState.UNHEALTHY)
                .containsEntry(c, HealthState.UNHEALTHY).containsEntry(d, HealthState.HEALTHY);
        assertThat(Balancers.excludedBy(balancer, a, "health-check").reason()).isEqualTo("first probe failed: IllegalStateException: boom");
        assertThat(Balancers.excludedBy(balancer, b, "health-check").reason()).isEqualTo("first probe failed: ConnectException: Connection refused");
        assertThat(Balancers.excludedBy(balancer, c, "health-check").reason()).startsWith("first probe failed: NullPointerException");
    }

    @Test
    void probeThatOutlivesTheTimeoutFailsAndIsCancelled() {
        probe.set(a, Mode.HANG);
        start(builder().unhealthyThreshold(1));
        assertThat(checker.state(a)).isEqualTo(HealthState.UNKNOWN);

        scheduler.advance(TIMEOUT.minusNanos(1));
        assertThat(checker.state(a)).isEqualTo(HealthState.UNKNOWN);
        scheduler.advance(Duration.ofNanos(1));
        assertThat(checker.state(a)).isEqualTo(HealthState.UNHEALTHY);
        assertThat(Balancers.excludedBy(balancer, a, "health-check").reason()).isEqualTo("first probe failed: timed out after 1000 ms");
        assertThat(probe.calls(a).get(0).future).isCancelled();
        // the next probe is an interval after the timeout, not after the start
        scheduler.advance(INTERVAL.minusNanos(1));
        assertThat(probe.count(a)).isEqualTo(1);
        scheduler.advance(Duration.ofNanos(1));
        assertThat(probe.count(a)).isEqualTo(2);
    }

    @Test
    void slowProbeNeverDelaysOtherEndpointsSchedules() {
        probe.set(a, Mode.HANG);
        start(builder());
        long t0 = ticker.read();
        rounds(6);
        List<Long> bTimes = new ArrayList<>();
        for (ScriptedProbe.Call call : probe.calls(b)) {
            bTimes.add(TimeUnit.NANOSECONDS.toSeconds(call.atNanos - t0));
        }
        assertThat(bTimes).containsExactly(0L, 5L, 10L, 15L, 20L, 25L, 30L);
        // a's own probes are each delayed by its 1 s timeout
        List<Long> aTimes = new ArrayList<>();
        for (ScriptedProbe.Call call : probe.calls(a)) {
            aTimes.add(TimeUnit.NANOSECONDS.toMillis(call.atNanos - t0));
        }
        assertThat(aTimes).containsExactly(0L, 6000L, 12000L, 18000L, 24000L, 30000L);
    }

    @Test
    void boundsProbesInFlightAndLaunchesWaitingOnesWhenASlotFrees() {
        for (Endpoint e : List.of(a, b, c, d)) {
            probe.set(e, Mode.HANG);
        }
        start(builder().maxConcurrentProbes(2));
        assertThat(probe.calls()).extracting(call -> call.endpoint).containsExactly(a, b);
        assertThat(((DefaultHealthChecker) checker).runningCount()).isEqualTo(2);

        probe.calls(a).get(0).future.complete(ProbeResult.healthy());
        scheduler.runDueTasks();
        assertThat(probe.calls()).extracting(call -> call.endpoint).containsExactly(a, b, c);
        assertThat(((DefaultHealthChecker) checker).runningCount()).isEqualTo(2);

        scheduler.advance(TIMEOUT); // b and c time out together; d gets b's slot, a's next is not due
        assertThat(probe.calls()).extracting(call -> call.endpoint).containsExactly(a, b, c, d);
        assertThat(((DefaultHealthChecker) checker).runningCount()).isEqualTo(1);
    }

    @Test
    void jitterKeepsEveryDelayWithinTheBounds() {
        start(builder().jitter(0.2).random(new ScriptedRandom(7).nextDoubles(0.0, 1.0, 0.5, 0.999999)));
        // the four first-round completions drew 0.0, 1.0, 0.5 and ~1.0: interval * (1 -+ 0.2)
        List<Duration> first = scheduler.pendingDelays();
        assertThat(first.get(0)).isEqualTo(Duration.ofSeconds(4));
        assertThat(first.get(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(first.get(2)).isBetween(Duration.ofMillis(5999), Duration.ofSeconds(6));
        assertThat(first.get(3)).isEqualTo(Duration.ofSeconds(6));

        for (int i = 0; i < 200; i++) {
            scheduler.advance(Duration.ofSeconds(1));
        }
        Duration min = Duration.ofDays(1);
        Duration max = Duration.ZERO;
        for (Endpoint e : List.of(a, b, c, d)) {
            List<ScriptedProbe.Call> calls = probe.calls(e);
            assertThat(calls).hasSizeGreaterThan(30);
            for (int i = 1; i < calls.size(); i++) {
                Duration gap = Duration.ofNanos(calls.get(i).atNanos - calls.get(i - 1).atNanos);
                min = min.compareTo(gap) < 0 ? min : gap;
                max = max.compareTo(gap) > 0 ? max : gap;
            }
        }
        assertThat(min).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
        assertThat(max).isLessThanOrEqualTo(Duration.ofSeconds(6));
        assertThat(max.minus(min)).as("the seeded draws spread over most of the range").isGreaterThan(Duration.ofMillis(1500));
    }

    @Test
    void followsTheListProbingNewEndpointsAtOnceAndDroppingRemovedOnes() {
        probe.set(d, Mode.FAIL);
        start(builder().unhealthyThreshold(1));
        Endpoint e = Endpoint.of("10.0.0.5", 80);
        balancer.update(List.of(a, b, c, e));
        scheduler.runDueTasks();
        assertThat(probe.count(e)).isEqualTo(1);
        assertThat(checker.states()).containsOnlyKeys(a, b, c, e);
        assertThat(checker.state(d)).isEqualTo(HealthState.UNKNOWN);

        rounds(3);
        assertThat(probe.count(d)).isEqualTo(1);
        assertThat(scheduler.pendingCount()).isEqualTo(4);

        // back in the list: a fresh start, probed at once
        probe.set(d, Mode.PASS);
        balancer.update(List.of(a, b, c, d, e));
        scheduler.runDueTasks();
        assertThat(checker.state(d)).isEqualTo(HealthState.HEALTHY);
    }

    @Test
    void removingAnEndpointWithAProbeInFlightFreesItsSlot() {
        probe.set(a, Mode.HANG);
        start(builder().maxConcurrentProbes(1));
        assertThat(probe.calls()).extracting(call -> call.endpoint).containsExactly(a);
        balancer.update(List.of(b, c, d));
        scheduler.runDueTasks();
        assertThat(probe.calls(a).get(0).future).isCancelled();
        assertThat(probe.calls()).extracting(call -> call.endpoint).containsExactly(a, b, c, d);
    }

    @Test
    void panicsWhenTooFewAreHealthyAndLeavesPanicOnRecovery() {
        start(builder().unhealthyThreshold(1).healthyThreshold(1));
        probe.set(a, Mode.FAIL).set(b, Mode.FAIL);
        rounds(1);
        assertThat(eligible()).containsExactlyInAnyOrder(c, d);
        assertThat(balancer.inPanic()).as("2 of 4 eligible is not under 0.5").isFalse();

        probe.set(c, Mode.FAIL);
        rounds(1);
        assertThat(balancer.inPanic()).isTrue();
        Set<Endpoint> picked = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            picked.add(balancer.pick().endpoint());
        }
        assertThat(picked).as("in panic, picks spread over every endpoint").containsExactlyInAnyOrder(a, b, c, d);

        probe.set(a, Mode.PASS);
        rounds(1);
        assertThat(balancer.inPanic()).isFalse();
        picked.clear();
        for (int i = 0; i < 40; i++) {
            picked.add(balancer.pick().endpoint());
        }
        assertThat(picked).containsExactlyInAnyOrder(a, d);
    }

    @Test
    void closeStopsProbingAndReturnsUnhealthyEndpoints() {
        probe.set(a, Mode.FAIL);
        start(builder().unhealthyThreshold(1));
        assertThat(eligible()).doesNotContain(a);
        checker.close();
        assertThat(eligible()).containsExactlyInAnyOrder(a, b, c, d);
        assertThat(scheduler.pendingCount()).isZero();
        int calls = probe.calls().size();
        rounds(3);
        assertThat(probe.calls()).hasSize(calls);
        assertThatThrownBy(checker::start).isInstanceOf(IllegalStateException.class).hasMessage("health checker of 'users' is closed");
        checker.close(); // idempotent
    }

    @Test
    void aFailingListenerDoesNotStopOthers() {
        List<String> seen = new ArrayList<>();
        probe.set(a, Mode.FAIL);
        start(builder().unhealthyThreshold(1)
                .listener((e, from, to, r) -> {
                    throw new IllegalStateException("listener bug");
                })
                .listener((e, from, to, r) -> seen.add(e.authority() + " " + to)));
        assertThat(seen).containsExactly("10.0.0.1:80 UNHEALTHY", "10.0.0.2:80 HEALTHY", "10.0.0.3:80 HEALTHY", "10.0.0.4:80 HEALTHY");
    }

    @Test
    void ownSchedulerIsANamedDaemonThreadStoppedOnClose() throws Exception {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch probed = new java.util.concurrent.CountDownLatch(4);
        HealthChecker own = HealthChecker.builder(balancer).probe(e -> {
            threads.add(Thread.currentThread());
            probed.countDown();
            return java.util.concurrent.CompletableFuture.completedFuture(ProbeResult.healthy());
        }).build().start();
        assertThat(probed.await(10, TimeUnit.SECONDS)).isTrue();
        Thread t = threads.get(0);
        assertThat(t.getName()).isEqualTo("lb4j-health-users");
        assertThat(t.isDaemon()).isTrue();
        own.close();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
    }

    @Test
    void builderRejectsBadValuesNamingValueAndRule() {
        HealthCheckerBuilder b = HealthChecker.builder(balancer);
        assertThatThrownBy(() -> b.interval(Duration.ZERO)).hasMessage("interval: PT0S (expected: > 0)");
        assertThatThrownBy(() -> b.timeout(Duration.ofSeconds(-1))).hasMessage("timeout: PT-1S (expected: > 0)");
        assertThatThrownBy(() -> b.jitter(1.5)).hasMessage("jitter: 1.5 (expected: 0.0-1.0)");
        assertThatThrownBy(() -> b.unhealthyThreshold(0)).hasMessage("unhealthyThreshold: 0 (expected: >= 1)");
        assertThatThrownBy(() -> b.healthyThreshold(0)).hasMessage("healthyThreshold: 0 (expected: >= 1)");
        assertThatThrownBy(() -> b.maxConcurrentProbes(0)).hasMessage("maxConcurrentProbes: 0 (expected: >= 1)");
        assertThatThrownBy(() -> b.probe(null)).isInstanceOf(NullPointerException.class).hasMessage("probe: null (expected: not null)");
        assertThatThrownBy(() -> HealthChecker.builder(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Probe.http("healthz")).hasMessage("path: 'healthz' (expected: starts with /)");
    }
}
