package io.lb4j.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.Selection;
import io.lb4j.health.ScriptedProbe.Mode;
import io.lb4j.testing.FakeScheduler;
import io.lb4j.testing.FakeTicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private final FakeTicker ticker = new FakeTicker();
    private final FakeScheduler scheduler = new FakeScheduler(ticker);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Endpoint a = Endpoint.of("10.0.0.1", 80);
    private final Endpoint b = Endpoint.of("10.0.0.2", 80);
    private final Endpoint c = Endpoint.of("10.0.0.3", 80);
    private final Endpoint d = Endpoint.of("10.0.0.4", 80);
    private final Balancer balancer = Balancer.builder("users").endpoints(List.of(a, b, c, d)).ticker(ticker)
            .controlExecutor(Runnable::run).scheduler(scheduler).build();
    private final ScriptedProbe probe = new ScriptedProbe(ticker).set(b, Mode.FAIL).set(d, Mode.HANG);
    private HealthChecker checker;
    private OutlierDetector detector;

    @AfterEach
    void tearDown() {
        detector.close();
        checker.close();
        balancer.close();
    }

    private double endpoints(String state) {
        return registry.get("lb.endpoints").tags("service", "users", "state", state).gauge().value();
    }

    private double checks(String result) {
        return registry.get("lb.health.checks").tags("service", "users", "result", result).counter().count();
    }

    @Test
    void countsEndpointsByStateChecksByResultEjectionsAndPanic() {
        checker = HealthChecker.builder(balancer).probe(probe).timeout(Duration.ofSeconds(1)).jitter(0)
                .scheduler(scheduler).ticker(ticker).meterRegistry(registry).build().start();
        detector = OutlierDetector.builder(balancer).consecutiveFailures(1).maxEjectionPercent(50)
                .meterRegistry(registry).build();
        scheduler.runDueTasks();
        assertThat(endpoints("healthy")).isEqualTo(3);
        assertThat(endpoints("unhealthy")).isEqualTo(1);
        assertThat(endpoints("ejected")).isZero();
        assertThat(registry.get("lb.panic").tag("service", "users").gauge().value()).isZero();

        pickOf(a).failure(new IOException("reset"));
        scheduler.advance(Duration.ofSeconds(1)); // d's probe times out
        assertThat(endpoints("healthy")).isEqualTo(1);
        assertThat(endpoints("unhealthy")).isEqualTo(2);
        assertThat(endpoints("ejected")).isEqualTo(1);
        assertThat(registry.get("lb.panic").tag("service", "users").gauge().value()).isEqualTo(1);
        assertThat(checks("success")).isEqualTo(2);
        assertThat(checks("failure")).isEqualTo(1);
        assertThat(checks("timeout")).isEqualTo(1);
        assertThat(registry.get("lb.ejections").tag("service", "users").counter().count()).isEqualTo(1);
    }

    private Selection pickOf(Endpoint e) {
        return Balancers.pickOf(balancer, e);
    }
}
