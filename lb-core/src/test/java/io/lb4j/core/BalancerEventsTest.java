package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.lb4j.testing.FakeScheduler;
import io.lb4j.testing.FakeTicker;
import io.lb4j.testing.ScriptedRandom;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * Every exclusion and its end, list change, panic transition, strategy switch and source
 * failure is one {@link BalancerEvent}, offered to listeners and logged once (lines recorded by
 * {@link RecordingLogs}). Fake time; changes applied on the calling thread.
 */
class BalancerEventsTest {

    private static final Endpoint A = Endpoint.parse("a:1");
    private static final Endpoint B = Endpoint.parse("b:2");
    private static final Endpoint C = Endpoint.parse("c:3");
    private static final Endpoint D = Endpoint.parse("d:4");
    private static final String LOGGER = "io.lb4j.core.Balancer";

    private final FakeTicker ticker = new FakeTicker();
    private final Instant t0 = ticker.clock().instant();
    private final FakeScheduler scheduler = new FakeScheduler(ticker);
    private final SteeredStrategy strategy = new SteeredStrategy();
    private final List<BalancerEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void clearLogs() {
        RecordingLogs.clear();
    }

    private BalancerBuilder builder(Endpoint... endpoints) {
        return Balancer.builder("users").endpoints(endpoints).strategy(strategy).ticker(ticker).clock(ticker.clock())
                .random(new ScriptedRandom()).controlExecutor(Runnable::run).scheduler(scheduler)
                .reconnectPolicy(ReconnectPolicy.builder().jitter(0).check(e -> CompletableFuture.completedFuture(true)).build())
                .eventListener(events::add);
    }

    private static List<String> balancerLines(Level level) {
        return RecordingLogs.lines().stream().filter(l -> l.level() == level && l.logger().equals(LOGGER))
                .map(RecordingLogs.Line::message).toList();
    }

    @Test
    void anExclusionItsNewReasonAndItsEndAreEventsWithOwnerReasonTimesAndVersion() {
        Balancer b = builder(A, B).build();
        Exclusions drain = b.newExclusions("maintenance");
        ticker.advance(Duration.ofSeconds(1));
        drain.exclude(A, "kernel upgrade", Duration.ofMinutes(5));
        long excludedIn = b.snapshot().version();
        ticker.advance(Duration.ofSeconds(1));
        drain.exclude(A, "kernel upgrade, second try");
        ticker.advance(Duration.ofSeconds(1));
        drain.include(A, "upgrade done");

        assertThat(events).extracting(BalancerEvent::kind, BalancerEvent::endpoint, BalancerEvent::owner,
                BalancerEvent::reason, BalancerEvent::time, BalancerEvent::until).containsExactly(
                tuple(BalancerEvent.Kind.EXCLUDED, Optional.of(A), Optional.of("maintenance"), "kernel upgrade",
                        t0.plusSeconds(1), Optional.of(t0.plusSeconds(1 + 300))),
                tuple(BalancerEvent.Kind.EXCLUSION_CHANGED, Optional.of(A), Optional.of("maintenance"),
                        "kernel upgrade, second try", t0.plusSeconds(2), Optional.empty()),
                tuple(BalancerEvent.Kind.INCLUDED, Optional.of(A), Optional.of("maintenance"), "upgrade done",
                        t0.plusSeconds(3), Optional.empty()));
        assertThat(events.get(0).version()).isEqualTo(excludedIn);
        assertThat(events.get(0).service()).isEqualTo("users");
        assertThat(balancerLines(Level.INFO)).containsExactly(
                "'users': a:1 excluded by maintenance: kernel upgrade (until 1970-01-01T00:05:02Z)",
                "'users': a:1 no longer excluded by maintenance: upgrade done; eligible again");
        assertThat(balancerLines(Level.DEBUG)).contains("'users': a:1 still excluded by maintenance: kernel upgrade, second try");
    }

    @Test
    void anEndpointExcludedByTwoOwnersComesBackOnlyWhenBothEnd() {
        Balancer b = builder(A, B, C).build();
        Exclusions drain = b.newExclusions("maintenance");
        Exclusions other = b.newExclusions("canary");
        drain.exclude(A, "kernel upgrade");
        other.exclude(A, "canary failed");
        drain.include(A, "upgrade done");
        other.close();
        assertThat(events).extracting(BalancerEvent::message).containsExactly(
                "a:1 excluded by maintenance: kernel upgrade",
                "a:1 excluded by canary: canary failed",
                "a:1 no longer excluded by maintenance: upgrade done; still excluded by canary",
                "a:1 no longer excluded by canary: its owner was closed; eligible again");
    }

