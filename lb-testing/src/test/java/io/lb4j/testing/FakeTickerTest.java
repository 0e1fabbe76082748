package io.lb4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FakeTickerTest {

    @Test
    void movesOnlyWhenTold() {
        FakeTicker t = new FakeTicker();
        assertThat(t.read()).isEqualTo(1_000_000_000L);
        assertThat(t.read()).isEqualTo(1_000_000_000L);
        t.advance(Duration.ofMillis(1500)).advance(2, TimeUnit.MICROSECONDS);
        assertThat(t.read()).isEqualTo(2_500_002_000L);
        t.set(5);
        assertThat(t.read()).isEqualTo(5);
    }
}
