package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.testing.FakeScheduler;
import io.lb4j.testing.FakeTicker;
import io.lb4j.testing.ScriptedRandom;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * What a balancer does on its own, with nothing but its defaults: connection failures take an
 * endpoint out at once and a background check brings it back; runs of failures eject it for a
 * while. Fake time and a scripted connection check; changes apply on the calling thread.
 */
class SafeDefaultsTest {

    private final FakeTicker ticker = new FakeTicker();
    private final Clock clock = BalancerTest.tickerClock(ticker);
    private final FakeScheduler scheduler = new FakeScheduler(ticker);
    /** Answers of the connection check, in order; an empty queue leaves the check pending. */
    private final Deque<CompletableFuture<Boolean>> checks = new ArrayDeque<>();
    private final List<Endpoint> checked = new ArrayList<>();
    private final ConnectionCheck scriptedCheck = endpoint -> {
        checked.add(endpoint);
        CompletableFuture<Boolean> next = checks.poll();
        return next != null ? next : new CompletableFuture<>();
    };
    /** No jitter in the backoff: 1 s, 1.6 s, 2.56 s, ... */
    private final ReconnectPolicy reconnect = ReconnectPolicy.builder().jitter(0).check(scriptedCheck).build();

    private static final Endpoint A = Endpoint.parse("a:1");
    private static final Endpoint B = Endpoint.parse("b:1");
    private static final Endpoint C = Endpoint.parse("c:1");

    private BalancerBuilder builder(String... endpoints) {
        return Balancer.builder("users").endpoints(endpoints).ticker(ticker).clock(clock).random(new ScriptedRandom())
                .controlExecutor(Runnable::run).scheduler(scheduler).reconnectPolicy(reconnect);
    }

    /** Picks until {@code endpoint} comes up (round-robin: within n picks) and completes the others. */
    private static Selection pickOf(Balancer b, Endpoint endpoint) {
        for (int i = 0; i < 100; i++) {
            Selection s = b.pick();
            if (s.endpoint().equals(endpoint)) {
                return s;
            }
            s.cancel();
        }
        throw new AssertionError(endpoint + " was never picked from " + b.snapshot());
    }

    private static CompletableFuture<Boolean> answer(boolean reachable) {
        return CompletableFuture.completedFuture(reachable);
    }

    // ---- connection failures

    @Test
    void aConnectionFailureTakesTheEndpointOutAtOnceAndAPassingCheckBringsItBack() {
        Balancer b = builder("a:1", "b:1", "c:1").build();
        pickOf(b, A).connectionFailure(new ConnectException("Connection refused"));

        assertThat(b.snapshot().isEligible(A)).isFalse();
        Exclusion x = b.snapshot().exclusions(A).get(0);
        assertThat(x.owner()).isEqualTo("connection");
        assertThat(x.reason()).isEqualTo("connection failed: ConnectException: Connection refused");
        assertThat(x.until()).contains(clock.instant().plusSeconds(1));
        for (int i = 0; i < 20; i++) {
            assertThat(b.pick().endpoint()).isNotEqualTo(A);
        }

        checks.add(answer(true));
        scheduler.advance(Duration.ofMillis(999));
        assertThat(checked).as("no check before the backoff is over").isEmpty();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(checked).containsExactly(A);
        assertThat(b.snapshot().isEligible(A)).isTrue();
    }

