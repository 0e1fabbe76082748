package io.lb4j.http;

import io.lb4j.core.Endpoint;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@link ServiceStats}; thread-safe, contention-free adders. */
final class StatsCounters implements CallRecorder {
    private final String service;
    private final LongAdder requests = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder cancelled = new LongAdder();
    private final LongAdder attempts = new LongAdder();
    private final LongAdder failedAttempts = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder requeues = new LongAdder();
    private final LongAdder budgetExhausted = new LongAdder();
    private final Map<String, LongAdder> retriesByReason = new ConcurrentHashMap<>();
    private final Map<Endpoint, LongAdder> failedByEndpoint = new ConcurrentHashMap<>();

    StatsCounters(String service) {
        this.service = service;
    }

    @Override
    public void attempt(Endpoint endpoint) {
        attempts.increment();
    }

    @Override
    public void attemptFailed(Endpoint endpoint) {
        failedAttempts.increment();
        failedByEndpoint.computeIfAbsent(endpoint, e -> new LongAdder()).increment();
    }

    @Override
    public void retried(String reason) {
        retries.increment();
        retriesByReason.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    void requeued() {
        requeues.increment();
    }

    @Override
    public void budgetExhausted() {
        budgetExhausted.increment();
    }

    @Override
    public void finished(String outcome, long nanos) {
        requests.increment();
        switch (outcome) {
            case SUCCESS:
                succeeded.increment();
                break;
            case CANCELLED:
                cancelled.increment();
                break;
            default:
                failed.increment();
        }
    }

    ServiceStats snapshot() {
        Map<String, Long> reasons = new TreeMap<>();
        retriesByReason.forEach((k, v) -> reasons.put(k, v.sum()));
        Map<String, Long> endpoints = new TreeMap<>();
        failedByEndpoint.forEach((k, v) -> endpoints.put(k.authority(), v.sum()));
        return new ServiceStats(service, requests.sum(), succeeded.sum(), failed.sum(), cancelled.sum(),
                attempts.sum(), failedAttempts.sum(), retries.sum(), requeues.sum(), budgetExhausted.sum(), reasons, endpoints);
    }
}
