package io.lb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Balancer;
import io.lb4j.testing.LoopbackBackend;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class MetricsExampleTest {

    @Test
    void exportsRequestRetryAndEndpointMeters() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (LoopbackBackend up = LoopbackBackend.start("up");
             LoopbackBackend down = LoopbackBackend.start("down");
             Balancer users = Balancer.builder("users").endpoints(up.endpoint(), down.endpoint()).build();
             MetricsExample metrics = new MetricsExample(users, HttpClient.newHttpClient(), registry)) {
            down.status(503);
            HttpRequest get = HttpRequest.newBuilder(URI.create("http://users/x")).build();
            for (int i = 0; i < 6; i++) {
                assertThat(metrics.client().send(get, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("up");
            }
            assertThat(registry.find("lb.requests").tag("service", "users").counters()
                    .stream().mapToDouble(c -> c.count()).sum()).as("requests counted").isEqualTo(6.0);
            assertThat(registry.find("lb.retries").tag("service", "users").counters()
                    .stream().mapToDouble(c -> c.count()).sum()).as("retries away from the 503s").isPositive();
            assertThat(registry.find("lb.endpoints").tag("service", "users").gauges()).isNotEmpty();
        }
    }
}
