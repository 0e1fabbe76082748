package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.testing.FakeScheduler;
import io.lb4j.testing.FakeTicker;
import io.lb4j.testing.ScriptedRandom;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The Micrometer meters a balancer binds with {@code meterRegistry(...)}, on a SimpleMeterRegistry. */
class BalancerMetersTest {

    private static final Endpoint A = Endpoint.parse("a:1");
    private static final Endpoint B = Endpoint.parse("b:2");
    private static final Endpoint C = Endpoint.parse("c:3");
    private static final Endpoint D = Endpoint.parse("d:4");

    private final FakeTicker ticker = new FakeTicker();
    private final FakeScheduler scheduler = new FakeScheduler(ticker);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SteeredStrategy strategy = new SteeredStrategy();

    private BalancerBuilder builder(Endpoint... endpoints) {
        return Balancer.builder("users").endpoints(endpoints).strategy(strategy).ticker(ticker).clock(ticker.clock())
                .random(new ScriptedRandom()).controlExecutor(Runnable::run).scheduler(scheduler)
                .reconnectPolicy(ReconnectPolicy.builder().jitter(0).check(e -> new CompletableFuture<>()).build())
                .meterRegistry(registry);
    }

    private double endpoints(String state) {
        return registry.get("lb4j.endpoints").tags("service", "users", "state", state).gauge().value();
    }

    private double outcomes(String outcome) {
        return registry.get("lb4j.outcomes").tags("service", "users", "outcome", outcome).counter().count();
    }

    private double endpointMeter(String name, Endpoint e) {
        Meter m = registry.get(name).tags("service", "users", "endpoint", e.authority()).meter();
        return m.measure().iterator().next().getValue();
    }

    @Test
    void countsEndpointsByStateAndOwnerPanicInFlightAndOutcomes() {
        Balancer b = builder(A, B, C, D).build();
        b.update(List.of(A, B, C, D.withWeight(0)));
        b.newExclusions("maintenance").exclude(A, "kernel upgrade");
        strategy.steer(B);
        b.pick().connectionFailure(new ConnectException("refused"));
        strategy.steer(C);
        b.pick().success();
        b.pick().failure(new IOException("boom"));
        b.pick().cancel();
        Selection open = b.pick();

        assertThat(endpoints("eligible")).isEqualTo(1);
        assertThat(endpoints("excluded")).isEqualTo(2);
        assertThat(endpoints("drained")).isEqualTo(1);
        assertThat(registry.get("lb4j.endpoints.excluded").tags("service", "users", "owner", "maintenance").gauge().value())
                .isEqualTo(1);
        assertThat(registry.get("lb4j.endpoints.excluded").tags("service", "users", "owner", "connection").gauge().value())
                .isEqualTo(1);
        assertThat(registry.get("lb4j.endpoints.excluded").tags("service", "users", "owner", "outlier-ejection").gauge().value())
                .as("built-in owners are gauged from the start").isZero();
        assertThat(registry.get("lb4j.panic").tag("service", "users").gauge().value()).as("1 of 3 is under half").isEqualTo(1);
        assertThat(registry.get("lb4j.in.flight").tag("service", "users").gauge().value()).isEqualTo(1);
        assertThat(outcomes("success")).isEqualTo(1);
        assertThat(outcomes("failure")).isEqualTo(1);
        assertThat(outcomes("connection_failure")).isEqualTo(1);
        assertThat(outcomes("cancelled")).isEqualTo(1);
        open.success();
        assertThat(outcomes("success")).isEqualTo(2);
        assertThat(registry.find("lb4j.endpoint.picks").meters()).as("per-endpoint meters are off by default").isEmpty();
        assertThat(registry.find("lb4j.source.list.size").meters()).as("no source").isEmpty();
    }

    @Test
    void gaugesFollowANewBalancerOfTheSameNameOnTheSameRegistry() {
        Balancer first = builder(A, B).build();
        first.newExclusions("maintenance").exclude(A, "x");
        assertThat(endpoints("eligible")).isEqualTo(1);

        // rebuilt without closing the first: the newest balancer's meters are the registered ones
        Balancer second = builder(A, B, C, D).build();
        assertThat(endpoints("eligible")).isEqualTo(4);
        assertThat(registry.find("lb4j.endpoints").tags("state", "eligible").gauges()).hasSize(1);
        first.close();
        assertThat(endpoints("eligible")).as("closing the old one leaves the new one's meters").isEqualTo(4);
        strategy.steer(A);
        second.pick().success();
        assertThat(outcomes("success")).isEqualTo(1);

        second.close();
        Balancer third = builder(A).build();
        assertThat(endpoints("eligible")).isEqualTo(1);
        third.close();
    }

