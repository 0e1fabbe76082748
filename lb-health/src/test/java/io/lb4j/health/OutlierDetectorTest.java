package io.lb4j.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.Selection;
import io.lb4j.health.ScriptedProbe.Mode;
import io.lb4j.testing.FakeScheduler;
import io.lb4j.testing.FakeTicker;
import io.lb4j.testing.ScriptedRandom;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutlierDetectorTest {

    private static final Duration BASE = Duration.ofSeconds(30);

    private final FakeTicker ticker = new FakeTicker();
    private final FakeScheduler scheduler = new FakeScheduler(ticker);
    private final Clock clock = Balancers.clockOf(ticker);
    private final ScriptedRandom random = new ScriptedRandom();
    private final Endpoint a = Endpoint.of("10.0.0.1", 80);
    private final Endpoint b = Endpoint.of("10.0.0.2", 80);
    private final Endpoint c = Endpoint.of("10.0.0.3", 80);
    private Balancer balancer = balancerOf(List.of(a, b, c));
    private OutlierDetector detector;
    private HealthChecker checker;

    /** The balancer's time, timers and randomness are the detector's; changes apply on the calling thread. */
    private Balancer balancerOf(List<Endpoint> endpoints) {
        return Balancer.builder("orders").endpoints(endpoints).ticker(ticker).clock(clock).scheduler(scheduler)
                .random(random).controlExecutor(Runnable::run).build();
    }

    private OutlierDetectorBuilder builder() {
        return OutlierDetector.builder(balancer);
    }

    @AfterEach
    void tearDown() {
        if (detector != null) {
            detector.close();
        }
        if (checker != null) {
            checker.close();
        }
        balancer.close();
    }

    private Selection pickOf(Endpoint e) {
        return Balancers.pickOf(balancer, e);
    }

    private void fail(Endpoint e, int times) {
        for (int i = 0; i < times; i++) {
            pickOf(e).failure(new IOException("connection reset"));
        }
    }

    private void succeed(Endpoint e, int times) {
        for (int i = 0; i < times; i++) {
            pickOf(e).success();
        }
    }

    private boolean ejected(Endpoint e) {
        return Balancers.excludedBy(balancer, e, "outlier-ejection") != null;
    }

    private Set<Endpoint> eligible() {
        return Balancers.eligible(balancer);
    }

    /** Length of the current ejection of {@code e}, from now. */
    private Duration ejectionLeft(Endpoint e) {
        return Duration.between(clock.instant(), Balancers.excludedBy(balancer, e, "outlier-ejection").until().orElseThrow());
    }

    @Test
    void ejectsAfterConsecutiveFailuresAndASuccessStartsTheCountAgain() {
        detector = builder().consecutiveFailures(5).build();
        fail(a, 4);
        succeed(a, 1);
        fail(a, 4);
        assertThat(ejected(a)).isFalse();
        fail(a, 1);
        assertThat(ejected(a)).isTrue();
        assertThat(eligible()).containsExactlyInAnyOrder(b, c);
        assertThat(detector.ejectionCount()).isEqualTo(1);
        assertThat(detector.ejectedCount()).isEqualTo(1);
        assertThat(ejectionLeft(a)).isEqualTo(BASE);
    }

    @Test
    void cancelledSelectionsCountNeitherWay() {
        detector = builder().consecutiveFailures(3).build();
        fail(a, 2);
        for (int i = 0; i < 5; i++) {
            pickOf(a).cancel();
        }
        assertThat(ejected(a)).isFalse();
        fail(a, 1);
        assertThat(ejected(a)).isTrue();
    }

    @Test
    void ejectedEndpointReturnsWhenItsTimeIsUp() {
        detector = builder().consecutiveFailures(1).build();
        fail(a, 1);
        scheduler.advance(BASE.minusNanos(1));
        assertThat(ejected(a)).isTrue();
        scheduler.advance(Duration.ofNanos(1));
        assertThat(ejected(a)).isFalse();
        assertThat(eligible()).containsExactlyInAnyOrder(a, b, c);
        assertThat(detector.returnCount()).isEqualTo(1);
        assertThat(detector.ejectedCount()).isZero();
    }

    @Test
    void ejectionTimeGrowsWithEachEjectionUpToTheCap() {
        detector = builder().consecutiveFailures(1)
                .baseEjectionTime(Duration.ofSeconds(10))
                .maxEjectionTime(Duration.ofSeconds(25))
                .interval(Duration.ofHours(1)) // no decay during the test
                .build();
        List<Duration> lengths = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fail(a, 1);
            lengths.add(ejectionLeft(a));
            scheduler.advance(ejectionLeft(a));
            assertThat(ejected(a)).isFalse();
        }
        assertThat(lengths).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(25),
                Duration.ofSeconds(25), Duration.ofSeconds(25));
        assertThat(detector.ejectionMultiplier(a)).as("no higher than the cap needs").isEqualTo(3);
    }

    @Test
    void capShorterThanTheBaseTimeLeavesTheBaseTime() {
        detector = builder().consecutiveFailures(1)
                .baseEjectionTime(Duration.ofSeconds(10))
                .maxEjectionTime(Duration.ofSeconds(5))
                .build();
        fail(a, 1);
        assertThat(ejectionLeft(a)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void jitterAddsARandomExtraOfUpToTheJitter() {
        detector = builder().consecutiveFailures(1)
                .jitter(Duration.ofSeconds(4))
                .build();
        random.nextDoubles(0.5, 0.0, 0.999);
        fail(a, 1);
        assertThat(ejectionLeft(a)).isEqualTo(BASE.plusSeconds(2));
        fail(b, 1); // refused: one of three may be ejected
        scheduler.advance(ejectionLeft(a));
        fail(b, 1);
        assertThat(ejectionLeft(b)).isEqualTo(BASE);
        scheduler.advance(ejectionLeft(b));
        fail(c, 1);
        assertThat(ejectionLeft(c)).isBetween(BASE.plusMillis(3990), BASE.plusSeconds(4));
    }

    @Test
    void neverEjectsMoreThanMaxEjectionPercent() {
        List<Endpoint> ten = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            ten.add(Endpoint.of("10.0.1." + i, 80));
        }
        balancer.close();
        balancer = balancerOf(ten);
        detector = builder().consecutiveFailures(2).maxEjectionPercent(20).build();
        fail(ten.get(0), 2);
        fail(ten.get(1), 2);
        fail(ten.get(2), 2);
        assertThat(balancer.snapshot().excludedCountByOwner()).containsEntry("outlier-ejection", 2);
        assertThat(ejected(ten.get(2))).isFalse();
        assertThat(detector.skippedEjectionCount()).isEqualTo(1);

        scheduler.advance(BASE);
        fail(ten.get(2), 1);
        assertThat(ejected(ten.get(2))).as("a refused ejection needs a full run of failures again").isFalse();
        fail(ten.get(2), 1);
        assertThat(ejected(ten.get(2))).isTrue();
    }

    @Test
    void ejectsAtLeastOneEndpointWhateverThePercent() {
        detector = builder().consecutiveFailures(1).maxEjectionPercent(0).build();
        fail(a, 1);
        fail(b, 1);
        assertThat(ejected(a)).isTrue();
        assertThat(ejected(b)).isFalse();
        assertThat(balancer.inPanic()).isFalse();
    }

    @Test
    void multiplierDecaysOncePerIntervalSpentBackInService() {
        detector = builder().consecutiveFailures(1).interval(Duration.ofSeconds(10)).build();
        fail(a, 1);
        scheduler.advance(BASE);
        assertThat(detector.ejectionMultiplier(a)).isEqualTo(1);
        fail(a, 1); // again at once: twice as long
        assertThat(ejectionLeft(a)).isEqualTo(BASE.multipliedBy(2));
        assertThat(detector.ejectionMultiplier(a)).isEqualTo(2);
        scheduler.advance(BASE.multipliedBy(2));

        scheduler.advance(Duration.ofSeconds(10)); // one full interval back
        assertThat(detector.ejectionMultiplier(a)).isEqualTo(1);
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(detector.ejectionMultiplier(a)).isZero();
        fail(a, 1);
        assertThat(ejectionLeft(a)).isEqualTo(BASE);
    }

    @Test
    void failurePercentageRuleEjectsAtTheEndOfTheInterval() {
        detector = builder().consecutiveFailures(0).failurePercentage(50, 10).interval(Duration.ofSeconds(10)).build();
        for (int i = 0; i < 6; i++) { // a: 6 of 12 failed; b: 4 of 8 (too few calls); c: 2 of 12
            fail(a, 1);
            succeed(a, 1);
        }
        for (int i = 0; i < 4; i++) {
            fail(b, 1);
            succeed(b, 1);
        }
        fail(c, 2);
        succeed(c, 10);
        assertThat(detector.ejectedCount()).isZero();

        scheduler.advance(Duration.ofSeconds(10));
        assertThat(ejected(a)).isTrue();
        assertThat(ejected(b)).isFalse();
        assertThat(ejected(c)).isFalse();

        // counts start afresh each interval: b's earlier calls do not add up with the next ones
        for (int i = 0; i < 3; i++) {
            fail(b, 1);
            succeed(b, 1);
        }
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(ejected(b)).isFalse();
    }

    /** A started checker probing every 5 s on the test's scheduler, its first round done. */
    private HealthChecker startChecker(ScriptedProbe probe) {
        checker = HealthChecker.builder(balancer).probe(probe).interval(Duration.ofSeconds(5)).jitter(0)
                .timeout(Duration.ofSeconds(2)).scheduler(scheduler).ticker(ticker).build().start();
        scheduler.runDueTasks();
        return checker;
    }

    @Test
    void passingProbeEndsAnEjectionEarly() {
        startChecker(new ScriptedProbe(ticker));
        detector = builder().consecutiveFailures(1).healthChecker(checker).build();
        fail(a, 1);
        assertThat(ejected(a)).isTrue();
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(ejected(a)).isFalse();
        assertThat(detector.returnCount()).isEqualTo(1);
    }

    @Test
    void passingProbeLeavesTheEjectionWhenSoConfigured() {
        startChecker(new ScriptedProbe(ticker));
        detector = builder().consecutiveFailures(1).healthChecker(checker).unEjectOnHealthyProbe(false).build();
        fail(a, 1);
        scheduler.advance(Duration.ofSeconds(25));
        assertThat(ejected(a)).isTrue();
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(ejected(a)).isFalse();
    }

    @Test
    void probeStartedBeforeTheEjectionDoesNotEndIt() {
        ScriptedProbe probe = new ScriptedProbe(ticker).set(a, Mode.HANG);
        startChecker(probe);
        detector = builder().consecutiveFailures(1).healthChecker(checker).build();
        ticker.advance(Duration.ofMillis(100));
        fail(a, 1);
        probe.calls(a).get(0).future.complete(ProbeResult.healthy());
        assertThat(ejected(a)).isTrue();
    }

    @Test
    void aSecondDetectorOnOneBalancerIsRefusedUntilTheFirstIsClosed() {
        detector = builder().consecutiveFailures(1).build();
        assertThatThrownBy(() -> builder().consecutiveFailures(9).build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("'orders' already has an OutlierDetector (expected: one per balancer; close the other first)");
        detector.close();
        detector = builder().consecutiveFailures(2).build();
        fail(a, 1);
        assertThat(ejected(a)).isFalse();
        fail(a, 1);
        assertThat(ejected(a)).isTrue();
    }

    @Test
    void closingPutsBackTheBalancersBuiltInDefaults() {
        detector = builder().consecutiveFailures(1).build();
        detector.close();
        fail(a, 4);
        assertThat(ejected(a)).isFalse();
        fail(a, 1);
        assertThat(ejected(a)).as("the built-in rule: 5 in a row").isTrue();
    }

    @Test
    void ejectedEndpointPickedInPanicDoesNotDeepenItsEjection() {
        balancer.close();
        balancer = balancerOf(List.of(a, b));
        ScriptedProbe probe = new ScriptedProbe(ticker).set(b, Mode.FAIL);
        startChecker(probe);
        assertThat(eligible()).containsExactly(a);
        assertThat(balancer.inPanic()).isFalse();

        detector = builder().consecutiveFailures(2).maxEjectionPercent(50).build();
        fail(a, 2);
        assertThat(ejected(a)).isTrue();
        assertThat(balancer.inPanic()).as("nothing eligible: picks go to all").isTrue();
        assertThat(balancer.snapshot().pickable()).hasSize(2);

        fail(a, 10); // still failing while picked in panic
        assertThat(detector.ejectionCount()).isEqualTo(1);
        assertThat(detector.ejectionMultiplier(a)).isEqualTo(1);
        assertThat(ejectionLeft(a)).isEqualTo(BASE);

        scheduler.advance(BASE);
        assertThat(balancer.inPanic()).isFalse();
        assertThat(eligible()).containsExactly(a);
    }

    @Test
    void forgetsAnEndpointThatLeavesTheList() {
        detector = builder().consecutiveFailures(1).build();
        fail(a, 1);
        assertThat(scheduler.pendingDelays()).contains(BASE);
        balancer.update(List.of(b, c));
        assertThat(scheduler.pendingDelays()).doesNotContain(BASE);
        assertThat(detector.ejectedCount()).isZero();

        balancer.update(List.of(a, b, c)); // back: a fresh endpoint
        assertThat(ejected(a)).isFalse();
        assertThat(detector.ejectionMultiplier(a)).isZero();
        fail(a, 1);
        assertThat(ejectionLeft(a)).isEqualTo(BASE);
    }

    @Test
    void closeReturnsEjectedEndpointsAndStopsWatching() {
        detector = builder().consecutiveFailures(1).build();
        fail(a, 1);
        detector.close();
        assertThat(ejected(a)).isFalse();
        assertThat(scheduler.pendingDelays()).doesNotContain(BASE);
        fail(b, 3);
        assertThat(ejected(b)).as("back to the balancer's built-in 5 in a row").isFalse();
        detector.close(); // idempotent
    }

    @Test
    void builderRejectsBadValuesNamingValueAndRule() {
        OutlierDetectorBuilder b = OutlierDetector.builder(balancer);
        assertThatThrownBy(() -> b.consecutiveFailures(-1)).hasMessage("consecutiveFailures: -1 (expected: >= 0)");
        assertThatThrownBy(() -> b.baseEjectionTime(Duration.ZERO)).hasMessage("baseEjectionTime: PT0S (expected: > 0)");
        assertThatThrownBy(() -> b.maxEjectionTime(Duration.ofSeconds(-3))).hasMessage("maxEjectionTime: PT-3S (expected: > 0)");
        assertThatThrownBy(() -> b.jitter(Duration.ofSeconds(-1))).hasMessage("jitter: PT-1S (expected: >= 0)");
        assertThatThrownBy(() -> b.maxEjectionPercent(101)).hasMessage("maxEjectionPercent: 101 (expected: 0-100)");
        assertThatThrownBy(() -> b.failurePercentage(0, 10)).hasMessage("thresholdPercent: 0 (expected: 1-100)");
        assertThatThrownBy(() -> b.failurePercentage(85, 0)).hasMessage("minimumRequests: 0 (expected: >= 1)");
        try (Balancer other = Balancer.builder("users").endpoints("10.0.0.9:80").build()) {
            HealthChecker foreign = HealthChecker.builder(other).build();
            assertThatThrownBy(() -> b.healthChecker(foreign))
                    .hasMessage("healthChecker: checks 'users' (expected: the detector's balancer 'orders')");
            foreign.close();
        }
    }
}
