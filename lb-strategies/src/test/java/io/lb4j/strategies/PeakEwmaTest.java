package io.lb4j.strategies;

import static io.lb4j.strategies.TestContext.equalEndpoints;
import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.Selection;
import io.lb4j.core.Strategy;
import io.lb4j.testing.FakeTicker;
import java.time.Duration;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeakEwmaTest {

    private static final long FAST = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long SLOW = 10 * FAST;

    private record Completion(long atNanos, Selection selection) {}

    /**
     * Discrete-event run: a call arrives every {@code gapNanos}; each completes after its
     * endpoint's latency. Returns how many calls the slow endpoint got.
     */
    private static int simulate(Balancer b, FakeTicker ticker, Endpoint slow, int calls, long gapNanos) {
        PriorityQueue<Completion> pending = new PriorityQueue<>((x, y) -> Long.compare(x.atNanos, y.atNanos));
        long t = ticker.read();
        int slowCalls = 0;
        for (int i = 0; i < calls; i++) {
            t += gapNanos;
            while (!pending.isEmpty() && pending.peek().atNanos <= t) {
                Completion c = pending.poll();
                ticker.set(c.atNanos);
                c.selection.success();
            }
            ticker.set(t);
            Selection s = b.pick();
            boolean isSlow = s.endpoint().equals(slow);
            slowCalls += isSlow ? 1 : 0;
            pending.add(new Completion(t + (isSlow ? SLOW : FAST), s));
        }
        return slowCalls;
    }

    private static Balancer balancer(List<Endpoint> list, FakeTicker ticker, Strategy strategy) {
        return Balancer.builder("users").endpoints(list).ticker(ticker).random(new SplittableRandom(11))
                .strategy(strategy).build();
    }

    @ParameterizedTest(name = "a call every {0} µs")
    @ValueSource(longs = {250, 1_000, 5_000})
    void sendsUnderFivePercentToAnEndpointTenTimesSlower(long gapMicros) {
        List<Endpoint> list = equalEndpoints(5);
        FakeTicker ticker = new FakeTicker();
        Balancer b = balancer(list, ticker, Strategies.peakEwma());
        int calls = 20_000;
        int slowCalls = simulate(b, ticker, list.get(2), calls, TimeUnit.MICROSECONDS.toNanos(gapMicros));
        assertThat((double) slowCalls / calls).isLessThan(0.05);
    }

    @Test
    void leastConnectionsAloneSendsTheSlowEndpointMore() {
        // the same run under least-connections: what the latency term buys (guards the simulation)
        List<Endpoint> list = equalEndpoints(5);
        FakeTicker ticker = new FakeTicker();
        Balancer b = balancer(list, ticker, Strategies.leastConnections());
        int calls = 20_000;
        // at light load, in-flight counts alone say little: the slow endpoint is often idle too
        int slowCalls = simulate(b, ticker, list.get(2), calls, TimeUnit.MILLISECONDS.toNanos(5));
        assertThat((double) slowCalls / calls).isGreaterThan(0.05);
    }

    @Test
    void keepsLatencyAveragesAcrossAStrategySwitch() {
        List<Endpoint> list = equalEndpoints(5);
        FakeTicker ticker = new FakeTicker();
        Balancer b = balancer(list, ticker, TestContext.roundRobinReadingAll());
        simulate(b, ticker, list.get(2), 100, TimeUnit.MILLISECONDS.toNanos(1));
        b.strategy(Strategies.peakEwma());
        assertThat(b.snapshot().member(list.get(2)).hasLatencySample()).isTrue();
        // from the very first picks after the switch, the slow endpoint is known to be slow
        int slowCalls = simulate(b, ticker, list.get(2), 200, TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(slowCalls).isLessThanOrEqualTo(2);
    }

    @Test
    void probesAnEndpointWithoutSamplesOnceThenWaitsForItsAnswer() {
        List<Endpoint> list = equalEndpoints(2);
        FakeTicker ticker = new FakeTicker();
        Balancer b = Balancer.builder("users").endpoints(list).ticker(ticker).random(TestContext.scripted(0))
                .strategy(TestContext.roundRobinReadingAll()).build();
        Selection warmUp = b.pick(); // round-robin from offset 0: the first endpoint
        ticker.advance(Duration.ofMillis(5));
        warmUp.success();
        b.strategy(Strategies.peakEwma());

        Selection probe = b.pick();
        assertThat(probe.endpoint()).as("an idle endpoint without samples costs nothing").isEqualTo(list.get(1));
        for (int i = 0; i < 50; i++) {
            Selection s = b.pick();
            assertThat(s.endpoint()).as("no second call before the probe answers").isEqualTo(list.get(0));
            s.cancel(); // no latency sample: the first endpoint keeps its 5 ms

        }
        ticker.advance(Duration.ofMillis(1));
        probe.success();
        assertThat(b.pick().endpoint()).as("now sampled, and faster").isEqualTo(list.get(1));
    }

    @Test
    void builderNamesTheLatencyDecayOnTheBalancer() {
        assertThat(Strategies.peakEwmaBuilder().choiceCount(3).build()).hasToString("peak-ewma{choiceCount=3}");
        assertThat(Strategies.peakEwmaBuilder().build()).isSameAs(Strategies.peakEwma());
    }
}
