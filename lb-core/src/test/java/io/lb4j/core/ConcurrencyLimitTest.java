package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.testing.FakeScheduler;
import io.lb4j.testing.FakeTicker;
import io.lb4j.testing.ScriptedRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrencyLimitTest {
    private final FakeTicker ticker = new FakeTicker();

    private BalancerBuilder builder(String... endpoints) {
        return Balancer.builder("users").endpoints(endpoints).ticker(ticker).clock(ticker.clock())
                .random(new ScriptedRandom(3)).controlExecutor(Runnable::run).scheduler(new FakeScheduler(ticker));
    }

    @Test
    void anEndpointAtItsLimitIsSkippedWhileAnotherHasRoom() {
        Balancer b = builder("a:1", "b:1", "c:1").maxInFlightPerEndpoint(2).build();
        List<Selection> open = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            open.add(b.pick());
        }
        for (EndpointState st : b.snapshot().members()) {
            assertThat(st.inFlight()).isEqualTo(2);
        }
        assertThat(b.atLimitSkipCount()).isZero();
        open.get(0).success();
        // round-robin lands on each endpoint once in three picks: two of them are full and skipped
        for (int i = 0; i < 3; i++) {
            Selection next = b.pick();
            assertThat(next.endpoint()).isEqualTo(open.get(0).endpoint());
            next.success();
        }
        assertThat(b.atLimitSkipCount()).isEqualTo(2);
    }

    @Test
    void failsFastNamingServiceLimitAndFullCountWhenAllAreFull() {
        Balancer b = builder("a:1", "b:1").maxInFlightPerEndpoint(1).build();
        b.pick();
        b.pick();
        assertThatThrownBy(b::pick)
                .isInstanceOf(EndpointsAtLimitException.class)
                .hasMessage("'users': all 2 pickable endpoints are at maxInFlightPerEndpoint 1 (2 full; 2 known, 2 eligible); failing fast")
                .satisfies(e -> {
                    EndpointsAtLimitException x = (EndpointsAtLimitException) e;
                    assertThat(x.limit()).isEqualTo(1);
                    assertThat(x.fullCount()).isEqualTo(2);
                    assertThat(x.service()).isEqualTo("users");
                });
        assertThat(b.atLimitRejectionCount()).isEqualTo(1);
    }

    @Test
    void aRetryMayRepeatAnAvoidedEndpointWhenOnlyItHasRoom() {
        Balancer b = builder("a:1", "b:1").maxInFlightPerEndpoint(1).build();
        Selection first = b.pick(PickContext.avoiding(List.of(Endpoint.parse("a:1"))));
        assertThat(first.endpoint()).isEqualTo(Endpoint.parse("b:1"));
        Selection retry = b.pick(PickContext.avoiding(List.of(Endpoint.parse("a:1"))));
        assertThat(retry.endpoint()).isEqualTo(Endpoint.parse("a:1"));
    }

    @Test
    void withoutALimitNothingIsRefusedAndRoundRobinCountsNothingInFlight() {
        Balancer b = builder("a:1").build();
        for (int i = 0; i < 100; i++) {
            b.pick();
        }
        assertThat(b.snapshot().members().get(0).inFlight()).isZero(); // round-robin reads no in-flight counts
        b.strategy(AllBookkeeping.ROUND_ROBIN);
        for (int i = 0; i < 100; i++) {
            b.pick();
        }
        assertThat(b.snapshot().members().get(0).inFlight()).isEqualTo(100);
        assertThat(b.maxInFlightPerEndpoint()).isZero();
        assertThat(b.atLimitSkipCount()).isZero();
    }

    @Test
    void racingPicksNeverTakeAnEndpointPastItsLimit() throws Exception {
        Balancer b = Balancer.builder("users").endpoints("a:1", "b:1", "c:1").maxInFlightPerEndpoint(3)
                .controlExecutor(Runnable::run).build();
        int threads = 4;
        AtomicInteger maxSeen = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 20_000; i++) {
                    Selection s;
                    try {
                        s = b.pick();
                    } catch (EndpointsAtLimitException e) {
                        refused.incrementAndGet();
                        continue;
                    }
                    maxSeen.accumulateAndGet(s.state().inFlight(), Math::max);
                    s.success();
                }
            });
            th.start();
            all.add(th);
        }
        go.countDown();
        for (Thread th : all) {
            th.join();
        }
        assertThat(maxSeen.get()).isLessThanOrEqualTo(3);
        for (EndpointState st : b.snapshot().members()) {
            assertThat(st.inFlight()).isZero();
        }
    }

    @Test
    void rejectsANegativeLimit() {
        assertThatThrownBy(() -> Balancer.builder("users").maxInFlightPerEndpoint(-1))
                .hasMessage("maxInFlightPerEndpoint: -1 (expected: >= 1, or 0 for no limit)");
    }
}
