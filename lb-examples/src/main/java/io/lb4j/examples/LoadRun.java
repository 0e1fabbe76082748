package io.lb4j.examples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Drives a fixed number of GETs at a fixed concurrency through one client and records, per
 * request, the latency, which backend answered (its name is the body) and whether the caller
 * saw an error. Events (kill a backend, make one fail) fire when a given request index starts.
 */
public final class LoadRun {

    /** What happens when request {@code atRequest} is about to start. */
    public record Event(int atRequest, String label, Runnable action) {}

    /** The outcome of one run. */
    static final class Result {
        final long[] latencyNanos;
        /** System.nanoTime() when each request started. */
        final long[] startNanos;
        final String[] backend;
        final int errors;
        final List<String> errorSamples;
        final long elapsedNanos;

        Result(long[] latencyNanos, long[] startNanos, String[] backend, int errors, List<String> errorSamples,
               long elapsedNanos) {
            this.latencyNanos = latencyNanos;
            this.startNanos = startNanos;
            this.backend = backend;
            this.errors = errors;
            this.errorSamples = errorSamples;
            this.elapsedNanos = elapsedNanos;
        }

        int requests() {
            return latencyNanos.length;
        }

        /** Latency percentile in milliseconds over every request, errors included. */
        double percentileMillis(double p) {
            long[] sorted = latencyNanos.clone();
            java.util.Arrays.sort(sorted);
            int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
        }

        /** Requests answered per backend name. */
        Map<String, Integer> perBackend() {
            Map<String, Integer> m = new TreeMap<>();
            for (String b : backend) {
                if (b != null) {
                    m.merge(b, 1, Integer::sum);
                }
            }
            return m;
        }

        /**
         * The share of {@code name} among the answered requests that started in
         * [{@code fromNanos}, {@code toNanos}) ({@code System.nanoTime()} readings); NaN if none did.
         */
        double shareBetween(String name, long fromNanos, long toNanos) {
            int all = 0;
            int mine = 0;
            for (int i = 0; i < backend.length; i++) {
                long t = startNanos[i];
                if (backend[i] != null && t - fromNanos >= 0 && t - toNanos < 0) {
                    all++;
                    if (backend[i].equals(name)) {
                        mine++;
                    }
                }
            }
            return all == 0 ? Double.NaN : mine / (double) all;
        }

        /** Share of each backend in each of {@code buckets} consecutive slices of the run. */
        Map<String, double[]> sharesOverTime(int buckets) {
            Map<String, double[]> m = new TreeMap<>();
            int n = backend.length;
            int[] totals = new int[buckets];
            for (int i = 0; i < n; i++) {
                if (backend[i] != null) {
                    int bucket = (int) ((long) i * buckets / n);
                    m.computeIfAbsent(backend[i], k -> new double[buckets])[bucket]++;
                    totals[bucket]++;
                }
            }
            for (double[] counts : m.values()) {
                for (int i = 0; i < buckets; i++) {
                    counts[i] = totals[i] == 0 ? 0 : counts[i] / totals[i];
                }
            }
            return m;
        }
    }

    private LoadRun() {}

    static Result run(HttpClient client, URI uri, int requests, int concurrency, List<Event> events,
                      IntConsumer progress) throws InterruptedException {
        long[] latency = new long[requests];
        long[] started = new long[requests];
        String[] backend = new String[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        List<String> samples = java.util.Collections.synchronizedList(new ArrayList<>());
        Event[] byIndex = new Event[requests];
        for (Event e : events) {
            if (e.atRequest() >= 0 && e.atRequest() < requests) {
                byIndex[e.atRequest()] = e;
            }
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            Thread t = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < requests) {
                    Event e = byIndex[i];
                    if (e != null) {
                        e.action().run();
                    }
                    long t0 = System.nanoTime();
                    started[i] = t0;
                    try {
                        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() >= 500) {
                            errors.incrementAndGet();
                            if (samples.size() < 5) {
                                samples.add("status " + r.statusCode() + " from " + r.body());
                            }
                        } else {
                            backend[i] = r.body();
                        }
                    } catch (Exception ex) {
                        errors.incrementAndGet();
                        if (samples.size() < 5) {
                            samples.add(String.valueOf(ex));
                        }
                        if (ex instanceof InterruptedException) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                    latency[i] = System.nanoTime() - t0;
                    if (progress != null) {
                        progress.accept(i);
                    }
                }
            }, "demo-load-" + w);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            t.join();
        }
        return new Result(latency, started, backend, errors.get(), List.copyOf(samples), System.nanoTime() - start);
    }
}
