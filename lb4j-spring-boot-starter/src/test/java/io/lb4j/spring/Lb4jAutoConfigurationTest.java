package io.lb4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.config.Lb4jRuntime;
import io.lb4j.health.HealthState;
import io.lb4j.http.LoadBalancedHttpClient;
import io.lb4j.testing.LoopbackBackend;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * A real Spring Boot context (no web server) whose application.yml names three loopback backends:
 * RestClient and RestTemplate calls to http://users/... are balanced, and survive a stopped backend.
 * One context for every test of the class.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class Lb4jAutoConfigurationTest {

    private static final TestBackends BACKENDS = new TestBackends();

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) throws IOException {
        BACKENDS.start(registry, 3);
    }

    @AfterAll
    static void stopBackends() {
        BACKENDS.close();
    }

    @Autowired
    RestClient.Builder restClientBuilder;

    @Autowired
    RestTemplateBuilder restTemplateBuilder;

    @Autowired
    Lb4jRuntime runtime;

    @Autowired
    LoadBalancedHttpClient client;

    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void allRunningAndHealthy() throws Exception {
        for (LoopbackBackend b : BACKENDS.all()) {
            if (!b.isRunning()) {
                b.restart();
            }
        }
        await("three healthy endpoints", () -> runtime.balancer("users").snapshot().eligible().size() == 3
                && runtime.healthChecker("users").orElseThrow().states().values().stream().allMatch(s -> s == HealthState.HEALTHY));
        BACKENDS.all().forEach(LoopbackBackend::resetCounts);
    }

    @Test
    void restClientCallsReachTheBackendsInTurn() {
        RestClient rest = restClientBuilder.build();
        Set<String> firstRound = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            firstRound.add(rest.get().uri("http://users/hello").retrieve().body(String.class));
        }
        assertThat(firstRound).containsExactlyInAnyOrder("b0", "b1", "b2");
        for (int i = 0; i < 3; i++) {
            rest.get().uri("http://users/hello").retrieve().body(String.class);
        }
        assertThat(BACKENDS.all()).allSatisfy(b -> assertThat(b.requestCount()).isEqualTo(2));
        assertThat(client.stats("users").requests()).isGreaterThanOrEqualTo(6);
        assertThat(meters.find("lb4j.requests").tag("service", "users").counters()).as("lb-http's meters in the application's registry").isNotEmpty();
    }

    @Test
    void restTemplateCallsAreBalancedToo() {
        var template = restTemplateBuilder.build();
        Set<String> answers = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            answers.add(template.getForObject("http://users/hello", String.class));
        }
        assertThat(answers).containsExactlyInAnyOrder("b0", "b1", "b2");
    }

    @Test
    void aStoppedBackendCostsTheCallersNothing() {
        RestClient rest = restClientBuilder.build();
        BACKENDS.get(1).stop();
        List<String> failures = new ArrayList<>();
        Set<String> answered = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            try {
                answered.add(rest.get().uri("http://users/hello").retrieve().body(String.class));
            } catch (RuntimeException e) {
                failures.add(e.toString());
            }
        }
        assertThat(failures).as("caller-visible failures").isEmpty();
        assertThat(answered).containsExactlyInAnyOrder("b0", "b2");
    }

    @Test
    void otherHostsPassThroughUnbalanced() {
        LoopbackBackend direct = BACKENDS.get(2);
        long before = client.stats("users").requests();
        String body = restClientBuilder.build().get().uri("http://127.0.0.1:" + direct.port() + "/x").retrieve().body(String.class);
        assertThat(body).isEqualTo("b2");
        assertThat(client.stats("users").requests()).isEqualTo(before);
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 30 s: " + what);
            }
            try {
                Thread.sleep(20); // a poll step against real sockets, not a wait for a schedule
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new IOException(e));
            }
        }
    }
}
