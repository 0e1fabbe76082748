package io.lb4j.health;

import io.lb4j.core.Balancer;
import io.lb4j.core.Snapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToIntFunction;

/**
 * The Micrometer meters of one balancer. Gauges read the balancer's current snapshot and hold it
 * weakly (Micrometer's default); a checker and a detector of one balancer share them.
 */
final class MicrometerMetrics implements Metrics {

    private final Counter success;
    private final Counter failure;
    private final Counter timeout;
    private final Counter ejections;

    private MicrometerMetrics(MeterRegistry registry, Balancer balancer) {
        String service = balancer.service();
        endpointGauge(registry, balancer, "healthy", s -> s.members().size() - s.excludedCount());
        endpointGauge(registry, balancer, "unhealthy", s -> s.excludedCountByOwner().getOrDefault(DefaultHealthChecker.OWNER, 0));
        endpointGauge(registry, balancer, "ejected", s -> s.excludedCountByOwner().getOrDefault("outlier-ejection", 0));
        if (registry.find("lb.panic").tag("service", service).gauge() == null) {
            Gauge.builder("lb.panic", balancer, b -> b.inPanic() ? 1 : 0)
                    .description("1 while the balancer picks among all endpoints because too few are eligible")
                    .tag("service", service)
                    .register(registry);
        }
        success = checks(registry, service, "success");
        failure = checks(registry, service, "failure");
        timeout = checks(registry, service, "timeout");
        ejections = Counter.builder("lb.ejections")
                .description("endpoints ejected by passive outlier detection")
                .tag("service", service)
                .register(registry);
    }

    static Metrics bind(Object registry, Balancer balancer) {
        if (!(registry instanceof MeterRegistry)) {
            throw new IllegalArgumentException("meterRegistry: " + registry + " (expected: a Micrometer MeterRegistry)");
        }
        return new MicrometerMetrics((MeterRegistry) registry, balancer);
    }

    private static void endpointGauge(MeterRegistry registry, Balancer balancer, String state,
                                      ToIntFunction<Snapshot> counted) {
        if (registry.find("lb.endpoints").tags("service", balancer.service(), "state", state).gauge() != null) {
            return; // the checker and the detector of one balancer share these
        }
        Gauge.builder("lb.endpoints", balancer, b -> counted.applyAsInt(b.snapshot()))
                .description("known endpoints by state: healthy (no exclusion), unhealthy (failing active checks), ejected (by outlier ejection)")
                .tags("service", balancer.service(), "state", state)
                .register(registry);
    }

    private static Counter checks(MeterRegistry registry, String service, String result) {
        return Counter.builder("lb.health.checks")
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

    @Override
    public void ejection() {
        ejections.increment();
    }
}
