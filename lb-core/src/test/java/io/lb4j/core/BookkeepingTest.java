package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.testing.FakeScheduler;
import io.lb4j.testing.FakeTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A balancer keeps only the per-call bookkeeping that its strategy, limit, meters and listeners read. */
class BookkeepingTest {

    /** Counts its readings, so that a test can tell which calls read the clock. */
    private static final class CountingTicker implements Ticker {
        final FakeTicker time = new FakeTicker();
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public long read() {
            reads.incrementAndGet();
            return time.read();
        }
    }

    /** Round-robin declaring {@code items}. */
    private static Strategy roundRobinReading(Set<Bookkeeping> items) {
        return new Strategy() {
            @Override
            public String name() {
                return "round-robin-reading-" + items;
            }

            @Override
            public Picker newPicker(List<EndpointState> endpoints, StrategyContext context) {
                return Strategy.roundRobin().newPicker(endpoints, context);
            }

            @Override
            public Set<Bookkeeping> bookkeeping() {
                return items;
            }
        };
    }

    private final CountingTicker ticker = new CountingTicker();

    private BalancerBuilder builder() {
        return Balancer.builder("users").endpoints("a:1").ticker(ticker).clock(ticker.time.clock())
                .controlExecutor(Runnable::run).scheduler(new FakeScheduler(ticker.time));
    }

    private int readsDuring(Runnable r) {
        int before = ticker.reads.get();
        r.run();
        return ticker.reads.get() - before;
    }

    @Test
    void roundRobinReadsNoClockAndCountsNothingInFlightButCountsOutcomes() {
        Balancer b = builder().build();
        EndpointState a = b.snapshot().members().get(0);
        List<Selection> picked = new ArrayList<>();
        assertThat(readsDuring(() -> {
            for (int i = 0; i < 10; i++) {
                picked.add(b.pick());
            }
        })).isZero();
        assertThat(a.inFlight()).isZero();
        assertThat(picked.get(0).startNanos()).isZero();
        assertThat(readsDuring(() -> picked.forEach(Selection::success))).isZero();
        assertThat(a.successCount()).isEqualTo(10);
        assertThat(a.hasLatencySample()).isFalse();
        assertThat(a.inFlight()).isZero();
    }

    @Test
    void aFailureIsAlwaysTimedForTheViewButFeedsNoEstimateUnlessLatencyIsRead() {
        Balancer b = builder().build();
        EndpointState a = b.snapshot().members().get(0);
        Selection s = b.pick();
        ticker.time.advance(Duration.ofSeconds(3));
        assertThat(readsDuring(() -> s.failure(new IOException("reset")))).isEqualTo(1);
        assertThat(a.failureCount()).isEqualTo(1);
        assertThat(a.hasLatencySample()).isFalse();
        assertThat(a.lastFailureNanos()).isEqualTo(ticker.time.read());
    }

    @Test
    void inFlightOnlyCountsWithoutAClockRead() {
        Balancer b = builder().strategy(roundRobinReading(EnumSet.of(Bookkeeping.IN_FLIGHT))).build();
        EndpointState a = b.snapshot().members().get(0);
        Selection[] s = new Selection[1];
        assertThat(readsDuring(() -> s[0] = b.pick())).isZero();
        assertThat(a.inFlight()).isEqualTo(1);
        assertThat(readsDuring(s[0]::success)).isZero();
        assertThat(a.inFlight()).isZero();
        assertThat(a.hasLatencySample()).isFalse();
    }

    @Test
    void latencyReadsTheClockOnceAtPickOnceAtCompletionAndHandsThePickerThatReading() {
        List<Long> given = new ArrayList<>();
        Strategy timed = new Strategy() {
            @Override
            public String name() {
                return "timed";
            }

            @Override
            public Picker newPicker(List<EndpointState> endpoints, StrategyContext context) {
                return new Picker() {
                    @Override
                    public EndpointState pick(PickContext c) {
                        throw new AssertionError("the balancer took a reading: the picker gets it");
                    }

                    @Override
                    public EndpointState pick(PickContext c, long nowNanos) {
                        given.add(nowNanos);
                        return endpoints.get(0);
                    }
                };
            }

            @Override
            public Set<Bookkeeping> bookkeeping() {
                return EnumSet.of(Bookkeeping.LATENCY);
            }
        };
        Balancer b = builder().strategy(timed).build();
        EndpointState a = b.snapshot().members().get(0);
        ticker.time.advance(Duration.ofSeconds(1));
        Selection[] s = new Selection[1];
        assertThat(readsDuring(() -> s[0] = b.pick())).isEqualTo(1);
        assertThat(given).containsExactly(ticker.time.read());
        assertThat(s[0].startNanos()).isEqualTo(ticker.time.read());
        ticker.time.advance(Duration.ofMillis(25));
        assertThat(readsDuring(s[0]::success)).isEqualTo(1);
        assertThat(a.latencyEwmaNanos(ticker.time.read())).isEqualTo(Duration.ofMillis(25).toNanos());
        assertThat(a.inFlight()).isZero();
    }

