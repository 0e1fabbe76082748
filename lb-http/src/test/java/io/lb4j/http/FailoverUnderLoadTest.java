package io.lb4j.http;

import static io.lb4j.http.Fixtures.backends;
import static io.lb4j.http.Fixtures.balancer;
import static io.lb4j.http.Fixtures.closeAll;
import static io.lb4j.http.Fixtures.get;
import static io.lb4j.http.Fixtures.newDelegate;
import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.testing.LoopbackBackend;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class FailoverUnderLoadTest {

    @Test
    void stoppingOneOfThreeBackendsHalfWayCausesNoCallerFailures() throws Exception {
        LoopbackBackend[] b = backends("a", "b", "c");
        // Without outlier detection (lb-health) the stopped endpoint keeps its third of the picks, so
        // about a third of the later calls need a retry: more than the default 20 % budget.
        RetryPolicy policy = RetryPolicy.builder().budget(RetryBudget.of(0.5, Duration.ofSeconds(10), 3)).build();
        ExecutorService callers = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "failover-caller");
            t.setDaemon(true);
            return t;
        });
        try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder(newDelegate())
                .service(balancer("users", b), policy).build()) {
            int total = 3000;
            AtomicInteger next = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            Map<String, LongAdder> answeredBy = new ConcurrentHashMap<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Future<?>> workers = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                workers.add(callers.submit(() -> {
                    while (next.getAndIncrement() < total) {
                        try {
                            HttpResponse<String> r = client.send(get("http://users/work"), BodyHandlers.ofString());
                            if (r.statusCode() != 200) {
                                throw new AssertionError("status " + r.statusCode() + " from " + r.body());
                            }
                            answeredBy.computeIfAbsent(r.body(), k -> new LongAdder()).increment();
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                        if (done.incrementAndGet() == total / 2) {
                            b[2].stop();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get(50, TimeUnit.SECONDS);
            }

            assertThat(failures).isEmpty();
            assertThat(answeredBy.values().stream().mapToLong(LongAdder::sum).sum()).isEqualTo(total);
            ServiceStats stats = client.stats("users");
            assertThat(stats.succeeded()).isEqualTo(total);
            assertThat(stats.failedAttemptsByEndpoint()).containsKey(b[2].endpoint().authority());
            assertThat(stats.failedAttemptsByEndpoint().get(b[2].endpoint().authority())).isGreaterThan(100L);
            assertThat(stats.retries()).isEqualTo(stats.failedAttempts());
            // c answered only before it stopped: well under its third of the whole run
            assertThat(answeredBy.get("c").sum()).isLessThan(total / 3);
            assertThat(answeredBy.get("a").sum() + answeredBy.get("b").sum()).isGreaterThan(2L * total / 3);
        } finally {
            callers.shutdownNow();
            closeAll(b);
        }
    }
}
