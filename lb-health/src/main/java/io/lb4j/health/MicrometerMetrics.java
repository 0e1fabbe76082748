package io.lb4j.health;

import io.lb4j.core.Balancer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The Micrometer meters of a health checker: probe results by kind. Counters hold no reference
 * to the checker, so a checker rebuilt for the service on the same registry counts on.
 */
final class MicrometerMetrics implements Metrics {

    private final Counter success;
    private final Counter failure;
    private final Counter timeout;

    private MicrometerMetrics(MeterRegistry registry, Balancer balancer) {
        String service = balancer.service();
        success = checks(registry, service, "success");
        failure = checks(registry, service, "failure");
        timeout = checks(registry, service, "timeout");
    }

    static Metrics bind(Object registry, Balancer balancer) {
        if (!(registry instanceof MeterRegistry)) {
            throw new IllegalArgumentException("meterRegistry: " + registry + " (expected: a Micrometer MeterRegistry)");
        }
        return new MicrometerMetrics((MeterRegistry) registry, balancer);
    }

    private static Counter checks(MeterRegistry registry, String service, String result) {
        return Counter.builder("lb4j.health.checks")
                .description("active health probes by result")
                .tags("service", service, "result", result)
                .register(registry);
    }

    @Override
    public void check(String result) {
        switch (result) {
            case "success":
                success.increment();
                break;
            case "timeout":
                timeout.increment();
                break;
            default:
                failure.increment();
        }
    }
}
