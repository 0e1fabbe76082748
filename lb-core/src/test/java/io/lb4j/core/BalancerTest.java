package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.lb4j.testing.FakeScheduler;
import io.lb4j.testing.FakeTicker;
import io.lb4j.testing.ScriptedRandom;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SNIHostName;
import org.junit.jupiter.api.Test;

class BalancerTest {

    private final FakeTicker ticker = new FakeTicker();
    /** Wall clock that follows the fake ticker, so that exclusion times are exact. */
    private final Clock clock = tickerClock(ticker);

    static Clock tickerClock(FakeTicker ticker) {
        return ticker.clock();
    }

    private static List<Endpoint> list(String... s) {
        List<Endpoint> l = new ArrayList<>();
        for (String x : s) {
            l.add(Endpoint.parse(x));
        }
        return l;
    }

    /** Changes apply on the calling thread: each assertion sees the snapshot the change produced. */
    private Balancer balancer(String... endpoints) {
        return builder("users", endpoints).build();
    }

    private BalancerBuilder builder(String service, String... endpoints) {
        return Balancer.builder(service).endpoints(endpoints).ticker(ticker).clock(clock).random(new ScriptedRandom())
                .controlExecutor(Runnable::run).scheduler(new FakeScheduler(ticker));
    }

    @Test
    void stateSurvivesAnUpdateThatOnlyChangesAWeight() {
        Balancer b = builder("users", "a:1", "b:1").strategy(AllBookkeeping.ROUND_ROBIN).build();
        EndpointState a = b.snapshot().member(Endpoint.parse("a:1"));
        Selection open = b.pick(PickContext.avoiding(list("b:1")));
        assertThat(open.endpoint().host()).isEqualTo("a");
        b.update(List.of(Endpoint.parse("a:1").withWeight(5), Endpoint.parse("b:1")));
        EndpointState after = b.snapshot().member(Endpoint.parse("a:1"));
        assertThat(after).isSameAs(a);
        assertThat(after.weight()).isEqualTo(5);
        assertThat(after.inFlight()).isEqualTo(1);
        open.success();
        assertThat(after.inFlight()).isZero();
    }

    @Test
    void removedAndReAddedEndpointStartsWithFreshState() {
        Balancer b = balancer("a:1", "b:1");
        Exclusions health = b.newExclusions("health-check");
        EndpointState before = b.snapshot().member(Endpoint.parse("a:1"));
        health.exclude(Endpoint.parse("a:1"), "probe failed");
        b.update(list("b:1"));
        assertThat(health.excludes(Endpoint.parse("a:1"))).as("forgotten with the endpoint").isFalse();
        b.update(list("a:1", "b:1"));
        assertThat(b.snapshot().member(Endpoint.parse("a:1"))).isNotSameAs(before);
        assertThat(b.snapshot().isEligible(Endpoint.parse("a:1"))).isTrue();
        assertThat(b.snapshot().exclusions(Endpoint.parse("a:1"))).isEmpty();
    }

