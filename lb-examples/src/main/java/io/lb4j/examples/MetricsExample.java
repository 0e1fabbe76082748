package io.lb4j.examples;

import io.lb4j.core.Balancer;
import io.lb4j.health.HealthChecker;
import io.lb4j.health.OutlierDetector;
import io.lb4j.health.Probe;
import io.lb4j.http.LoadBalancedHttpClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * Example: exporting lb4j's meters. Hand the same {@link MeterRegistry} (Prometheus, OTLP,
 * or any other) to each part; without a registry, no Micrometer class is even loaded.
 * <ul>
 *   <li>health: {@code lb.endpoints{service,state}}, {@code lb.health.checks{service,result}},
 *       {@code lb.ejections{service}}, {@code lb.panic{service}}</li>
 *   <li>http: {@code lb.requests{service,outcome}}, {@code lb.request.duration{service}},
 *       {@code lb.retries{service,reason}}, {@code lb.retry.budget.exhausted{service}}</li>
 * </ul>
 * Tested in MetricsExampleTest.
 */
public final class MetricsExample implements AutoCloseable {
    private final HealthChecker health;
    private final OutlierDetector outliers;
    private final LoadBalancedHttpClient client;

    public MetricsExample(Balancer balancer, HttpClient http, MeterRegistry registry) {
        this.health = HealthChecker.builder(balancer)
                .probe(Probe.http("/healthz"))
                .interval(Duration.ofSeconds(5))
                .meterRegistry(registry)
                .build();
        this.outliers = OutlierDetector.builder(balancer).meterRegistry(registry).build();
        this.client = LoadBalancedHttpClient.builder(http)
                .service(balancer)
                .meterRegistry(registry)
                .build();
        health.start();
    }

    public LoadBalancedHttpClient client() {
        return client;
    }

    @Override
    public void close() {
        outliers.close();
        health.close();
    }
}
