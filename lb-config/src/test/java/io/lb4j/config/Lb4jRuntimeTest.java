package io.lb4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.discovery.EtcdSource;
import io.lb4j.discovery.RealServers;
import io.lb4j.health.HealthState;
import io.lb4j.testing.LoopbackBackend;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lb4jRuntime against real loopback backends and a real etcd. */
class Lb4jRuntimeTest {

    private final List<LoopbackBackend> backends = new ArrayList<>();

    @AfterEach
    void stopBackends() {
        backends.forEach(LoopbackBackend::close);
    }

    private String startBackends(int n) throws Exception {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            LoopbackBackend b = LoopbackBackend.start("b" + i);
            backends.add(b);
            addresses.add(b.endpoint().authority());
        }
        return String.join(",", addresses);
    }

    /** The backend that took the last call: the one whose count is highest (each is called at most once per round). */
    private String answered() {
        LoopbackBackend top = backends.get(0);
        for (LoopbackBackend b : backends) {
            if (b.requestCount() > top.requestCount()) {
                top = b;
            }
        }
        String name = top.name();
        backends.forEach(LoopbackBackend::resetCounts);
        return name;
    }

    private static HttpResponse<String> get(HttpClient client, String uri) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void runsTheDescriptionAndClosesEverythingInOrder() throws Exception {
        Lb4jConfig config = Lb4jConfig.from(Lb4jConfigTest.props(
                "lb4j.services.users.endpoints", startBackends(3),
                "lb4j.services.users.health.path", LoopbackBackend.HEALTH_PATH,
                "lb4j.services.users.health.interval", "200ms",
                "lb4j.services.users.retry.max-attempts", "3"));
        Lb4jRuntime lb = Lb4jRuntime.builder(config).build();
        Balancer users = lb.balancer("users");
        assertThat(users.endpoints()).hasSize(3);
        await("every endpoint probed healthy", () -> lb.healthChecker("users").orElseThrow().states().values().stream()
                .filter(s -> s == HealthState.HEALTHY).count() == 3);
        assertThat(lb.outlierDetector("users")).isPresent();

        HttpClient client = lb.client().orElseThrow();
        Set<String> firstThree = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            assertThat(get(client, "http://users/hello").statusCode()).isEqualTo(200);
            if (i < 3) {
                firstThree.add(answered());
            }
        }
        assertThat(firstThree).as("round-robin reaches the three in turn").hasSize(3);
        assertThat(backends).allSatisfy(b -> assertThat(b.requestCount()).isEqualTo(1));

        lb.close();
        assertThatThrownBy(users::pick).isInstanceOf(IllegalStateException.class);
        assertThat(lb.healthChecker("users").orElseThrow().states()).isEmpty();
        lb.close(); // idempotent
        awaitNoLb4jThreads();
    }

    @Test
    void aSwitchedOffConfigurationIsNotRun() {
        Lb4jConfig config = Lb4jConfig.from(Lb4jConfigTest.props("lb4j.services.users.endpoints", "127.0.0.1:1", "lb4j.enabled", "false"));
        assertThat(config.enabled()).isFalse();
        assertThatThrownBy(() -> Lb4jRuntime.builder(config).build()).hasMessage("lb4j.enabled is false");
    }

    @Test
    void registersInEtcdAndRevokesFirstOnClose(@TempDir Path dir) throws Exception {
        try (RealServers.Etcd etcd = RealServers.Etcd.start(dir)) {
            LoopbackBackend self = LoopbackBackend.start("self");
            backends.add(self);
            Lb4jConfig config = Lb4jConfig.from(Lb4jConfigTest.props(
                    "lb4j.etcd.endpoints", etcd.url(),
                    "lb4j.services.users.endpoints", startBackends(1),
                    "lb4j.registration.enabled", "true",
                    "lb4j.registration.service", "orders",
                    "lb4j.registration.host", "127.0.0.1",
                    "lb4j.registration.ttl", "5s",
                    "lb4j.registration.drain-period", "0s",
                    "lb4j.registration.health-path", "/healthz"));
            Lb4jRuntime lb = Lb4jRuntime.builder(config).build();
            assertThat(lb.registration()).as("no port configured: nothing registered yet").isEmpty();
            lb.register(self.port());
            assertThatThrownBy(() -> lb.register(self.port())).hasMessageStartingWith("already registered as /services/orders/127.0.0.1:");

            try (Balancer orders = Balancer.builder("orders").source(EtcdSource.builder("orders").endpoints(etcd.url()).build()).build()) {
                await("the registration is discovered", () -> orders.endpoints().contains(Endpoint.of("127.0.0.1", self.port())));
                assertThat(orders.endpoints().get(0).metadata()).isEqualTo(Map.of("health-path", "/healthz"));
                lb.close();
                await("the key is gone after close", () -> orders.endpoints().isEmpty());
                assertThat(lb.registration()).isEmpty();
            }
            awaitNoLb4jThreads();
        }
    }

    @Test
    void perEndpointMetersHostHeaderAndRequestKeysReachWhatTheRuntimeBuilds() throws Exception {
        List<String> hosts = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            hosts.add(exchange.getRequestHeaders().getFirst("Host"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        String address = "127.0.0.1:" + server.getAddress().getPort();
        try {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (Lb4jRuntime lb = Lb4jRuntime.builder(Lb4jConfig.from(Lb4jConfigTest.props(
                    "lb4j.services.users.endpoints", address,
                    "lb4j.services.users.metrics.per-endpoint-meters", "5",
                    "lb4j.http.service-host-header", "false"))).meterRegistry(registry).build()) {
                assertThat(get(lb.client().orElseThrow(), "http://users/x").statusCode()).isEqualTo(200);
                assertThat(registry.find("lb4j.endpoint.picks").tags("service", "users", "endpoint", address).functionCounter())
                        .as("a per-endpoint meter").isNotNull();
            }
            try (Lb4jRuntime lb = Lb4jRuntime.builder(Lb4jConfig.from(Lb4jConfigTest.props(
                    "lb4j.services.users.endpoints", address))).meterRegistry(new SimpleMeterRegistry()).build()) {
                assertThat(get(lb.client().orElseThrow(), "http://users/x").statusCode()).isEqualTo(200);
            }
            assertThat(hosts).as("service-host-header=false: the endpoint's address; by default the service name")
                    .containsExactly(address, "users");
        } finally {
            server.stop(0);
        }
        SimpleMeterRegistry none = new SimpleMeterRegistry();
        try (Lb4jRuntime lb = Lb4jRuntime.builder(Lb4jConfig.from(Lb4jConfigTest.props(
                "lb4j.services.users.endpoints", startBackends(3),
                "lb4j.services.users.strategy", "consistent-hash",
                "lb4j.http.hash-key-header", "X-User"))).meterRegistry(none).build()) {
            for (int i = 0; i < 12; i++) {
                HttpRequest r = HttpRequest.newBuilder(URI.create("http://users/cart/" + i)).header("X-User", "ann").timeout(Duration.ofSeconds(10)).build();
                assertThat(lb.client().orElseThrow().send(r, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            }
            assertThat(backends).as("one key, one endpoint").filteredOn(b -> b.requestCount() > 0).hasSize(1);
            assertThat(none.find("lb4j.endpoint.picks").functionCounters()).as("no per-endpoint meters unless configured").isEmpty();
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(20); // a poll step against real sockets, not a wait for a schedule
        }
    }

    /** lb-core's shared pools end a few seconds after their last use: poll with a deadline. */
    static void awaitNoLb4jThreads() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<String> left = new ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.isAlive() && t.getName().startsWith("lb4j-")) {
                    left.add(t.getName());
                }
            }
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("lb4j threads still alive 30 s after close: " + left);
            }
            Thread.sleep(50);
        }
    }
}
