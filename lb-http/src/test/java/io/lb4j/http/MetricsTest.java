package io.lb4j.http;

import static io.lb4j.http.Fixtures.backends;
import static io.lb4j.http.Fixtures.balancer;
import static io.lb4j.http.Fixtures.closeAll;
import static io.lb4j.http.Fixtures.get;
import static io.lb4j.http.Fixtures.newDelegate;
import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.testing.LoopbackBackend;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricsTest {

    /** The busy backend keeps answering 503 on purpose: the built-in ejection would take it out after 5. */
    private static io.lb4j.core.Balancer withoutEjection(String service, LoopbackBackend... backends) {
        java.util.List<io.lb4j.core.Endpoint> endpoints = new java.util.ArrayList<>();
        for (LoopbackBackend backend : backends) {
            endpoints.add(backend.endpoint());
        }
        return io.lb4j.core.Balancer.builder(service).endpoints(endpoints).random(io.lb4j.testing.ScriptedRandom.zeros())
                .outlierEjection(io.lb4j.core.OutlierEjection.disabled()).build();
    }

    @Test
    void publishesRequestsDurationRetriesAndBudgetExhaustionPerService() throws Exception {
        LoopbackBackend[] b = backends("busy", "free");
        b[0].status(503);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RetryPolicy policy = RetryPolicy.builder().backoff(Duration.ZERO, Duration.ZERO)
                .budget(RetryBudget.of(0, Duration.ofSeconds(10), 1)).build();
        try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder(newDelegate())
                .service(withoutEjection("users", b), policy).meterRegistry(registry).build()) {
            // round-robin: 20 of the 40 first attempts meet the 503, more than the budget's 10 retries
            for (int i = 0; i < 40; i++) {
                client.send(get("http://users/x"), BodyHandlers.discarding());
            }

            ServiceStats stats = client.stats("users");
            assertThat(stats.retries()).isEqualTo(10); // the reserve: 1 per second of a 10 s window
            assertThat(registry.get("lb4j.retries").tags("service", "users", "reason", "status_503").counter().count())
                    .isEqualTo(10);
            assertThat(registry.get("lb4j.retry.budget.exhausted").tag("service", "users").counter().count())
                    .isEqualTo(stats.budgetExhausted()).isPositive();
            assertThat(registry.get("lb4j.requests").tags("service", "users", "outcome", "success").counter().count())
                    .isEqualTo(stats.succeeded());
            assertThat(registry.get("lb4j.requests").tags("service", "users", "outcome", "server_error").counter().count())
                    .isEqualTo(stats.failed()).isPositive();
            assertThat(registry.get("lb4j.request.duration").tags("service", "users", "outcome", "success").timer().count())
                    .isEqualTo(stats.succeeded());
            assertThat(stats.succeeded() + stats.failed()).isEqualTo(40);
        } finally {
            closeAll(b);
        }
    }
}
