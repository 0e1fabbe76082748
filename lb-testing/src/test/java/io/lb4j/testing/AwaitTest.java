package io.lb4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

    @Test
    void returnsAsSoonAsTheConditionHolds() {
        AtomicInteger polls = new AtomicInteger();
        Await.until("the third poll", () -> polls.incrementAndGet() == 3);
        assertThat(polls).hasValue(3);
    }

    @Test
    void returnsTheFirstAcceptedValue() {
        AtomicInteger n = new AtomicInteger();
        int v = Await.until(Duration.ofSeconds(5), "a value over 4", n::incrementAndGet, x -> x > 4);
        assertThat(v).isEqualTo(5);
    }

    @Test
    void failsAtTheDeadlineNamingWhatAndTheLastValue() {
        assertThatThrownBy(() -> Await.until(Duration.ofMillis(30), "the impossible", () -> "still no", s -> false))
                .isInstanceOf(AssertionError.class)
                .hasMessage("timed out after PT0.03S waiting for the impossible; last seen: still no");
        assertThatThrownBy(() -> Await.until(Duration.ofMillis(30), "never", () -> false))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("timed out after PT0.03S waiting for never");
    }

    @Test
    void failsWhenInterruptedAndKeepsTheInterruptFlag() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> Await.until("never", () -> false))
                    .isInstanceOf(AssertionError.class)
                    .hasMessage("interrupted while waiting for never");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void rejectsATimeoutThatIsNotPositive() {
        assertThatThrownBy(() -> Await.until(Duration.ZERO, "x", () -> true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout: PT0S (expected: > 0)");
    }

    @Test
    void listsLiveThreadsByNamePrefix() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "await-test-worker");
        t.start();
        assertThat(Await.threads("await-test-")).containsExactly("await-test-worker");
        stop.countDown();
        t.join();
        assertThat(Await.threads("await-test-")).isEmpty();
    }
}
