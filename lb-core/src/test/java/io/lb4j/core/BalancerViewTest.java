package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.lb4j.testing.FakeScheduler;
import io.lb4j.testing.FakeTicker;
import io.lb4j.testing.ScriptedRandom;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@link Balancer#view()} after scripted changes: fake ticker and clock (the clock is the epoch
 * plus the ticker, so every time is exact), changes applied on the calling thread, a strategy
 * the test steers so that every count is exact.
 */
class BalancerViewTest {

    private static final Endpoint A = Endpoint.parse("a:1");
    private static final Endpoint B = Endpoint.parse("b:2");
    private static final Endpoint C = Endpoint.parse("c:3");
    private static final Endpoint D = Endpoint.parse("d:4");

    private final FakeTicker ticker = new FakeTicker();
    /** The instant the balancers below are built at: the epoch plus the fake ticker's start. */
    private final Instant t0 = ticker.clock().instant();
    private final FakeScheduler scheduler = new FakeScheduler(ticker);
    private final Deque<CompletableFuture<Boolean>> checks = new ArrayDeque<>();
    private final SteeredStrategy strategy = new SteeredStrategy(Map.of(4, 0.25));

    private Balancer balancer(Endpoint... endpoints) {
        ReconnectPolicy reconnect = ReconnectPolicy.builder().jitter(0).check(e -> {
            CompletableFuture<Boolean> next = checks.poll();
            return next != null ? next : new CompletableFuture<>();
        }).build();
        return Balancer.builder("users").endpoints(endpoints).strategy(strategy).ticker(ticker).clock(ticker.clock())
                .random(new ScriptedRandom()).controlExecutor(Runnable::run).scheduler(scheduler).reconnectPolicy(reconnect)
                .build();
    }

    private Instant at(Duration sinceStart) {
        return t0.plus(sinceStart);
    }

    private static Duration s(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    private static EndpointView of(BalancerView v, Endpoint e) {
        return v.endpoint(e).orElseThrow();
    }

    @Test
    void showsEveryExclusionWithItsOwnerReasonAndTimesAfterScriptedChanges() {
        Balancer b = balancer(A, B, C, D);
        Exclusions drain = b.newExclusions("maintenance");
        ticker.advance(s(2));
        drain.exclude(B, "kernel upgrade", Duration.ofMinutes(10));
        ticker.advance(s(3));
        strategy.steer(C);
        b.pick().connectionFailure(new ConnectException("Connection refused"));

        BalancerView v = b.view();
        assertThat(v.service()).isEqualTo("users");
        assertThat(v.time()).isEqualTo(at(s(5)));
        assertThat(v.version()).isEqualTo(b.snapshot().version()).isEqualTo(3);
        assertThat(v.closed()).isFalse();
        assertThat(v.strategyName()).isEqualTo("steered");
        assertThat(v.strategySettings()).containsExactly(entry("target", "set by the test"));
        assertThat(v.knownCount()).isEqualTo(4);
        assertThat(v.eligibleCount()).isEqualTo(2);
        assertThat(v.excludedCount()).isEqualTo(2);
        assertThat(v.drainedCount()).isZero();
        assertThat(v.excludedCountByOwner()).containsExactly(entry("connection", 1), entry("maintenance", 1));
        assertThat(v.panic()).isFalse();
        assertThat(v.panicThreshold()).isEqualTo(0.5);
        assertThat(v.panicReason()).isEqualTo("2 of 4 endpoints of weight > 0 eligible (threshold 0.5); "
                + "1 excluded by connection for up to 1s more, 1 by maintenance for up to 597s more");
        assertThat(v.windowStart()).as("the first view counts from the start").isEqualTo(t0);
        assertThat(v.window()).isEqualTo(s(5));
        assertThat(v.endpoints()).extracting(e -> e.endpoint()).containsExactly(A, B, C, D);

        EndpointView b2 = of(v, B);
        assertThat(b2.state()).isEqualTo(EndpointView.State.EXCLUDED);
        assertThat(b2.pickable()).isFalse();
        assertThat(b2.exclusions()).containsExactly(
                new Exclusion("maintenance", "kernel upgrade", at(s(2)), at(s(2)).plus(Duration.ofMinutes(10))));
        assertThat(b2.total()).isEqualTo(new OutcomeCounts(0, 0, 0, 0, 0));
        assertThat(b2.lastOutcome()).isEmpty();
        assertThat(b2.latency()).isEmpty();
        assertThat(b2.firstSeen()).isEqualTo(t0);

        EndpointView c3 = of(v, C);
        assertThat(c3.state()).isEqualTo(EndpointView.State.EXCLUDED);
        assertThat(c3.exclusions()).containsExactly(new Exclusion("connection",
                "connection failed: ConnectException: Connection refused", at(s(5)), at(s(6))));
        assertThat(c3.total()).isEqualTo(new OutcomeCounts(1, 0, 0, 1, 0));
        assertThat(c3.recent()).isEqualTo(c3.total());
        assertThat(c3.pickShare()).isEqualTo(1.0);
        assertThat(c3.inFlight()).isZero();
        assertThat(c3.lastOutcome()).contains(new LastOutcome(Selection.Outcome.CONNECTION_FAILURE, at(s(5)),
                "ConnectException: Connection refused"));

        EndpointView a1 = of(v, A);
        assertThat(a1.state()).isEqualTo(EndpointView.State.ELIGIBLE);
        assertThat(a1.pickable()).isTrue();
        assertThat(a1.exclusions()).isEmpty();
        assertThat(a1.pickShare()).isZero();
        assertThat(a1.slowStartShare()).isEqualTo(1.0);
        assertThat(of(v, D).slowStartShare()).as("from the strategy").isEqualTo(0.25);

        assertThat(v.recentEvents()).extracting(BalancerEvent::kind, BalancerEvent::owner, BalancerEvent::time)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(BalancerEvent.Kind.EXCLUDED, java.util.Optional.of("maintenance"), at(s(2))),
                        org.assertj.core.groups.Tuple.tuple(BalancerEvent.Kind.EXCLUDED, java.util.Optional.of("connection"), at(s(5))));
        assertThat(v.recentEvents().get(0).message())
                .isEqualTo("b:2 excluded by maintenance: kernel upgrade (until 1970-01-01T00:10:03Z)");

        // the reconnect check passes after the backoff; the drain ends with a reason
        checks.add(CompletableFuture.completedFuture(true));
        scheduler.advance(s(1));
        drain.include(B, "upgrade done");
        BalancerView after = b.view();
        assertThat(of(after, C).state()).isEqualTo(EndpointView.State.ELIGIBLE);
        assertThat(of(after, C).exclusions()).isEmpty();
        assertThat(of(after, B).exclusions()).isEmpty();
        assertThat(after.excludedCountByOwner()).isEmpty();
        assertThat(after.recentEvents()).hasSize(4);
        assertThat(after.recentEvents().subList(2, 4)).extracting(BalancerEvent::message).containsExactly(
                "c:3 no longer excluded by connection: a connection check passed; eligible again",
                "b:2 no longer excluded by maintenance: upgrade done; eligible again");
        assertThat(after.panicReason()).isEqualTo("4 of 4 endpoints of weight > 0 eligible (threshold 0.5)");
    }