    @Test
    void rejectsDuplicatesAndNullsLeavingTheListUntouched() {
        Balancer b = balancer("a:1", "b:1");
        Snapshot before = b.snapshot();
        assertThatThrownBy(() -> b.update(list("c:1", "C:1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate endpoint: c:1 (expected: each host:port at most once)");
        assertThatThrownBy(() -> b.update(Arrays.asList(Endpoint.parse("c:1"), null)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("endpoints[1]: null (expected: not null)");
        assertThatThrownBy(() -> b.update(null)).hasMessage("endpoints: null (expected: not null)");
        assertThat(b.snapshot()).isSameAs(before);
        assertThat(b.endpoints()).containsExactly(Endpoint.parse("a:1"), Endpoint.parse("b:1"));
    }

    @Test
    void rejectsBadConfigurationNamingValueAndRule() {
        assertThatThrownBy(() -> Balancer.builder(" ")).hasMessage("service: ' ' (expected: not blank)");
        assertThatThrownBy(() -> Balancer.builder("s").panicThreshold(1.5)).hasMessage("panicThreshold: 1.5 (expected: 0.0-1.0)");
        assertThatThrownBy(() -> Balancer.builder("s").latencyDecay(Duration.ZERO)).hasMessage("latencyDecay: PT0S (expected: > 0)");
        assertThatThrownBy(() -> Balancer.builder("s").endpoints("a:1", "a:1"))
                .hasMessage("duplicate endpoint: a:1 (expected: each host:port at most once)");
        assertThatThrownBy(() -> Balancer.builder("s").endpoints("a")).hasMessage("endpoint 'a': missing port (expected: host:port)");
    }

    @Test
    void acceptsServiceNamesThatAreHostNames() {
        for (String name : List.of("users", "users.internal", "Users-V2.prod.example.com", "a", "x1.y-2.z3", "1users.internal",
                "a".repeat(63) + ".internal")) {
            try (Balancer b = Balancer.builder(name).build()) {
                assertThat(b.service()).isEqualTo(name);
            }
        }
    }

    @Test
    void rejectsServiceNamesThatUriOrSniWouldRefuseNamingTheRule() {
        String rule = "expected: a host name as URIs and TLS server names take it: dot-separated labels of letters, digits"
                + " and '-', each 1-63 characters not starting or ending with '-', the last one starting with a letter,"
                + " at most 253 characters; found ";
        assertThatThrownBy(() -> Balancer.builder("user_svc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("service: 'user_svc' (" + rule + "'_' at index 4)");
        assertThatThrownBy(() -> Balancer.builder("10.0.0.1")).hasMessage("service: '10.0.0.1' (" + rule + "a last label starting with '1')");
        assertThatThrownBy(() -> Balancer.builder("users.")).hasMessage("service: 'users.' (" + rule + "an empty label at index 6)");
        assertThatThrownBy(() -> Balancer.builder("a..b")).hasMessage("service: 'a..b' (" + rule + "an empty label at index 2)");
        assertThatThrownBy(() -> Balancer.builder("-users")).hasMessage("service: '-users' (" + rule + "a label starting or ending with '-' at index 0)");
        assertThatThrownBy(() -> Balancer.builder("users-.internal"))
                .hasMessage("service: 'users-.internal' (" + rule + "a label starting or ending with '-' at index 0)");
        assertThatThrownBy(() -> Balancer.builder("us ers")).hasMessage("service: 'us ers' (" + rule + "' ' at index 2)");
        assertThatThrownBy(() -> Balancer.builder("usérs")).hasMessage("service: 'usérs' (" + rule + "'é' at index 2)");
        assertThatThrownBy(() -> Balancer.builder("a".repeat(64) + ".internal")).hasMessageEndingWith("found a label of 64 characters at index 0)");
        String longName = ("a".repeat(60) + ".").repeat(4) + "internal.example";
        assertThatThrownBy(() -> Balancer.builder(longName)).hasMessageEndingWith("found " + longName.length() + " characters)");
    }

    @Test
    void everyAcceptedServiceNameIsAUriHostAndAnSniName() {
        for (String name : List.of("users", "users.internal", "Users-V2.prod.example.com", "1users.internal")) {
            Balancer.builder(name);
            assertThat(URI.create("https://" + name + "/x").getHost()).isEqualTo(name);
            assertThat(new SNIHostName(name).getAsciiName()).isEqualToIgnoringCase(name);
        }
        for (String name : List.of("user_svc", "users.1")) {
            assertThat(URI.create("https://" + name + "/x").getHost()).isNull();
            assertThatThrownBy(() -> Balancer.builder(name)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void emptyUpdateIsAllowedAndPickSaysWhy() {
        Balancer b = balancer("a:1");
        b.update(List.of());
        assertThat(b.endpoints()).isEmpty();
        assertThatThrownBy(b::pick).isInstanceOf(NoAvailableEndpointException.class)
                .hasMessage("no endpoint for 'users': 0 known, 0 eligible (the list is empty)");
    }

    @Test
    void explainsWhyNothingIsEligible() {
        Balancer b = builder("orders", "a:1", "b:1", "c:1", "d:1").panicThreshold(0).build();
        Exclusions health = b.newExclusions("health-check");
        Exclusions maintenance = b.newExclusions("maintenance");
        health.exclude(Endpoint.parse("a:1"), "503");
        health.exclude(Endpoint.parse("b:1"), "503");
        maintenance.exclude(Endpoint.parse("c:1"), "kernel upgrade", Duration.ofSeconds(30));
        ticker.advance(Duration.ofSeconds(3));
        maintenance.exclude(Endpoint.parse("d:1"), "kernel upgrade", Duration.ofSeconds(30));
        assertThatThrownBy(b::pick).isInstanceOf(NoAvailableEndpointException.class)
                .hasMessage("no endpoint for 'orders': 4 known, 0 eligible (2 excluded by health-check, "
                        + "2 by maintenance for up to 30s more); panic mode is disabled")
                .extracting(e -> ((NoAvailableEndpointException) e).service()).isEqualTo("orders");
        b.update(List.of(Endpoint.parse("a:1"), Endpoint.parse("b:1").withWeight(0)));
        assertThatThrownBy(b::pick).hasMessage("no endpoint for 'orders': 2 known, 0 eligible "
                + "(2 excluded by health-check, 1 drained (weight 0)); panic mode is disabled");
        b.update(List.of(Endpoint.parse("a:1").withWeight(0), Endpoint.parse("b:1").withWeight(0)));
        assertThatThrownBy(b::pick).hasMessage("no endpoint for 'orders': 2 known, 0 eligible (all 2 drained: weight 0)");
    }

    @Test
    void drainedAndExcludedEndpointsAreNotPicked() {
        Balancer b = balancer("a:1", "b:1", "c:1", "d:1");
        b.update(List.of(Endpoint.parse("a:1").withWeight(0), Endpoint.parse("b:1"), Endpoint.parse("c:1"), Endpoint.parse("d:1")));
        b.newExclusions("health-check").exclude(Endpoint.parse("b:1"), "x");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            seen.add(b.pick().endpoint().host());
        }
        assertThat(seen).containsExactlyInAnyOrder("c", "d");
        assertThat(b.inPanic()).as("2 of the 3 endpoints of weight > 0 are eligible").isFalse();
        assertThat(b.snapshot().eligible()).hasSize(2);
        assertThat(b.snapshot().drainedCount()).isEqualTo(1);
        assertThat(b.snapshot().excludedCount()).isEqualTo(1);
    }

    @Test
    void panicsUnderTheThresholdAndPicksAmongAll() {
        Balancer b = balancer("a:1", "b:1", "c:1", "d:1");
        List<Snapshot> seen = new ArrayList<>();
        b.addSnapshotListener(seen::add);
        Exclusions health = b.newExclusions("health-check");
        Exclusions outliers = b.newExclusions("manual");
        health.exclude(Endpoint.parse("a:1"), "x");
        outliers.exclude(Endpoint.parse("b:1"), "y", Duration.ofSeconds(1));
        assertThat(b.inPanic()).as("2 of 4 eligible is not under 0.5").isFalse();
        health.exclude(Endpoint.parse("c:1"), "x");
        assertThat(b.inPanic()).isTrue();
        assertThat(b.snapshot().pickable()).hasSize(4);
        assertThat(b.snapshot().excludedCountByOwner()).containsExactly(Map.entry("health-check", 2), Map.entry("manual", 1));
        Set<String> picked = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            picked.add(b.pick().endpoint().host());
        }
        assertThat(picked).containsExactlyInAnyOrder("a", "b", "c", "d");
        health.include(Endpoint.parse("c:1"));
        assertThat(b.inPanic()).isFalse();
        assertThat(seen).extracting(Snapshot::panic).containsExactly(false, false, true, false);
        assertThat(seen).extracting(Snapshot::version).isSorted();
    }

    @Test
    void drainedEndpointsDoNotCountTowardsPanicAndAreNeverPickedInIt() {
        Balancer b = balancer("a:1", "b:1", "c:1", "d:1");
        b.update(List.of(Endpoint.parse("a:1").withWeight(0), Endpoint.parse("b:1").withWeight(0),
                Endpoint.parse("c:1").withWeight(0), Endpoint.parse("d:1")));
        assertThat(b.inPanic()).as("3 of 4 drained, the one left is healthy").isFalse();
        for (int i = 0; i < 10; i++) {
            assertThat(b.pick().endpoint().host()).isEqualTo("d");
        }
        b.update(List.of(Endpoint.parse("a:1").withWeight(0), Endpoint.parse("b:1"), Endpoint.parse("c:1")));
        Exclusions health = b.newExclusions("health-check");
        health.exclude(Endpoint.parse("b:1"), "x");
        health.exclude(Endpoint.parse("c:1"), "x");
        assertThat(b.inPanic()).isTrue();
        assertThat(b.snapshot().pickable()).extracting(s -> s.endpoint().host()).containsExactly("b", "c");
    }

    @Test
    void exclusionsReportWhetherAnythingChangedAndCarryOwnerReasonAndTimes() {
        Balancer b = balancer("a:1", "b:1");
        Endpoint a = Endpoint.parse("a:1");
        Exclusions health = b.newExclusions("health-check");
        long v = b.snapshot().version();
        assertThat(health.include(a)).isFalse();
        assertThat(health.exclude(Endpoint.parse("zz:1"), "x")).as("not a member").isFalse();
        assertThat(b.snapshot().version()).isEqualTo(v);
        Instant since = clock.instant();
        assertThat(health.exclude(a, "timeout")).isTrue();
        assertThat(health.exclude(a, "timeout")).isFalse();
        assertThat(b.snapshot().version()).isEqualTo(v + 1);
        assertThat(b.snapshot().exclusions(a)).containsExactly(new Exclusion("health-check", "timeout", since, null));
        ticker.advance(Duration.ofSeconds(5));
        assertThat(health.exclude(a, "503", Duration.ofSeconds(10))).as("a new reason").isTrue();
        Exclusion x = b.snapshot().exclusions(a).get(0);
        assertThat(x.reason()).isEqualTo("503");
        assertThat(x.since()).as("still out since the first exclusion").isEqualTo(since);
        assertThat(x.until()).contains(clock.instant().plusSeconds(10));
        assertThat(health.excluded()).containsExactly(a);
        assertThat(health.include(a)).isTrue();
        assertThat(b.snapshot().exclusions(a)).isEmpty();
        assertThat(b.snapshot().version()).isEqualTo(v + 3);
    }

    @Test
    void ownersNeverClearEachOthersExclusions() {
        Balancer b = balancer("a:1", "b:1", "c:1");
        Endpoint a = Endpoint.parse("a:1");
        Exclusions first = b.newExclusions("health-check");
        Exclusions second = b.newExclusions("health-check");
        Exclusions drain = b.newExclusions("manual-drain");
        first.exclude(a, "HTTP 503");
        drain.exclude(a, "maintenance");
        assertThat(second.include(a)).as("the second checker never excluded it").isFalse();
        second.exclude(a, "timed out");
        assertThat(b.snapshot().exclusions(a)).extracting(Exclusion::owner, Exclusion::reason).containsExactly(
                tuple("health-check", "HTTP 503"), tuple("health-check", "timed out"), tuple("manual-drain", "maintenance"));
        first.include(a);
        second.close();
        assertThat(b.snapshot().isEligible(a)).as("the drain still holds it").isFalse();
        assertThat(b.snapshot().exclusions(a)).extracting(Exclusion::owner).containsExactly("manual-drain");
        assertThat(second.exclude(a, "after close")).isFalse();
        drain.include(a);
        assertThat(b.snapshot().isEligible(a)).isTrue();
    }

    @Test
    void pendingAgesAreKeptOnlyForPicksOfStrategiesThatReadThemAndStayExactAcrossASwitch() {
        Balancer b = balancer("a:1");
        EndpointState a = b.snapshot().member(Endpoint.parse("a:1"));
        Selection untracked = b.pick(); // round-robin reads no pending ages
        assertThat(a.pendingCount()).isZero();
        Strategy ageing = new Strategy() {
            @Override
            public String name() {
                return "ageing";
            }

            @Override
            public Picker newPicker(List<EndpointState> endpoints, StrategyContext context) {
                return ctx -> endpoints.get(0);
            }

            @Override
            public java.util.Set<Bookkeeping> bookkeeping() {
                return java.util.Set.of(Bookkeeping.PENDING_TIMES);
            }
        };
        b.strategy(ageing);
        long start = ticker.read();
        Selection first = b.pick();
        ticker.advance(Duration.ofMillis(300));
        Selection second = b.pick();
        ticker.advance(Duration.ofMillis(100));
        assertThat(a.pendingCount()).isEqualTo(2);
        assertThat(a.pendingAgeNanos(ticker.read())).isEqualTo(Duration.ofMillis(400 + 100).toNanos());
        untracked.success(); // picked before the switch: not counted, so it takes nothing away
        assertThat(a.pendingAgeNanos(ticker.read())).isEqualTo(Duration.ofMillis(500).toNanos());
        b.strategy(Strategy.roundRobin());
        first.failure(new java.io.IOException("x"));
        assertThat(a.pendingCount()).isEqualTo(1);
        assertThat(a.pendingAgeNanos(ticker.read())).isEqualTo(ticker.read() - start - Duration.ofMillis(300).toNanos());
        second.cancel();
        assertThat(a.pendingCount()).isZero();
        assertThat(a.pendingAgeNanos(ticker.read())).isZero();
    }

    @Test
    void updateWithTheSameListPublishesNothing() {
        Balancer b = balancer("a:1", "b:1");
        Snapshot s = b.snapshot();
        b.update(list("a:1", "b:1"));
        assertThat(b.snapshot()).isSameAs(s);
        b.update(list("b:1", "a:1"));
        assertThat(b.snapshot()).isNotSameAs(s);
        assertThat(b.endpoints()).containsExactly(Endpoint.parse("b:1"), Endpoint.parse("a:1"));
    }

    @Test
    void avoidsTriedEndpointsWhileOthersArePickable() {
        Balancer b = balancer("a:1", "b:1", "c:1");
        for (int i = 0; i < 30; i++) {
            assertThat(b.pick(PickContext.avoiding(list("a:1", "b:1"))).endpoint().host()).isEqualTo("c");
        }
        // everything avoided: pick among them anyway
        assertThat(b.pick(PickContext.avoiding(list("a:1", "b:1", "c:1"))).endpoint()).isNotNull();
    }

    @Test
    void selectionCountsOnceAndMeasuresLatencyWithTheTicker() {
        Balancer b = builder("users", "a:1").strategy(AllBookkeeping.ROUND_ROBIN).build();
        List<String> outcomes = new ArrayList<>();
        AtomicReference<Long> latency = new AtomicReference<>();
        b.addOutcomeListener((s, outcome, cause, nanos) -> {
            outcomes.add(outcome + (cause == null ? "" : ":" + cause.getMessage()));
            latency.set(nanos);
        });
        Selection s = b.pick();
        EndpointState st = s.state();
        assertThat(st.inFlight()).isEqualTo(1);
        ticker.advance(Duration.ofMillis(40));
        assertThat(s.success()).isTrue();
        assertThat(s.failure(new RuntimeException("late"))).isFalse();
        assertThat(s.cancel()).isFalse();
        assertThat(st.inFlight()).isZero();
        assertThat(st.successCount()).isEqualTo(1);
        assertThat(st.failureCount()).isZero();
        assertThat(latency.get()).isEqualTo(Duration.ofMillis(40).toNanos());
        assertThat(st.latencyEwmaNanos(ticker.read())).isEqualTo(Duration.ofMillis(40).toNanos());

        Selection f = b.pick();
        f.failure(new RuntimeException("refused"));
        Selection c = b.pick();
        c.cancel();
        assertThat(outcomes).containsExactly("SUCCESS", "FAILURE:refused", "CANCELLED");
        assertThat(st.failureCount()).isEqualTo(1);
        assertThat(st.inFlight()).isZero();
    }

    @Test
    void aThrowingListenerDoesNotBreakCompletion() {
        Balancer b = balancer("a:1");
        List<Selection.Outcome> seen = new ArrayList<>();
        OutcomeListener bad = (s, o, c, n) -> {
            throw new IllegalStateException("boom");
        };
        b.addOutcomeListener(bad);
        b.addOutcomeListener((s, o, c, n) -> seen.add(o));
        Selection s = b.pick();
        assertThat(s.success()).isTrue();
        assertThat(seen).containsExactly(Selection.Outcome.SUCCESS);
        b.removeOutcomeListener(bad);
        b.pick().success();
        assertThat(seen).hasSize(2);
    }

    @Test
    void switchingStrategyKeepsLiveState() {
        Balancer b = balancer("a:1", "b:1");
        Selection open = b.pick();
        EndpointState st = open.state();
        java.util.function.BiFunction<List<EndpointState>, StrategyContext, EndpointState> first = (eps, ctx) -> eps.get(0);
        b.strategy(named("first", first));
        assertThat(b.strategy().name()).isEqualTo("first");
        assertThat(b.pick().endpoint().host()).isEqualTo("a");
        assertThat(b.snapshot().member(open.endpoint())).isSameAs(st);
        assertThat(st.inFlight()).isGreaterThanOrEqualTo(1);
    }

    private static Strategy named(String name, java.util.function.BiFunction<List<EndpointState>, StrategyContext, EndpointState> f) {
        return new Strategy() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Picker newPicker(List<EndpointState> endpoints, StrategyContext context) {
                return ctx -> f.apply(endpoints, context);
            }
        };
    }

    @Test
    void aStrategyThatRejectsTheListLeavesEverythingAsItWas() {
        Balancer b = balancer("a:1", "b:1");
        b.strategy(new Strategy() {
            @Override
            public String name() {
                return "picky";
            }

            @Override
            public Picker newPicker(List<EndpointState> endpoints, StrategyContext context) {
                if (endpoints.size() > 2) {
                    throw new IllegalArgumentException("endpoints: " + endpoints.size() + " (expected: <= 2)");
                }
                return ctx -> endpoints.get(0);
            }
        });
        Snapshot before = b.snapshot();
        assertThatThrownBy(() -> b.update(List.of(Endpoint.parse("a:1").withWeight(3), Endpoint.parse("b:1"), Endpoint.parse("c:1"))))
                .hasMessage("endpoints: 3 (expected: <= 2)");
        assertThat(b.snapshot()).isSameAs(before);
        assertThat(b.snapshot().member(Endpoint.parse("a:1")).weight()).isEqualTo(1);
    }

    @Test
    void closedBalancerRefusesPicksAndUpdates() {
        Balancer b = balancer("a:1");
        b.close();
        b.close();
        assertThatThrownBy(b::pick).isInstanceOf(IllegalStateException.class).hasMessage("balancer 'users' is closed");
        assertThatThrownBy(() -> b.update(list("b:1"))).hasMessage("balancer 'users' is closed");
        assertThat(b.endpoints()).containsExactly(Endpoint.parse("a:1"));
    }

    @Test
    void staticListIsReadyAtOnce() {
        assertThat(balancer("a:1").whenReady()).isCompleted();
        assertThat(Balancer.builder("x").build().whenReady()).isCompleted();
    }

    @Test
    void sourceErrorsNeverEmptyTheList() {
        ManualSource source = new ManualSource();
        Balancer b = Balancer.builder("users").source(source).controlExecutor(Runnable::run).build();
        CompletableFuture<Balancer> ready = b.whenReady();
        assertThat(ready).isNotDone();
        assertThat(source.listener).isNotNull();
        source.listener.onError(new RuntimeException("registry down"));
        assertThat(ready).isNotDone();
        source.listener.onEndpoints(list("a:1", "b:1"));
        assertThat(ready).isCompletedWithValue(b);
        source.listener.onError(new RuntimeException("registry down"));
        source.listener.onError(new RuntimeException("still down"));
        source.listener.onEndpoints(list("a:1", "a:1")); // a broken answer counts as an error
        assertThat(b.endpoints()).containsExactly(Endpoint.parse("a:1"), Endpoint.parse("b:1"));
        assertThat(b.sourceErrorCount()).isEqualTo(4);
        source.listener.onEndpoints(list("c:1"));
        assertThat(b.endpoints()).containsExactly(Endpoint.parse("c:1"));
        b.close();
        assertThat(source.closed).isTrue();
        source.listener.onEndpoints(list("d:1"));
        assertThat(b.endpoints()).containsExactly(Endpoint.parse("c:1"));
    }

    @Test
    void closingBeforeTheFirstListFailsWhenReady() {
        Balancer b = Balancer.builder("users").source(new ManualSource()).build();
        b.close();
        assertThat(b.whenReady()).isCompletedExceptionally();
    }

    static final class ManualSource implements EndpointSource {
        volatile Listener listener;
        volatile boolean closed;

        @Override
        public void start(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
