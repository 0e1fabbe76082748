package io.lb4j.examples;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.health.HealthChecker;
import io.lb4j.health.OutlierDetector;
import io.lb4j.health.Probe;
import io.lb4j.http.LoadBalancedHttpClient;
import io.lb4j.http.RetryPolicy;
import io.lb4j.strategies.Strategies;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run of the demo's engine, shared by the demo and the scenario benchmark: a balancer over
 * the backends with the given strategy, active health checks, outlier detection and the
 * load-balanced HTTP client with default retries, driven by {@link LoadRun}.
 * Not API: the demo's own plumbing.
 */
public final class Scenario {

    /** Progress: requests done so far, seconds since the start. */
    @FunctionalInterface
    public interface Progress {
        void report(int done, double seconds);
    }

    /** One strategy's run. */
    public static final class Phase {
        final String strategy;
        final LoadRun.Result result;
        final long retries;
        final long ejections;

        Phase(String strategy, LoadRun.Result result, long retries, long ejections) {
            this.strategy = strategy;
            this.result = result;
            this.retries = retries;
            this.ejections = ejections;
        }

        public String strategy() {
            return strategy;
        }

        public double p99Millis() {
            return result.percentileMillis(99);
        }

        public double percentileMillis(double p) {
            return result.percentileMillis(p);
        }

        /** Requests whose caller saw an error (after retries). */
        public int callerErrors() {
            return result.errors;
        }

        public long retries() {
            return retries;
        }

        public long ejections() {
            return ejections;
        }

        public int requests() {
            return result.requests();
        }

        /**
         * The share of backend {@code name} among the answered requests that started between two
         * {@code System.nanoTime()} readings.
         */
        public double shareBetween(String name, long fromNanos, long toNanos) {
            return result.shareBetween(name, fromNanos, toNanos);
        }

        /** Successful answers per backend name. */
        public java.util.Map<String, Integer> perBackend() {
            return result.perBackend();
        }
    }

    private Scenario() {}

    /** Runs {@code requests} GETs through a fresh balancer over {@code backends}; reports 4 times. */
    public static Phase run(String strategy, List<DemoBackend> backends, HttpClient delegate, int requests,
                            int concurrency, List<LoadRun.Event> events, Progress progress) throws Exception {
        List<Endpoint> endpoints = backends.stream().map(DemoBackend::endpoint).toList();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Balancer balancer = Balancer.builder("demo").endpoints(endpoints).strategy(Strategies.named(strategy)).build();
             HealthChecker health = HealthChecker.builder(balancer)
                     .probe(Probe.http("/healthz"))
                     .interval(Duration.ofMillis(250))
                     .timeout(Duration.ofMillis(500))
                     .unhealthyThreshold(2)
                     .healthyThreshold(2)
                     .meterRegistry(registry)
                     .build();
             OutlierDetector outliers = OutlierDetector.builder(balancer)
                     .consecutiveFailures(3)
                     .baseEjectionTime(Duration.ofSeconds(2))
                     .maxEjectionPercent(40)
                     .meterRegistry(registry)
                     .build()) {
            health.start();
            LoadBalancedHttpClient client = LoadBalancedHttpClient.builder(delegate)
                    .service(balancer)
                    .retryPolicy(RetryPolicy.ofDefaults())
                    .meterRegistry(registry)
                    .build();
            AtomicInteger done = new AtomicInteger();
            long start = System.nanoTime();
            int quarter = Math.max(1, requests / 4);
            LoadRun.Result result = LoadRun.run(client, URI.create("http://demo/work"), requests, concurrency, events, i -> {
                int d = done.incrementAndGet();
                if (progress != null && (d % quarter == 0 || d == requests)) {
                    progress.report(d, (System.nanoTime() - start) / 1e9);
                }
            });
            return new Phase(strategy, result, count(registry, "lb.retries"), count(registry, "lb.ejections"));
        }
    }

    private static long count(SimpleMeterRegistry registry, String name) {
        return (long) registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }
}
