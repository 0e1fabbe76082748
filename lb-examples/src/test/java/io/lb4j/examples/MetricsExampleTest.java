package io.lb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Balancer;
import io.lb4j.testing.LoopbackBackend;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsExampleTest {

    @Test
    void exportsRequestRetryBalancerAndPerEndpointMetersAndRemovesTheBalancersOnClose() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (LoopbackBackend up = LoopbackBackend.start("up");
             LoopbackBackend down = LoopbackBackend.start("down")) {
            try (MetricsExample metrics = new MetricsExample(List.of(up.endpoint(), down.endpoint()),
                    HttpClient.newHttpClient(), registry)) {
                down.status(503);
                HttpRequest get = HttpRequest.newBuilder(URI.create("http://users/x")).build();
                for (int i = 0; i < 6; i++) {
                    assertThat(metrics.client().send(get, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("up");
                }
                assertThat(registry.find("lb4j.requests").tag("service", "users").counters()
                        .stream().mapToDouble(c -> c.count()).sum()).as("requests counted").isEqualTo(6.0);
                assertThat(registry.find("lb4j.retries").tag("service", "users").counters()
                        .stream().mapToDouble(c -> c.count()).sum()).as("retries away from the 503s").isPositive();
                double eligible = registry.get("lb4j.endpoints").tags("service", "users", "state", "eligible").gauge().value();
                double excluded = registry.get("lb4j.endpoints").tags("service", "users", "state", "excluded").gauge().value();
                assertThat(eligible + excluded).as("the 503s may have ejected 'down'").isEqualTo(2);
                assertThat(eligible).isPositive();
                assertThat(registry.get("lb4j.endpoint.outcomes")
                        .tags("service", "users", "endpoint", up.endpoint().authority(), "outcome", "success")
                        .functionCounter().count()).isEqualTo(6);
                assertThat(registry.get("lb4j.endpoint.outcomes")
                        .tags("service", "users", "endpoint", down.endpoint().authority(), "outcome", "failure")
                        .functionCounter().count()).as("503s judged failures").isPositive();
            }
            assertThat(registry.find("lb4j.endpoints").meters()).as("removed with the balancer").isEmpty();
            assertThat(registry.find("lb4j.endpoint.picks").meters()).isEmpty();
        }
    }
}
