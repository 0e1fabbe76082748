package io.lb4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FakeSchedulerTest {
    private final FakeTicker ticker = new FakeTicker(0);
    private final FakeScheduler scheduler = new FakeScheduler(ticker);

    @Test
    void runsTasksInDueOrderAtTheirDueTime() {
        List<String> log = new ArrayList<>();
        scheduler.schedule(() -> log.add("b@" + ticker.read()), 2, TimeUnit.SECONDS);
        scheduler.schedule(() -> log.add("a@" + ticker.read()), 1, TimeUnit.SECONDS);
        scheduler.execute(() -> log.add("now@" + ticker.read()));
        assertThat(log).isEmpty();
        scheduler.advance(Duration.ofMillis(1500));
        assertThat(log).containsExactly("now@0", "a@1000000000");
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(log).containsExactly("now@0", "a@1000000000", "b@2000000000");
        assertThat(ticker.read()).isEqualTo(2_500_000_000L);
    }

    @Test
    void repeatsPeriodicTasksUntilCancelled() {
        List<Long> runs = new ArrayList<>();
        ScheduledFuture<?> f = scheduler.scheduleAtFixedRate(() -> runs.add(ticker.read() / 1_000_000_000L), 0, 5, TimeUnit.SECONDS);
        scheduler.advance(Duration.ofSeconds(12));
        assertThat(runs).containsExactly(0L, 5L, 10L);
        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(3));
        f.cancel(false);
        scheduler.advance(Duration.ofSeconds(12));
        assertThat(runs).hasSize(3);
        assertThat(scheduler.pendingCount()).isZero();
    }

    @Test
    void tasksScheduledByTasksRunWhenDue() {
        List<String> log = new ArrayList<>();
        scheduler.schedule(() -> {
            log.add("first");
            scheduler.schedule(() -> log.add("second"), 1, TimeUnit.SECONDS);
        }, 1, TimeUnit.SECONDS);
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(log).containsExactly("first", "second");
    }

    @Test
    void futuresReportResultsWithoutBlocking() throws Exception {
        var f = scheduler.schedule(() -> 42, 1, TimeUnit.SECONDS);
        assertThatThrownBy(f::get).isInstanceOf(IllegalStateException.class);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(f.get()).isEqualTo(42);
        scheduler.shutdown();
        assertThatThrownBy(() -> scheduler.execute(() -> { })).isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    }
}
