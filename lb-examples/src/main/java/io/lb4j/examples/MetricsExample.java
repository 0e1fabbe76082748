package io.lb4j.examples;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.health.HealthChecker;
import io.lb4j.health.Probe;
import io.lb4j.http.LoadBalancedHttpClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

/**
 * Example: exporting lb4j's meters. Hand the same {@link MeterRegistry} (Prometheus, OTLP,
 * or any other) to each part; without a registry, no Micrometer class is even loaded. Every
 * meter and its tags are listed in docs/metrics.md.
 * <ul>
 *   <li>balancer: {@code lb4j.endpoints{service,state}}, {@code lb4j.endpoints.excluded{service,owner}},
 *       {@code lb4j.panic}, {@code lb4j.in.flight}, {@code lb4j.outcomes{service,outcome}},
 *       {@code lb4j.ejections}, and with {@code perEndpointMeters} the {@code lb4j.endpoint.*}
 *       meters tagged {@code endpoint}</li>
 *   <li>health checker: {@code lb4j.health.checks{service,result}}</li>
 *   <li>http: {@code lb4j.requests{service,outcome}}, {@code lb4j.request.duration{service,outcome}},
 *       {@code lb4j.retries{service,reason}}, {@code lb4j.retry.budget.exhausted{service}}</li>
 * </ul>
 * Tested in MetricsExampleTest.
 */
public final class MetricsExample implements AutoCloseable {
    private final Balancer balancer;
    private final HealthChecker health;
    private final LoadBalancedHttpClient client;

    public MetricsExample(List<Endpoint> users, HttpClient http, MeterRegistry registry) {
        this.balancer = Balancer.builder("users")
                .endpoints(users)
                .meterRegistry(registry)
                .perEndpointMeters(20)            // at most 20 endpoints get lb4j.endpoint.* meters
                .build();
        this.health = HealthChecker.builder(balancer)
                .probe(Probe.http("/healthz"))
                .interval(Duration.ofSeconds(5))
                .meterRegistry(registry)
                .build();
        this.client = LoadBalancedHttpClient.builder(http)
                .service(balancer)
                .meterRegistry(registry)
                .build();
        health.start();
    }

    public LoadBalancedHttpClient client() {
        return client;
    }

    public Balancer balancer() {
        return balancer;
    }

    /** Closes the checker and the balancer; the balancer's meters leave the registry with it. */
    @Override
    public void close() {
        health.close();
        balancer.close();
    }
}