    @Test
    void recentCountsAreMeasuredFromTheOldestSampleInsideTheWindow() {
        Balancer b = balancer(A, B);
        strategy.steer(A);
        for (int i = 0; i < 3; i++) {
            Selection s = b.pick();
            ticker.advance(s(0.01));
            s.success();
        }
        BalancerView v1 = b.view();
        assertThat(v1.windowStart()).isEqualTo(t0);
        assertThat(of(v1, A).recent()).isEqualTo(new OutcomeCounts(3, 3, 0, 0, 0)).isEqualTo(of(v1, A).total());
        assertThat(of(v1, A).pickShare()).isEqualTo(1.0);
        assertThat(of(v1, B).pickShare()).isZero();

        ticker.advance(s(10));
        strategy.steer(B);
        Selection sb = b.pick();
        ticker.advance(s(0.01));
        sb.success();
        strategy.steer(A);
        b.pick().failure(new IOException("boom"));
        Selection inFlight = b.pick();
        BalancerView v2 = b.view();
        assertThat(v2.windowStart()).isEqualTo(v1.time());
        assertThat(of(v2, A).recent()).as("a failure and a call in flight").isEqualTo(new OutcomeCounts(2, 0, 1, 0, 0));
        assertThat(of(v2, B).recent()).isEqualTo(new OutcomeCounts(1, 1, 0, 0, 0));
        assertThat(of(v2, A).pickShare()).isEqualTo(2.0 / 3);
        assertThat(of(v2, B).pickShare()).isEqualTo(1.0 / 3);
        assertThat(of(v2, A).total()).isEqualTo(new OutcomeCounts(5, 3, 1, 0, 0));
        assertThat(of(v2, A).inFlight()).isEqualTo(1);
        assertThat(of(v2, A).lastOutcome()).contains(new LastOutcome(Selection.Outcome.FAILURE, v2.time(), "IOException: boom"));
        assertThat(of(v2, B).lastOutcome()).contains(new LastOutcome(Selection.Outcome.SUCCESS, v2.time(), null));

        ticker.advance(s(1));
        inFlight.cancel();
        ticker.advance(s(40));
        BalancerView v3 = b.view();
        assertThat(v3.windowStart()).as("v1's sample is 51 s old: still inside").isEqualTo(v1.time());
        assertThat(of(v3, A).recent()).isEqualTo(new OutcomeCounts(2, 0, 1, 0, 1));
        assertThat(of(v3, A).lastOutcome()).contains(new LastOutcome(Selection.Outcome.CANCELLED, v2.time().plusSeconds(1), null));

        ticker.advance(s(15));
        BalancerView v4 = b.view();
        assertThat(v4.windowStart()).as("v1's sample is 66 s old: v2's is the oldest inside").isEqualTo(v2.time());
        assertThat(of(v4, A).recent()).as("the cancelled call was picked before v2").isEqualTo(new OutcomeCounts(0, 0, 0, 0, 1));
        assertThat(of(v4, B).recent()).isEqualTo(new OutcomeCounts(0, 0, 0, 0, 0));
        assertThat(of(v4, B).pickShare()).isZero();

        ticker.advance(s(200));
        BalancerView v5 = b.view();
        assertThat(v5.windowStart()).as("every sample is older than the window: the newest").isEqualTo(v4.time());
        assertThat(v5.window()).isEqualTo(s(200));
    }