    @Test
    void theBackoffGrowsWhileChecksFailAndASuccessfulCallResetsIt() {
        Balancer b = builder("a:1", "b:1").build();
        pickOf(b, A).connectionFailure(new ConnectException("refused"));
        checks.add(answer(false));
        checks.add(answer(false));
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(1600));
        assertThat(b.snapshot().exclusions(A).get(0).reason())
                .isEqualTo("connection failed: ConnectException: refused; 1 check failed since");
        scheduler.advance(Duration.ofMillis(1600));
        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(2560));
        checks.add(answer(true));
        scheduler.advance(Duration.ofMillis(2560));
        assertThat(b.snapshot().isEligible(A)).isTrue();
        assertThat(checked).hasSize(3);

        // it comes back refused again: the backoff continues where it was ...
        pickOf(b, A).connectionFailure(new ConnectException("refused"));
        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(2560));
        checks.add(answer(true));
        scheduler.advance(Duration.ofMillis(2560));
        // ... until a call succeeds
        pickOf(b, A).success();
        pickOf(b, A).connectionFailure(new ConnectException("refused"));
        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void aFailureWhoseCauseIsAConnectExceptionCountsAsAConnectionFailure() {
        Balancer b = builder("a:1", "b:1", "c:1").build();
        List<Selection.Outcome> seen = new ArrayList<>();
        b.addOutcomeListener((s, outcome, cause, nanos) -> {
            if (outcome != Selection.Outcome.CANCELLED) {
                seen.add(outcome);
            }
        });
        pickOf(b, A).failure(new ConnectException("refused"));
        pickOf(b, B).failure(new java.util.concurrent.CompletionException(new UnknownHostException("b")));
        pickOf(b, C).failure(new IOException("reset after the request was sent", new ConnectException("not this")));
        assertThat(b.snapshot().exclusions(A)).extracting(Exclusion::owner).containsExactly("connection");
        assertThat(b.snapshot().exclusions(B)).extracting(Exclusion::owner).containsExactly("connection");
        assertThat(b.snapshot().isEligible(C)).as("an I/O failure after connecting is the outlier rule's business").isTrue();
        assertThat(seen).containsExactly(Selection.Outcome.CONNECTION_FAILURE, Selection.Outcome.CONNECTION_FAILURE,
                Selection.Outcome.FAILURE);
    }

    @Test
    void callsInFlightWhenTheEndpointWentOutDoNotPushItsBackoff() {
        Balancer b = builder("a:1", "b:1").build();
        Selection first = pickOf(b, A);
        Selection second = pickOf(b, A);
        first.connectionFailure(new ConnectException("refused"));
        second.connectionFailure(new ConnectException("refused"));
        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void withReconnectDisabledConnectionFailuresCountTowardsOutlierEjection() {
        Balancer b = builder("a:1", "b:1", "c:1").reconnectPolicy(ReconnectPolicy.disabled()).build();
        for (int i = 0; i < 4; i++) {
            pickOf(b, A).connectionFailure(new ConnectException("refused"));
            assertThat(b.snapshot().isEligible(A)).isTrue();
        }
        pickOf(b, A).connectionFailure(new ConnectException("refused"));
        assertThat(b.snapshot().exclusions(A)).extracting(Exclusion::owner).containsExactly("outlier-ejection");
    }

    @Test
    void anEndpointThatLeavesTheListWhileDownIsNotCheckedAgain() {
        Balancer b = builder("a:1", "b:1").build();
        pickOf(b, A).connectionFailure(new ConnectException("refused"));
        b.update(List.of(B));
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(checked).isEmpty();
        b.update(List.of(A, B));
        assertThat(b.snapshot().isEligible(A)).as("back in the list: a fresh endpoint").isTrue();
    }

    // ---- passive outlier ejection

    @Test
    void fiveFailuresInARowEjectForTheBaseTimeThenItReturns() {
        Balancer b = builder("a:1", "b:1", "c:1", "d:1", "e:1", "f:1", "g:1", "h:1", "i:1", "j:1").build();
        for (int i = 0; i < 4; i++) {
            pickOf(b, A).failure(new IOException("status 503"));
        }
        pickOf(b, A).success();
        for (int i = 0; i < 4; i++) {
            pickOf(b, A).failure(new IOException("status 503"));
        }
        assertThat(b.snapshot().isEligible(A)).as("a success in between resets the run").isTrue();
        pickOf(b, A).failure(new IOException("status 503"));
        Exclusion x = b.snapshot().exclusions(A).get(0);
        assertThat(x.owner()).isEqualTo("outlier-ejection");
        assertThat(x.reason()).isEqualTo("5 consecutive failures, last: IOException: status 503");
        assertThat(x.until()).contains(clock.instant().plusSeconds(30));
        scheduler.advance(Duration.ofSeconds(30));
        assertThat(b.snapshot().isEligible(A)).isTrue();
    }

    @Test
    void atMostTenPercentAreEjectedButNeverFewerThanOne() {
        Balancer b = builder("a:1", "b:1", "c:1").build();
        for (int i = 0; i < 5; i++) {
            pickOf(b, A).failure(new IOException("x"));
        }
        for (int i = 0; i < 5; i++) {
            pickOf(b, B).failure(new IOException("x"));
        }
        assertThat(b.snapshot().isEligible(A)).isFalse();
        assertThat(b.snapshot().isEligible(B)).as("a second ejection of three would exceed 10 %").isTrue();
        assertThat(((io.lb4j.core.internal.OutlierControl) b).skippedEjectionCount()).isEqualTo(1);
        assertThat(b.snapshot().member(B).consecutiveFailures()).as("a full new run is needed").isZero();
    }

    @Test
    void eachEjectionInARowLastsLongerAndQuietIntervalsShortenItAgain() {
        Balancer b = builder("a:1", "b:1").build();
        List<Duration> lengths = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 5; i++) {
                pickOf(b, A).failure(new IOException("x"));
            }
            lengths.add(scheduler.pendingDelays().get(0));
            scheduler.advance(lengths.get(round));
        }
        assertThat(lengths).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(90));
        scheduler.advance(Duration.ofSeconds(20)); // two quiet intervals of 10 s: multiplier 3 -> 1
        for (int i = 0; i < 5; i++) {
            pickOf(b, A).failure(new IOException("x"));
        }
        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(60));
    }

    @Test
    void theFailurePercentageRuleEjectsAtTheEndOfAnInterval() {
        OutlierEjection rules = OutlierEjection.builder().consecutiveFailures(0).failurePercentage(50, 10).build();
        Balancer b = builder("a:1", "b:1").outlierEjection(rules).build();
        for (int i = 0; i < 10; i++) {
            Selection s = pickOf(b, A);
            if (i % 2 == 0) {
                s.failure(new IOException("x"));
            } else {
                s.success();
            }
        }
        assertThat(b.snapshot().isEligible(A)).isTrue();
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(b.snapshot().exclusions(A)).extracting(Exclusion::reason)
                .containsExactly("5 of 10 calls failed in the last interval (threshold 50%)");
    }

    @Test
    void outcomesOfCallsToAnEjectedEndpointSayNothingNew() {
        Balancer b = builder("a:1", "b:1").build();
        List<Selection> inFlight = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            inFlight.add(pickOf(b, A));
        }
        for (Selection s : inFlight) {
            s.failure(new IOException("x"));
        }
        assertThat(((io.lb4j.core.internal.OutlierControl) b).ejectionCount()).isEqualTo(1);
        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(30));
    }

    @Test
    void everyDefaultCanBeSwitchedOff() {
        Balancer b = builder("a:1", "b:1").reconnectPolicy(ReconnectPolicy.disabled())
                .outlierEjection(OutlierEjection.disabled()).build();
        for (int i = 0; i < 20; i++) {
            pickOf(b, A).connectionFailure(new ConnectException("refused"));
            pickOf(b, B).failure(new IOException("x"));
        }
        assertThat(b.snapshot().eligible()).hasSize(2);
        assertThat(scheduler.pendingCount()).isZero();
    }

    // ---- the control plane

    @Test
    void aRequestThreadThatReportsAFailureNeverRebuildsTheSnapshotItself() throws Exception {
        List<String> threads = new ArrayList<>();
        ConnectionCheck never = e -> new CompletableFuture<>();
        Balancer b = Balancer.builder("users").endpoints("a:1", "b:1", "c:1")
                .reconnectPolicy(ReconnectPolicy.builder().check(never).build()).build();
        b.addSnapshotListener(s -> {
            synchronized (threads) {
                threads.add(Thread.currentThread().getName());
            }
        });
        pickOf(b, A).connectionFailure(new ConnectException("refused"));
        Snapshot after = b.flush().get();
        assertThat(after.isEligible(A)).isFalse();
        synchronized (threads) {
            assertThat(threads).hasSize(1);
            assertThat(threads.get(0)).startsWith("lb4j-control").isNotEqualTo(Thread.currentThread().getName());
        }
        b.close();
    }

    @Test
    void snapshotListenersSeeStrictlyIncreasingVersionsUnderConcurrentWriters() throws Exception {
        Balancer b = Balancer.builder("users").endpoints("a:1", "b:1", "c:1", "d:1").build();
        List<Long> versions = new ArrayList<>();
        b.addSnapshotListener(s -> {
            synchronized (versions) {
                versions.add(s.version());
            }
        });
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            writers.add(new Thread(() -> {
                Exclusions mine = b.newExclusions("writer-" + id);
                Endpoint e = Endpoint.of(String.valueOf((char) ('a' + id)), 1);
                for (int i = 0; i < 500; i++) {
                    mine.exclude(e, "round " + i);
                    if (id == 0 && i % 50 == 0) {
                        b.update(List.of(Endpoint.parse("a:1"), Endpoint.parse("b:1"), Endpoint.parse("c:1"),
                                Endpoint.parse("d:1").withWeight(1 + i % 3)));
                    }
                    mine.include(e);
                }
            }));
        }
        writers.forEach(Thread::start);
        for (Thread w : writers) {
            w.join();
        }
        Snapshot last = b.flush().get();
        synchronized (versions) {
            assertThat(versions).isNotEmpty();
            for (int i = 1; i < versions.size(); i++) {
                assertThat(versions.get(i)).as("version #" + i).isEqualTo(versions.get(i - 1) + 1);
            }
            assertThat(versions.get(versions.size() - 1)).isEqualTo(last.version());
        }
        assertThat(last.eligible()).hasSize(4);
        b.close();
    }

    @Test
    void flushCompletesAfterEveryEarlierChangeIsPublished() throws Exception {
        Balancer b = Balancer.builder("users").endpoints("a:1", "b:1").build();
        Exclusions drain = b.newExclusions("drain");
        drain.exclude(A, "maintenance");
        assertThat(b.flush().get().isEligible(A)).isFalse();
        drain.include(A);
        assertThat(b.flush().get().isEligible(A)).isTrue();
        b.close();
    }

    @Test
    void connectionCheckNoneReturnsTheEndpointWhenTheBackoffEnds() {
        ConnectionCheck none = ConnectionCheck.none();
        CompletionStage<Boolean> answer = none.check(A);
        assertThat(answer.toCompletableFuture()).isCompletedWithValue(true);
        Balancer b = builder("a:1", "b:1").reconnectPolicy(ReconnectPolicy.builder().jitter(0).check(none).build()).build();
        pickOf(b, A).connectionFailure(new ConnectException("refused"));
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(b.snapshot().isEligible(A)).isTrue();
    }
}