    @Test
    void aLimitCountsInFlightUnderAnyStrategy() {
        Balancer b = builder().maxInFlightPerEndpoint(2).build();
        EndpointState a = b.snapshot().members().get(0);
        Selection s = b.pick();
        b.pick();
        assertThat(a.inFlight()).isEqualTo(2);
        s.success();
        assertThat(a.inFlight()).isEqualTo(1);
    }

    @Test
    void anOutcomeListenerHasCallsTimedWhileItIsThere() {
        Balancer b = builder().build();
        List<Long> latencies = new ArrayList<>();
        OutcomeListener listener = (s, outcome, cause, nanos) -> latencies.add(nanos);
        b.addOutcomeListener(listener);
        Selection s = b.pick();
        ticker.time.advance(Duration.ofMillis(40));
        s.success();
        assertThat(latencies).containsExactly(Duration.ofMillis(40).toNanos());
        b.removeOutcomeListener(listener);
        Selection[] after = new Selection[1];
        assertThat(readsDuring(() -> after[0] = b.pick())).isZero();
        assertThat(readsDuring(after[0]::success)).isZero();
        assertThat(latencies).hasSize(1);
    }

    @Test
    void aStrategySwitchChangesWhatIsKeptAndEachCallUndoesOnlyWhatItsPickCounted() {
        Balancer b = builder().build();
        EndpointState a = b.snapshot().members().get(0);
        Selection uncounted = b.pick();
        b.strategy(roundRobinReading(Bookkeeping.ALL));
        ticker.time.advance(Duration.ofMillis(5));
        Selection counted = b.pick();
        assertThat(a.inFlight()).isEqualTo(1);
        assertThat(a.pendingCount()).isEqualTo(1);
        uncounted.success();
        assertThat(a.inFlight()).isEqualTo(1);
        assertThat(a.pendingCount()).isEqualTo(1);
        assertThat(a.hasLatencySample()).as("an untimed call is no sample").isFalse();
        b.strategy(Strategy.roundRobin());
        ticker.time.advance(Duration.ofMillis(10));
        counted.success();
        assertThat(a.inFlight()).isZero();
        assertThat(a.pendingCount()).isZero();
        assertThat(a.latencyEwmaNanos(ticker.time.read())).as("timed when picked, so measured").isEqualTo(10_000_000.0);
    }

    @Test
    void theViewDatesAnUntimedSuccessByWhenItFirstSawIt() {
        Balancer b = builder().build();
        ticker.time.advance(Duration.ofSeconds(1));
        b.pick().success();
        ticker.time.advance(Duration.ofSeconds(2));
        LastOutcome first = b.view().endpoints().get(0).lastOutcome().orElseThrow();
        assertThat(first.outcome()).isEqualTo(Selection.Outcome.SUCCESS);
        assertThat(first.time()).isEqualTo(ticker.time.clock().instant());
        ticker.time.advance(Duration.ofSeconds(5));
        assertThat(b.view().endpoints().get(0).lastOutcome().orElseThrow().time()).as("no success since").isEqualTo(first.time());
        b.pick().success();
        ticker.time.advance(Duration.ofSeconds(1));
        assertThat(b.view().endpoints().get(0).lastOutcome().orElseThrow().time()).isEqualTo(ticker.time.clock().instant());
    }

    @Test
    void anUnobservedSelectionCompletesOnceEvenWhenTwoThreadsRace() throws Exception {
        Balancer b = builder().strategy(roundRobinReading(Bookkeeping.ALL)).build();
        EndpointState a = b.snapshot().members().get(0);
        for (int round = 0; round < 200; round++) {
            Selection s = b.pick();
            Thread other = new Thread(s::success);
            other.start();
            s.failure(new IOException("x"));
            other.join();
        }
        assertThat(a.successCount() + a.failureCount()).isEqualTo(200);
        assertThat(a.inFlight()).isZero();
        assertThat(a.pendingCount()).isZero();
    }
}