    @Test
    void aConnectionFailureAndTheReconnectAreEachLoggedOnce() {
        Balancer b = builder(A, B, C).build();
        strategy.steer(B);
        b.pick().connectionFailure(new ConnectException("Connection refused"));
        scheduler.advance(Duration.ofSeconds(1)); // the check passes
        assertThat(events).extracting(BalancerEvent::kind, BalancerEvent::owner, BalancerEvent::reason).containsExactly(
                tuple(BalancerEvent.Kind.EXCLUDED, Optional.of("connection"), "connection failed: ConnectException: Connection refused"),
                tuple(BalancerEvent.Kind.INCLUDED, Optional.of("connection"), "a connection check passed"));
        List<String> info = RecordingLogs.atLeast(Level.INFO).stream().map(RecordingLogs.Line::message).toList();
        assertThat(info).as("one line each, from the balancer's events only").containsExactly(
                "'users': b:2 excluded by connection: connection failed: ConnectException: Connection refused (until 1970-01-01T00:00:02Z)",
                "'users': b:2 no longer excluded by connection: a connection check passed; eligible again");
    }

    @Test
    void anOutlierEjectionAndItsEndAreEventsWithTheEnginesReasons() {
        Balancer b = builder(A, B, C, D).build();
        strategy.steer(A);
        for (int i = 0; i < 5; i++) {
            b.pick().failure(new IOException("boom"));
        }
        scheduler.advance(Duration.ofSeconds(30));
        assertThat(events).extracting(BalancerEvent::kind, BalancerEvent::owner, BalancerEvent::reason).containsExactly(
                tuple(BalancerEvent.Kind.EXCLUDED, Optional.of("outlier-ejection"), "5 consecutive failures, last: IOException: boom"),
                tuple(BalancerEvent.Kind.INCLUDED, Optional.of("outlier-ejection"), "ejection time is up"));
        assertThat(RecordingLogs.atLeast(Level.INFO)).hasSize(2);
    }

    @Test
    void aListUpdateIsOneEventPerEndpointAndOneLogLine() {
        Balancer b = builder(A, B, C).build();
        b.newExclusions("maintenance").exclude(A, "kernel upgrade");
        events.clear();
        RecordingLogs.clear();
        b.update(List.of(B.withWeight(0), C, D));
        assertThat(events).extracting(BalancerEvent::kind, BalancerEvent::endpoint, BalancerEvent::reason).containsExactly(
                tuple(BalancerEvent.Kind.UPDATED, Optional.of(B.withWeight(0)), "weight 1 -> 0 (drained)"),
                tuple(BalancerEvent.Kind.ADDED, Optional.of(D), "weight 1"),
                tuple(BalancerEvent.Kind.REMOVED, Optional.of(A), "no longer listed; it was excluded by maintenance"));
        assertThat(events).extracting(BalancerEvent::version).containsOnly(b.snapshot().version());
        assertThat(balancerLines(Level.INFO)).containsExactly("'users': list changed, 3 -> 3 endpoints: "
                + "b:2 updated: weight 1 -> 0 (drained); d:4 added (weight 1); a:1 removed (no longer listed; it was excluded by maintenance)");
    }

    @Test
    void aLongListUpdateNamesTheFirstChangesAndCountsTheRest() {
        Balancer b = builder().build();
        List<Endpoint> many = new java.util.ArrayList<>();
        for (int i = 1; i <= 25; i++) {
            many.add(Endpoint.of("10.0.0." + i, 80));
        }
        b.update(many);
        assertThat(events).hasSize(25);
        List<String> lines = balancerLines(Level.INFO);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("'users': list changed, 0 -> 25 endpoints: 10.0.0.1:80 added (weight 1); ")
                .endsWith("10.0.0.20:80 added (weight 1); and 5 more");
    }