    @Test
    void anEndpointAddedInsideTheWindowCountsFromWhenItWasFirstSeen() {
        Balancer b = balancer(A);
        b.view();
        ticker.advance(s(5));
        b.update(List.of(A, B));
        strategy.steer(B);
        b.pick().success();
        BalancerView v = b.view();
        assertThat(of(v, B).firstSeen()).isEqualTo(at(s(5)));
        assertThat(of(v, B).recent()).isEqualTo(new OutcomeCounts(1, 1, 0, 0, 0));
        assertThat(of(v, B).pickShare()).isEqualTo(1.0);
    }

    @Test
    void latencyIsThePeakEwmaEstimate() {
        Balancer b = balancer(A);
        Selection s = b.pick();
        ticker.advance(Duration.ofMillis(20));
        s.success();
        assertThat(of(b.view(), A).latency()).contains(Duration.ofMillis(20));
    }

    @Test
    void drainedEndpointsAreNeitherPickedNorCountedForPanicAndTheReasonSaysSo() {
        Balancer b = balancer(A, B, C, D);
        b.update(List.of(A, B.withWeight(0), C.withWeight(0), D.withWeight(0)));
        BalancerView v = b.view();
        assertThat(v.panic()).isFalse();
        assertThat(v.drainedCount()).isEqualTo(3);
        assertThat(v.panicReason()).isEqualTo("1 of 1 endpoint of weight > 0 eligible (threshold 0.5); 3 drained (weight 0)");
        assertThat(v.endpoints()).extracting(EndpointView::state).containsExactly(EndpointView.State.ELIGIBLE,
                EndpointView.State.DRAINED, EndpointView.State.DRAINED, EndpointView.State.DRAINED);
        assertThat(v.endpoints()).extracting(EndpointView::pickable).containsExactly(true, false, false, false);

        Exclusions drain = b.newExclusions("maintenance");
        drain.exclude(A, "disk full");
        drain.exclude(B, "disk full");
        BalancerView p = b.view();
        assertThat(p.panic()).isTrue();
        assertThat(p.panicReason()).isEqualTo("0 of 1 endpoint of weight > 0 eligible, under the threshold 0.5: "
                + "picking among all 1 (2 excluded by maintenance, 3 drained (weight 0))");
        assertThat(p.endpoints()).extracting(EndpointView::state).containsExactly(EndpointView.State.EXCLUDED,
                EndpointView.State.DRAINED, EndpointView.State.DRAINED, EndpointView.State.DRAINED);
        assertThat(p.endpoints()).as("in panic an excluded endpoint is picked, a drained one never")
                .extracting(EndpointView::pickable).containsExactly(true, false, false, false);
        assertThat(of(p, B).exclusions()).extracting(Exclusion::reason).containsExactly("disk full");
        assertThat(p.recentEvents()).extracting(BalancerEvent::kind).containsSubsequence(
                BalancerEvent.Kind.EXCLUDED, BalancerEvent.Kind.PANIC_ENTERED, BalancerEvent.Kind.EXCLUDED);
    }

    @Test
    void keepsTheLatestEventsOnly() {
        Balancer b = balancer(A, B);
        Exclusions drain = b.newExclusions("maintenance");
        for (int i = 0; i < 20; i++) {
            drain.exclude(A, "round " + i);
            drain.include(A, "round " + i + " over");
        }
        List<BalancerEvent> events = b.view().recentEvents();
        assertThat(events).hasSize(BalancerView.RECENT_EVENTS);
        assertThat(events.get(events.size() - 1).reason()).isEqualTo("round 19 over");
        assertThat(events.get(0).reason()).isEqualTo("round 4");
    }

    @Test
    void aNewReasonOfAnExclusionIsShownInTheExclusionNotAsARecentEvent() {
        Balancer b = balancer(A, B, C);
        Exclusions drain = b.newExclusions("maintenance");
        drain.exclude(A, "kernel upgrade");
        drain.exclude(A, "kernel upgrade, second try");
        BalancerView v = b.view();
        assertThat(v.recentEvents()).extracting(BalancerEvent::kind, BalancerEvent::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(BalancerEvent.Kind.EXCLUDED, "kernel upgrade"));
        assertThat(of(v, A).exclusions()).extracting(Exclusion::reason).containsExactly("kernel upgrade, second try");
    }

    @Test
    void aClosedBalancersViewShowsNothingPickable() {
        Balancer b = balancer(A, B);
        b.close();
        BalancerView v = b.view();
        assertThat(v.closed()).isTrue();
        assertThat(v.endpoints()).extracting(EndpointView::pickable).containsExactly(false, false);
    }
}
