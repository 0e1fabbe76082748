package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lb4j.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EndpointStateTest {

    private final FakeTicker ticker = new FakeTicker();
    private final Balancer balancer = Balancer.builder("users").endpoints("a:1").ticker(ticker).strategy(AllBookkeeping.ROUND_ROBIN)
            .latencyDecay(Duration.ofSeconds(10)).build();

    private void call(Duration latency) {
        Selection s = balancer.pick();
        ticker.advance(latency);
        s.success();
    }

    private double ewmaMillis() {
        return balancer.snapshot().members().get(0).latencyEwmaNanos(ticker.read()) / 1e6;
    }

    @Test
    void aPeakReplacesTheAverageAtOnce() {
        call(Duration.ofMillis(10));
        assertThat(ewmaMillis()).isEqualTo(10.0);
        call(Duration.ofMillis(200));
        assertThat(ewmaMillis()).isEqualTo(200.0);
    }

    private EndpointState state() {
        return balancer.snapshot().members().get(0);
    }

    private void fail(Duration latency) {
        Selection s = balancer.pick();
        ticker.advance(latency);
        s.failure(new java.io.IOException("503"));
    }

    @Test
    void withoutSamplesTheEstimateDecaysByTheElapsedTime() {
        call(Duration.ofMillis(100));
        ticker.advance(Duration.ofSeconds(10)); // one decay time: the old value weighs e^-1 of itself
        assertThat(ewmaMillis()).isCloseTo(100 * Math.exp(-1), within(1e-6));
    }

    @Test
    void aLowerSampleWithinTheRemeasureIntervalMovesTheEstimateAQuarterOfTheWay() {
        call(Duration.ofMillis(100));
        ticker.advance(Duration.ofMillis(480)); // with the 20 ms call, 0.5 s: under the 1 s interval
        call(Duration.ofMillis(20));
        // the old value decayed to now, then a quarter of the way to the sample (by time alone, Finagle's
        // rule, the sample would have weighed 1 - e^-0.05 = 4.9 %)
        double decayed = 100 * Math.exp(-0.05);
        assertThat(ewmaMillis()).isCloseTo(decayed * 0.75 + 20 * 0.25, within(1e-6));
        // three more fast answers in quick succession: each covers a quarter of what is left
        for (int i = 0; i < 3; i++) {
            call(Duration.ofMillis(20));
        }
        assertThat(ewmaMillis()).isLessThan(20 + (decayed - 20) * Math.pow(0.75, 4) + 1e-6)
                .isGreaterThan(20 + (decayed - 20) * Math.pow(0.75, 4) * 0.99);
    }

    @Test
    void aSuccessAfterAGapOfATenthOfTheDecayReplacesTheEstimate() {
        assertThat(state().remeasureIntervalNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
        call(Duration.ofMillis(500)); // a spike
        ticker.advance(Duration.ofMillis(980));
        call(Duration.ofMillis(20)); // 1 s after the spike's sample: a re-measurement
        assertThat(ewmaMillis()).isEqualTo(20.0);
        // and one just inside the interval blends as before
        call(Duration.ofMillis(100));
        assertThat(ewmaMillis()).isEqualTo(100.0);
        ticker.advance(Duration.ofMillis(889));
        call(Duration.ofMillis(10)); // 0.9 s after the last sample
        assertThat(ewmaMillis()).isCloseTo(100 * Math.exp(-0.0899) * 0.75 + 10 * 0.25, within(1e-6));
    }

    @Test
    void failuresOnlyRaiseTheEstimateAndSetTheFailureLevel() {
        call(Duration.ofMillis(50));
        assertThat(state().failureLevel(ticker.read())).isZero();
        fail(Duration.ofMillis(1)); // a fast failure does not make the endpoint look faster
        assertThat(ewmaMillis()).isCloseTo(50 * Math.exp(-0.0001), within(1e-6));
        assertThat(state().failureLevel(ticker.read())).isEqualTo(1.0);
        fail(Duration.ofMillis(300)); // a slow one (a timeout) counts in full
        assertThat(ewmaMillis()).isEqualTo(300.0);
        assertThat(state().hasLatencySample()).isTrue();
    }

    @Test
    void aFailureAloneIsALatencySample() {
        fail(Duration.ofMillis(2));
        assertThat(state().hasLatencySample()).isTrue();
        assertThat(ewmaMillis()).isEqualTo(2.0);
        assertThat(state().failureLevel(ticker.read())).isEqualTo(1.0);
    }

    @Test
    void theFailureLevelHalvesWithEachSuccessFadesWithTimeAndClearsOnARemeasurement() {
        fail(Duration.ofMillis(10));
        call(Duration.ofMillis(10));
        double afterOne = Math.exp(-0.001) * 0.5;
        assertThat(state().failureLevel(ticker.read())).isCloseTo(afterOne, within(1e-9));
        call(Duration.ofMillis(10));
        assertThat(state().failureLevel(ticker.read())).isCloseTo(afterOne * Math.exp(-0.001) * 0.5, within(1e-9));
        fail(Duration.ofMillis(10));
        ticker.advance(Duration.ofSeconds(10));
        assertThat(state().failureLevel(ticker.read())).isCloseTo(Math.exp(-1), within(1e-9));
        call(Duration.ofMillis(10)); // after a gap of 10 s: a re-measurement
        assertThat(state().failureLevel(ticker.read())).isZero();
    }

    @Test
    void aRemeasurementIsClaimedOncePerIntervalAndOnlyWhileNothingIsInFlight() {
        EndpointState st = state();
        assertThat(st.claimRemeasure(ticker.read())).as("never sampled: nothing to re-measure").isFalse();
        call(Duration.ofMillis(10));
        ticker.advance(Duration.ofMillis(999));
        assertThat(st.claimRemeasure(ticker.read())).as("sampled 0.999 s ago").isFalse();
        ticker.advance(Duration.ofMillis(1));
        Selection open = balancer.pick();
        assertThat(st.claimRemeasure(ticker.read())).as("a call is in flight: its answer is the sample").isFalse();
        open.cancel();
        assertThat(st.claimRemeasure(ticker.read())).isTrue();
        assertThat(st.claimRemeasure(ticker.read())).as("one claim per interval").isFalse();
        ticker.advance(Duration.ofMillis(999));
        assertThat(st.claimRemeasure(ticker.read())).as("the claimed call never came: 0.999 s since the claim").isFalse();
        ticker.advance(Duration.ofMillis(1));
        assertThat(st.claimRemeasure(ticker.read())).isTrue();
    }

    @Test
    void idleEndpointDecaysTowardsZeroSoItIsTriedAgain() {
        call(Duration.ofMillis(500));
        ticker.advance(Duration.ofMinutes(2));
        assertThat(ewmaMillis()).isLessThan(0.01);
        assertThat(balancer.snapshot().members().get(0).hasLatencySample()).isTrue();
    }

    @Test
    void failuresDoNotLowerTheAverage() {
        call(Duration.ofMillis(300));
        Selection s = balancer.pick();
        s.failure(new java.io.IOException("refused"));
        assertThat(ewmaMillis()).isEqualTo(300.0);
        assertThat(balancer.snapshot().members().get(0).failureCount()).isEqualTo(1);
    }

    @Test
    void successesFromManyThreadsAreAllCountedAndTheWindowIsTheirRise() throws Exception {
        // the count is striped by thread: eight threads (more than the stripes, so some share one)
        // complete calls at once; none is lost, and the window's successes are the rise since it began
        Balancer plain = Balancer.builder("users").endpoints("a:1").strategy(Strategy.roundRobin()).build();
        EndpointState st = plain.snapshot().members().get(0);
        Selection first = plain.pick();
        first.success();
        assertThat(st.takeWindowSuccesses()).isEqualTo(1);
        int threads = 8;
        int each = 5_000;
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.List<Thread> all = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < each; i++) {
                    plain.pick().success();
                }
            });
            th.start();
            all.add(th);
        }
        go.countDown();
        for (Thread th : all) {
            th.join();
        }
        assertThat(st.successCount()).isEqualTo(1L + (long) threads * each);
        assertThat(st.takeWindowSuccesses()).isEqualTo((long) threads * each);
        assertThat(st.takeWindowSuccesses()).isZero();
        assertThat(st).hasToString("a:1{inFlight=0, successes=" + (1L + (long) threads * each) + ", failures=0}");
        plain.close();
    }
}
