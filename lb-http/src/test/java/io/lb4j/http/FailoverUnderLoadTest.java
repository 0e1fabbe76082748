package io.lb4j.http;

import static io.lb4j.http.Fixtures.get;
import static io.lb4j.http.Fixtures.newDelegate;
import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.testing.LoopbackBackend;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * lb4j's central promise with nothing but a {@link Balancer} and a {@link LoadBalancedHttpClient}
 * built with their defaults (no retry policy, no lb-health): one bad instance of three costs the
 * callers nothing. Real loopback backends, real time.
 */
class FailoverUnderLoadTest extends LoopbackTestSupport {

    /** What a run of calls got: answers by backend, statuses other than 200, exceptions. */
    private static final class Results {
        final Map<String, LongAdder> answeredBy = new ConcurrentHashMap<>();
        final Map<Integer, LongAdder> otherStatuses = new ConcurrentHashMap<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();

        void add(HttpResponse<String> r, Throwable error) {
            if (error != null) {
                failures.add(error);
            } else if (r.statusCode() != 200) {
                otherStatuses.computeIfAbsent(r.statusCode(), k -> new LongAdder()).increment();
            } else {
                answeredBy.computeIfAbsent(r.body(), k -> new LongAdder()).increment();
            }
        }

        long answered(String backend) {
            LongAdder n = answeredBy.get(backend);
            return n == null ? 0 : n.sum();
        }

        long non200() {
            return otherStatuses.values().stream().mapToLong(LongAdder::sum).sum() + failures.size();
        }

        /** One line for the build log: what the callers saw and what the client did for them. */
        void print(String scenario, ServiceStats stats) {
            System.out.printf("%s: answered %s, other statuses %s, failures %d; attempts %d, retries %s, requeues %d,"
                    + " budget refusals %d%n", scenario, answeredBy, otherStatuses, failures.size(), stats.attempts(),
                    stats.retriesByReason(), stats.requeues(), stats.budgetExhausted());
        }
    }

    /** Defaults only: round-robin from a random offset, the default retry policy and budget. */
    private LoadBalancedHttpClient defaultClient(LoopbackBackend... backends) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (LoopbackBackend b : backends) {
            endpoints.add(b.endpoint());
        }
        return closeLater(LoadBalancedHttpClient.builder(newDelegate())
                .service(Balancer.builder("users").endpoints(endpoints).build()).build());
    }

    /** {@code total} blocking GETs from {@code threads} callers; {@code atHalf} runs once half are done. */
    private static Results unpaced(LoadBalancedHttpClient client, int total, int threads, Runnable atHalf)
            throws Exception {
        Results results = new Results();
        ExecutorService callers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "failover-caller");
            t.setDaemon(true);
            return t;
        });
        try {
            AtomicInteger next = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(callers.submit(() -> {
                    while (next.getAndIncrement() < total) {
                        try {
                            results.add(client.send(get("http://users/work"), BodyHandlers.ofString()), null);
                        } catch (Exception e) {
                            results.add(null, e);
                        }
                        if (done.incrementAndGet() == total / 2) {
                            atHalf.run();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get(120, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }
        return results;
    }

    @Test
    void stoppingOneOfThreeBackendsHalfWayCausesNoCallerFailures() throws Exception {
        LoopbackBackend[] b = start("a", "b", "c");
        LoadBalancedHttpClient client = defaultClient(b);

        Results r = unpaced(client, 3000, 8, b[2]::stop);
        r.print("one of three stopped, unpaced", client.stats("users"));

        assertThat(r.failures).isEmpty();
        assertThat(r.otherStatuses).isEmpty();
        ServiceStats stats = client.stats("users");
        assertThat(stats.succeeded()).isEqualTo(3000);
        assertThat(stats.failedAttemptsByEndpoint()).containsKey(b[2].endpoint().authority());
        // c answered only before it stopped: well under its third of the whole run
        assertThat(r.answered("c")).isLessThan(3000 / 3);
        assertThat(r.answered("a") + r.answered("b")).isGreaterThan(2L * 3000 / 3);
    }

    /**
     * About 100 calls a second for 18 s; one backend of three is stopped after 2 s and stays
     * down for the remaining 16 s, long past any retry budget window.
     */
    @Test
    void oneOfThreeBackendsDownForSixteenSecondsAtAHundredCallsPerSecondCausesNoCallerFailures() throws Exception {
        LoopbackBackend[] b = start("a", "b", "c");
        LoadBalancedHttpClient client = defaultClient(b);
        Results results = new Results();
        List<CompletableFuture<?>> calls = new CopyOnWriteArrayList<>();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "failover-pacer");
            t.setDaemon(true);
            return t;
        });
        try {
            long start = System.nanoTime();
            ScheduledFuture<?> load = pacer.scheduleAtFixedRate(() -> calls.add(
                    client.sendAsync(get("http://users/work"), BodyHandlers.ofString()).whenComplete(results::add)),
                    0, 10, TimeUnit.MILLISECONDS);
            ScheduledFuture<?> kill = pacer.schedule(b[2]::stop, 2, TimeUnit.SECONDS);
            kill.get(10, TimeUnit.SECONDS);
            pacer.schedule(() -> load.cancel(false), 18_000 - (System.nanoTime() - start) / 1_000_000,
                    TimeUnit.MILLISECONDS).get(30, TimeUnit.SECONDS);
            for (CompletableFuture<?> c : calls) {
                c.handle((x, e) -> null).get(30, TimeUnit.SECONDS);
            }
        } finally {
            pacer.shutdownNow();
        }

        results.print("one of three down 16 s at 100/s", client.stats("users"));
        assertThat(calls.size()).isGreaterThan(1500);
        assertThat(results.failures).isEmpty();
        assertThat(results.otherStatuses).isEmpty();
        assertThat(results.answered("a") + results.answered("b") + results.answered("c")).isEqualTo(calls.size());
        assertThat(results.answered("c")).isLessThan(calls.size() / 5);
    }

    @Test
    void backendAnsweringOnly503LeavesAtMostTenOf1500CallsWithoutA200() throws Exception {
        LoopbackBackend[] b = start("a", "b", "sick");
        b[2].status(503);
        LoadBalancedHttpClient client = defaultClient(b);

        Results r = unpaced(client, 1500, 8, () -> { });
        r.print("one of three always 503", client.stats("users"));

        assertThat(r.failures).isEmpty();
        assertThat(r.non200()).isLessThanOrEqualTo(10);
    }

    @Test
    void hangingBackendWithAPerAttemptTimeoutCausesNoCallerFailures() throws Exception {
        LoopbackBackend[] b = start("a", "b", "hung");
        b[2].hang();
        RetryPolicy policy = RetryPolicy.builder().perAttemptTimeout(Duration.ofMillis(200)).build();
        LoadBalancedHttpClient client = closeLater(LoadBalancedHttpClient.builder(newDelegate())
                .service(Balancer.builder("users").endpoints(List.of(b[0].endpoint(), b[1].endpoint(), b[2].endpoint()))
                        .build(), policy).build());

        Results r = unpaced(client, 1200, 8, () -> { });
        r.print("one of three hanging, 200 ms per attempt", client.stats("users"));

        assertThat(r.failures).isEmpty();
        assertThat(r.otherStatuses).isEmpty();
        assertThat(client.stats("users").retriesByReason()).containsKey("timeout");
    }
}