    @Test
    void closeRemovesEveryMeterOfTheBalancer() {
        Balancer b = builder(A, B).perEndpointMeters(10).build();
        b.newExclusions("maintenance").exclude(A, "x");
        assertThat(registry.getMeters()).isNotEmpty();
        b.close();
        assertThat(registry.getMeters()).extracting(m -> m.getId().getName()).isEmpty();
    }

    @Test
    void perEndpointMetersReadTheLiveCountersUpToTheCapAndFollowTheList() {
        Balancer b = builder(A, B, C).perEndpointMeters(2).build();
        strategy.steer(A);
        Selection s = b.pick();
        ticker.advance(Duration.ofMillis(40));
        s.success();
        b.pick().failure(new IOException("boom"));
        Selection open = b.pick();
        b.pick().connectionFailure(new ConnectException("refused"));
        assertThat(endpointMeter("lb4j.endpoint.picks", A)).isEqualTo(4);
        assertThat(endpointMeter("lb4j.endpoint.in.flight", A)).isEqualTo(1);
        assertThat(registry.get("lb4j.endpoint.outcomes").tags("endpoint", "a:1", "outcome", "success").functionCounter().count())
                .isEqualTo(1);
        assertThat(registry.get("lb4j.endpoint.outcomes").tags("endpoint", "a:1", "outcome", "failure").functionCounter().count())
                .isEqualTo(1);
        assertThat(registry.get("lb4j.endpoint.outcomes").tags("endpoint", "a:1", "outcome", "connection_failure")
                .functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("lb4j.endpoint.latency").tags("endpoint", "a:1").gauge().value()).isEqualTo(0.04);
        assertThat(registry.get("lb4j.endpoint.latency").tags("endpoint", "b:2").gauge().value()).as("no sample").isNaN();
        assertThat(endpointMeter("lb4j.endpoint.eligible", A)).as("out after the connection failure").isZero();
        assertThat(endpointMeter("lb4j.endpoint.eligible", B)).isEqualTo(1);
        assertThat(registry.find("lb4j.endpoint.picks").tags("endpoint", "c:3").meters()).as("over the cap").isEmpty();
        assertThat(registry.get("lb4j.endpoint.meters.omitted").gauge().value()).isEqualTo(1);
        open.cancel();

        b.update(List.of(B, C, D)); // a leaves: its meters go, c takes the free place, d is over the cap
        assertThat(registry.find("lb4j.endpoint.picks").tags("endpoint", "a:1").meters()).isEmpty();
        assertThat(registry.find("lb4j.endpoint.picks").meters()).extracting(m -> m.getId().getTag("endpoint"))
                .containsExactlyInAnyOrder("b:2", "c:3");
        assertThat(registry.get("lb4j.endpoint.meters.omitted").gauge().value()).isEqualTo(1);

        b.update(List.of(A, B, C)); // a is back with a new live state: new meters, counts from 0
        assertThat(registry.find("lb4j.endpoint.picks").tags("endpoint", "a:1").meters()).isEmpty();
        b.update(List.of(B, A));
        assertThat(endpointMeter("lb4j.endpoint.picks", A)).isZero();
    }

    @Test
    void sourceErrorsAndTheLastListSizeAreMetered() {
        EndpointSource.Listener[] feed = new EndpointSource.Listener[1];
        EndpointSource source = new EndpointSource() {
            @Override
            public void start(Listener listener) {
                feed[0] = listener;
            }

            @Override
            public void close() {
            }
        };
        Balancer b = builder().source(source).build();
        assertThat(registry.get("lb4j.source.list.size").gauge().value()).as("no list yet").isNaN();
        feed[0].onEndpoints(List.of(A, B, C));
        assertThat(registry.get("lb4j.source.list.size").gauge().value()).isEqualTo(3);
        feed[0].onError(new IOException("down"));
        List<Endpoint> duplicates = new ArrayList<>(List.of(A, A));
        feed[0].onEndpoints(duplicates);
        assertThat(registry.get("lb4j.source.errors").functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("lb4j.source.list.size").gauge().value()).as("what the source said, even if rejected").isEqualTo(2);
        assertThat(b.endpoints()).containsExactly(A, B, C);
    }

    @Test
    void perEndpointMetersNeedARegistryAndABoundedCap() {
        assertThatThrownBy(() -> Balancer.builder("users").perEndpointMeters(5).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("perEndpointMeters(5) needs a meterRegistry(...)");
        assertThatThrownBy(() -> Balancer.builder("users").perEndpointMeters(1001))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("perEndpointMeters: 1001 (expected: 0-1000)");
        assertThatThrownBy(() -> Balancer.builder("users").perEndpointMeters(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("perEndpointMeters: -1 (expected: 0-1000)");
    }
}
