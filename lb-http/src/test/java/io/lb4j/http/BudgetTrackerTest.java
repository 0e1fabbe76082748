package io.lb4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BudgetTrackerTest {

    private static int retriesGranted(BudgetTracker b, int attempts) {
        int granted = 0;
        for (int i = 0; i < attempts; i++) {
            if (b.tryRetry()) {
                granted++;
            }
        }
        return granted;
    }

    @Test
    void allowsRatioOfRequestsPlusReservePerSecondOfWindow() {
        FakeTicker ticker = new FakeTicker();
        BudgetTracker b = new BudgetTracker(RetryBudget.of(0.2, Duration.ofSeconds(10), 3), ticker);
        for (int i = 0; i < 100; i++) {
            b.onRequest();
        }
        // 0.2 * 100 + 3 * 10
        assertThat(retriesGranted(b, 1000)).isEqualTo(50);
    }

    @Test
    void quietServiceStillGetsTheReserve() {
        BudgetTracker b = new BudgetTracker(RetryBudget.of(0.2, Duration.ofSeconds(10), 3), new FakeTicker());
        assertThat(retriesGranted(b, 100)).isEqualTo(30);
        BudgetTracker none = new BudgetTracker(RetryBudget.of(0.0, Duration.ofSeconds(10), 0), new FakeTicker());
        none.onRequest();
        assertThat(none.tryRetry()).isFalse();
    }

    @Test
    void oldRequestsAndRetriesLeaveTheWindow() {
        FakeTicker ticker = new FakeTicker();
        BudgetTracker b = new BudgetTracker(RetryBudget.of(0.5, Duration.ofSeconds(10), 0), ticker);
        for (int i = 0; i < 10; i++) {
            b.onRequest();
        }
        assertThat(retriesGranted(b, 100)).isEqualTo(5);
        ticker.advance(Duration.ofSeconds(5));
        for (int i = 0; i < 10; i++) {
            b.onRequest();
        }
        assertThat(retriesGranted(b, 100)).isEqualTo(5); // 20 requests -> 10, 5 already spent
        ticker.advance(Duration.ofSeconds(6)); // the first 10 requests and their 5 retries are gone
        assertThat(retriesGranted(b, 100)).isEqualTo(0); // 10 requests -> 5, 5 spent at t=5 s
        ticker.advance(Duration.ofSeconds(5));
        assertThat(retriesGranted(b, 100)).isEqualTo(0); // nothing left in the window at all
        ticker.advance(Duration.ofSeconds(60));
        b.onRequest();
        b.onRequest();
        assertThat(retriesGranted(b, 100)).isEqualTo(1);
    }

    @Test
    void unlimitedAlwaysGrants() {
        BudgetTracker b = new BudgetTracker(RetryBudget.unlimited(), new FakeTicker());
        assertThat(retriesGranted(b, 10_000)).isEqualTo(10_000);
    }
}
