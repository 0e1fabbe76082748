package io.lb4j.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The Micrometer binding of one service. Loaded only when the user passed a MeterRegistry:
 * nothing else in this module names a Micrometer type in a method body.
 */
final class MicrometerRecorder implements CallRecorder {
    private final MeterRegistry registry;
    private final String service;
    private final Counter budgetExhausted;
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> retries = new ConcurrentHashMap<>();

    private MicrometerRecorder(MeterRegistry registry, String service) {
        this.registry = registry;
        this.service = service;
        this.budgetExhausted = Counter.builder("lb4j.retry.budget.exhausted")
                .description("Retries refused because the service's retry budget was spent")
                .tag("service", service).register(registry);
        for (String outcome : new String[] {SUCCESS, SERVER_ERROR, FAILURE, CANCELLED}) {
            requests(outcome);
            duration(outcome);
        }
    }

    /** {@code registry} is typed Object so that callers need not load MeterRegistry to pass it on. */
    static CallRecorder create(Object registry, String service) {
        return new MicrometerRecorder((MeterRegistry) registry, service);
    }

    private Counter requests(String outcome) {
        return requests.computeIfAbsent(outcome, o -> Counter.builder("lb4j.requests")
                .description("Calls through the load-balanced HTTP client, by outcome")
                .tags("service", service, "outcome", o).register(registry));
    }

    private Timer duration(String outcome) {
        return durations.computeIfAbsent(outcome, o -> Timer.builder("lb4j.request.duration")
                .description("Duration of calls, retries and backoff included")
                .tags("service", service, "outcome", o).register(registry));
    }

    @Override
    public void retried(String reason) {
        retries.computeIfAbsent(reason, r -> Counter.builder("lb4j.retries")
                .description("Retries, by reason")
                .tags("service", service, "reason", r).register(registry)).increment();
    }

    @Override
    public void budgetExhausted() {
        budgetExhausted.increment();
    }

    @Override
    public void finished(String outcome, long nanos) {
        requests(outcome).increment();
        duration(outcome).record(nanos, TimeUnit.NANOSECONDS);
    }
}