    @Test
    void panicTransitionsAreWarnEventsWithTheBreakdown() {
        Balancer b = builder(A, B, C, D).build();
        Exclusions drain = b.newExclusions("maintenance");
        drain.exclude(A, "x");
        drain.exclude(B, "x");
        drain.exclude(C, "x");
        drain.include(C, "back");
        assertThat(events).extracting(BalancerEvent::kind).containsExactly(BalancerEvent.Kind.EXCLUDED,
                BalancerEvent.Kind.EXCLUDED, BalancerEvent.Kind.EXCLUDED, BalancerEvent.Kind.PANIC_ENTERED,
                BalancerEvent.Kind.INCLUDED, BalancerEvent.Kind.PANIC_LEFT);
        assertThat(balancerLines(Level.WARN)).containsExactly(
                "'users': entered panic mode: 1 of 4 endpoints of weight > 0 eligible, under the threshold 0.5: "
                        + "picking among all 4 (3 excluded by maintenance)",
                "'users': left panic mode: 2 of 4 endpoints of weight > 0 eligible (threshold 0.5); 2 excluded by maintenance");
    }

    @Test
    void aListUpdateThatCausesPanicIsLoggedBeforeThePanic() {
        Balancer b = builder(A, B, C, D).build();
        Exclusions drain = b.newExclusions("maintenance");
        drain.exclude(A, "x");
        drain.exclude(B, "x");
        RecordingLogs.clear();
        b.update(List.of(A, B, C));
        assertThat(RecordingLogs.atLeast(Level.INFO)).extracting(RecordingLogs.Line::level, RecordingLogs.Line::message)
                .containsExactly(
                        tuple(Level.INFO, "'users': list changed, 4 -> 3 endpoints: d:4 removed (no longer listed)"),
                        tuple(Level.WARN, "'users': entered panic mode: 1 of 3 endpoints of weight > 0 eligible, "
                                + "under the threshold 0.5: picking among all 3 (2 excluded by maintenance)"));
    }

    @Test
    void aStrategySwitchIsAnEvent() {
        Balancer b = builder(A).build();
        b.strategy(Strategy.roundRobin());
        assertThat(events).extracting(BalancerEvent::kind, BalancerEvent::reason)
                .containsExactly(tuple(BalancerEvent.Kind.STRATEGY_CHANGED, strategy + " -> round-robin"));
        assertThat(balancerLines(Level.INFO)).containsExactly("'users': strategy " + strategy + " -> round-robin");
    }

    @Test
    void aSourceFailureAndItsRecoveryAreEventsAndTheFirstListIsSeenFromTheBuilder() {
        EndpointSource.Listener[] feed = new EndpointSource.Listener[1];
        EndpointSource source = new EndpointSource() {
            @Override
            public void start(Listener listener) {
                feed[0] = listener;
                listener.onEndpoints(List.of(A, B));
            }

            @Override
            public void close() {
            }

            @Override
            public String toString() {
                return "test-source";
            }
        };
        Balancer b = builder().source(source).build();
        feed[0].onError(new IOException("registry down"));
        feed[0].onError(new IOException("still down"));
        feed[0].onEndpoints(List.of(A, B, C));
        assertThat(events).extracting(BalancerEvent::kind).containsExactly(BalancerEvent.Kind.ADDED, BalancerEvent.Kind.ADDED,
                BalancerEvent.Kind.SOURCE_FAILED, BalancerEvent.Kind.ADDED, BalancerEvent.Kind.SOURCE_RECOVERED);
        assertThat(events.get(2).message()).isEqualTo(
                "source test-source failed, keeping the last 2 endpoints: java.io.IOException: registry down");
        assertThat(events.get(4).message()).isEqualTo("source test-source recovered: 3 endpoints");
        assertThat(balancerLines(Level.WARN)).containsExactly(
                "'users': source test-source failed, keeping the last 2 endpoints: java.io.IOException: registry down");
        assertThat(b.sourceErrorCount()).isEqualTo(2);
    }

    @Test
    void aFailingListenerIsLoggedAndTheOthersStillHearEveryEvent() {
        Balancer b = builder(A, B).build();
        b.addEventListener(e -> {
            throw new IllegalStateException("listener bug");
        });
        List<BalancerEvent> second = new CopyOnWriteArrayList<>();
        b.addEventListener(second::add);
        b.newExclusions("maintenance").exclude(A, "x");
        assertThat(second).extracting(BalancerEvent::kind).containsExactly(BalancerEvent.Kind.EXCLUDED);
        assertThat(events).hasSize(1);
        assertThat(balancerLines(Level.WARN)).singleElement().asString().contains("event listener").contains("failed");
        b.removeEventListener(second::add); // a different instance: nothing removed
        b.removeEventListener(events::add);
    }
}
