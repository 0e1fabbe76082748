package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lb4j.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EndpointStateTest {

    private final FakeTicker ticker = new FakeTicker();
    private final Balancer balancer = Balancer.builder("users").endpoints("a:1").ticker(ticker)
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

    @Test
    void lowerSamplesBlendInWithTheElapsedTime() {
        call(Duration.ofMillis(100));
        ticker.advance(Duration.ofSeconds(10)); // one decay time: the old value weighs e^-1 of itself
        double decayed = 100 * Math.exp(-1);
        assertThat(ewmaMillis()).isCloseTo(decayed, within(1e-6));
        call(Duration.ofMillis(20));
        // the sample took 20 ms more, and was above the decayed average only if 20 > 36.8: it was not
        double w = Math.exp(-1.002);
        assertThat(ewmaMillis()).isCloseTo(decayed * Math.exp(-0.002) * w + 20 * (1 - w), within(1e-3));
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
}
