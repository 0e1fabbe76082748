package io.lb4j.strategies;

import static io.lb4j.strategies.TestContext.equalEndpoints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.OutlierEjection;
import io.lb4j.core.Strategy;
import io.lb4j.testing.FakeTicker;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Peak-EWMA against the ways a latency average can be fooled: fast failures, one unlucky slow
 * call, and an endpoint that was slow and recovered. Every run is a {@link CallSimulation} on a
 * fake ticker with a seeded random source, through a real balancer with its default latency
 * decay (10 s, so a re-measurement interval of 1 s); each test states its load model.
 */
class PeakEwmaResilienceTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    private static Balancer balancer(List<Endpoint> list, FakeTicker ticker, long seed) {
        return balancer(list, ticker, seed, Strategies.peakEwma());
    }

    /**
     * Outlier ejection off: it would take a failing endpoint out after 5 failures in a row; what
     * is measured here is the strategy's own judgement.
     */
    private static Balancer balancer(List<Endpoint> list, FakeTicker ticker, long seed, Strategy strategy) {
        return Balancer.builder("users").endpoints(list).ticker(ticker).random(new SplittableRandom(seed))
                .outlierEjection(OutlierEjection.disabled()).strategy(strategy).build();
    }

    /** {@code failing} fails every call in 1 ms, every other endpoint answers in 10 ms. */
    private static CallSimulation.Backend failsFastElseAnswersIn10Ms(Endpoint failing) {
        return new CallSimulation.Backend() {
            @Override
            public long latencyNanos(Endpoint e, long at) {
                return e.equals(failing) ? MS : 10 * MS;
            }

            @Override
            public boolean fails(Endpoint e, long at) {
                return e.equals(failing);
            }
        };
    }

    /**
     * Load model: open loop, {@code rate} calls per simulated second for 30 s; healthy endpoints
     * answer in 10 ms, the failing one fails every call in 1 ms, and each failure is retried once
     * elsewhere. Without the failure penalty the failing endpoint looked 10x faster than the rest
     * and took nearly every first attempt.
     */
    @ParameterizedTest(name = "n = {0}, {1} calls/s")
    @CsvSource({"2, 200", "3, 200", "5, 200", "3, 1000"})
    void anEndpointThatFailsFastGetsAtMostItsFairShare(int n, int rate) {
        List<Endpoint> list = equalEndpoints(n);
        Endpoint failing = list.get(0);
        FakeTicker ticker = new FakeTicker();
        long start = ticker.read();
        CallSimulation.Backend backend = failsFastElseAnswersIn10Ms(failing);
        CallSimulation sim = new CallSimulation(balancer(list, ticker, n), ticker, backend)
                .openLoop(S / rate, start + 30 * S);
        double share = sim.share(failing, start, start + 30 * S);
        assertThat(share).as("share of all picks, retries included").isLessThanOrEqualTo(1.0 / n);
        // what it does get: the re-measurement trickle (about one call a second, so it is not
        // dropped for good) and the odd comparison against a much busier endpoint
        int tries = sim.counts(start, start + 30 * S).getOrDefault(failing, 0);
        assertThat(tries).as("calls to the failing endpoint in 30 s").isGreaterThanOrEqualTo(15);
        assertThat(share).as("far below its fair share").isLessThan(0.02);
    }

    /**
     * Load model: one call at a time (closed loop), each answered in 5 ms, so 200 calls per
     * simulated second; 1,200 calls (6 s). The first call to endpoint 0 takes 50 ms. Before
     * re-measurement, the spike kept endpoint 0 out for about {@code decay * ln(10)} = 23 s: it
     * got about 1 call in 300. Now it is out until it is re-measured, one interval (1 s).
     */
    @Test
    void identicalEndpointsUnderSequentialLoadShareEvenAfterOneSlowFirstCall() {
        List<Endpoint> list = equalEndpoints(3);
        Endpoint unlucky = list.get(0);
        FakeTicker ticker = new FakeTicker();
        Set<Endpoint> called = new HashSet<>();
        CallSimulation.Backend backend = (e, at) -> e.equals(unlucky) && called.add(e) ? 50 * MS : 5 * MS;
        CallSimulation sim = new CallSimulation(balancer(list, ticker, 7), ticker, backend).sequential(1_200);
        for (Endpoint e : list) {
            assertThat(sim.share(e, 0, Long.MAX_VALUE)).as("share of %s", e).isGreaterThanOrEqualTo(0.15);
        }
        assertThat(called).contains(unlucky);
    }

    /**
     * Load model: open loop, 1,000 calls per simulated second over 10 endpoints (fair share
     * 10 %); healthy answers take 5 ms. Endpoints 0 and 1 answer in 50 ms for the first 20 s;
     * then endpoint 0 recovers and endpoint 1 stays slow for the remaining 10 s. The recovered one
     * is re-measured within an interval (1 s) and believed at once; the slow one's re-measurements
     * keep confirming it.
     */
    @Test
    void aRecoveredEndpointRegainsItsShareWithinTwoSecondsWhileAStillSlowOneStaysOut() {
        List<Endpoint> list = equalEndpoints(10);
        Endpoint recovered = list.get(0);
        Endpoint stillSlow = list.get(1);
        FakeTicker ticker = new FakeTicker();
        long start = ticker.read();
        long recovery = start + 20 * S;
        CallSimulation.Backend backend = (e, at) ->
                e.equals(stillSlow) || (e.equals(recovered) && at < recovery) ? 50 * MS : 5 * MS;
        CallSimulation sim = new CallSimulation(balancer(list, ticker, 3), ticker, backend)
                .openLoop(MS, start + 30 * S);
        // while two are slow, both samples are slow in 1 pick of 45, and one of them must take it
        assertThat(sim.share(recovered, recovery - 10 * S, recovery)).as("while slow").isLessThan(0.02);
        assertThat(sim.share(recovered, recovery + S, recovery + 2 * S))
                .as("in the second second after recovery").isGreaterThanOrEqualTo(0.7 * 0.1);
        assertThat(sim.share(recovered, recovery + 2 * S, start + 30 * S)).isGreaterThanOrEqualTo(0.7 * 0.1);
        assertThat(sim.share(stillSlow, recovery, start + 30 * S)).as("the one still slow").isLessThan(0.01);
    }

    @Test
    void theFailurePenaltyIsConfigurableOnThePeakEwmaBuilderOnly() {
        assertThat(Strategies.peakEwmaBuilder().failurePenalty(1.0).build()).isSameAs(Strategies.peakEwma());
        assertThat(Strategies.peakEwmaBuilder().failurePenalty(0).build())
                .hasToString("peak-ewma{choiceCount=2, failurePenalty=0.0}");
        assertThatThrownBy(() -> Strategies.peakEwmaBuilder().failurePenalty(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failurePenalty: -1.0 (expected: 0.0-1000.0)");
        assertThatThrownBy(() -> Strategies.leastConnectionsBuilder().failurePenalty(2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("peak-ewma only");
    }

    /**
     * Without the penalty (0), the fast-failing endpoint of the first test wins most comparisons
     * again: what the penalty buys, and a guard on the simulation. Same load model as above, n = 3.
     */
    @Test
    void withoutThePenaltyAFastFailureLooksCheap() {
        List<Endpoint> list = equalEndpoints(3);
        Endpoint failing = list.get(0);
        FakeTicker ticker = new FakeTicker();
        long start = ticker.read();
        Balancer b = balancer(list, ticker, 3, Strategies.peakEwmaBuilder().failurePenalty(0).build());
        CallSimulation.Backend backend = failsFastElseAnswersIn10Ms(failing);
        CallSimulation sim = new CallSimulation(b, ticker, backend).openLoop(5 * MS, start + 30 * S);
        assertThat(sim.share(failing, start, start + 30 * S)).isGreaterThan(1.0 / 3);
    }
}
