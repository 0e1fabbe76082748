package io.lb4j.config;

import static io.lb4j.config.Lb4jConfigTest.props;
import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.discovery.EtcdRegistration;
import io.lb4j.testing.Await;
import io.lb4j.testing.LoopbackBackend;
import io.lb4j.zookeeper.ZkOps;
import io.lb4j.zookeeper.ZooKeeperRegistration;
import io.lb4j.zookeeper.ZooKeeperServers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** discovery=zookeeper and registry=zookeeper through Lb4jRuntime, against a real ZooKeeper server. */
class ZooKeeperRuntimeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static ZooKeeperServers.Member zookeeper;
    static ZkOps ops;

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zookeeper = ZooKeeperServers.standalone(dir);
        ops = new ZkOps(zookeeper.address());
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        if (ops != null) {
            ops.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    @Test
    void anApplicationRegisteredInZooKeeperIsCalledByAnotherThroughDiscovery() throws Exception {
        try (LoopbackBackend self = LoopbackBackend.start("self")) {
            Lb4jRuntime serving = Lb4jRuntime.builder(Lb4jConfig.from(props(
                    "lb4j.zookeeper.connect-string", zookeeper.address(),
                    "lb4j.registration.enabled", "true",
                    "lb4j.registration.registry", "zookeeper",
                    "lb4j.registration.service", "users",
                    "lb4j.registration.host", "127.0.0.1",
                    "lb4j.registration.port", Integer.toString(self.port()),
                    "lb4j.registration.weight", "3",
                    "lb4j.registration.zone", "eu-1a",
                    "lb4j.registration.metadata.version", "42",
                    "lb4j.registration.drain-period", "0s",
                    "lb4j.registration.zookeeper.session-timeout", "5s",
                    "lb4j.registration.zookeeper.payload-class", "java.util.LinkedHashMap"))).build();
            InstanceRegistration registration = serving.registration().orElseThrow();
            registration.whenRegistered().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            String znode = "/services/users/127.0.0.1:" + self.port();
            assertThat(registration.registry()).isEqualTo(RegistrationConfig.Registry.ZOOKEEPER);
            assertThat(registration.location()).isEqualTo(znode);
            assertThat(registration.isRegistered()).isTrue();
            assertThat(registration.unwrap(ZooKeeperRegistration.class)).isPresent();
            assertThat(registration.unwrap(EtcdRegistration.class)).isEmpty();
            assertThat(ops.get(znode)).as("Curator's JSON, with the configured payload class and metadata")
                    .contains("\"address\":\"127.0.0.1\"", "\"port\":" + self.port(), "\"@class\":\"java.util.LinkedHashMap\"",
                            "\"version\":\"42\"", "\"zone\":\"eu-1a\"", "\"weight\":\"3\"");

            try (Lb4jRuntime calling = Lb4jRuntime.builder(Lb4jConfig.from(props(
                    "lb4j.zookeeper.connect-string", zookeeper.address(),
                    "lb4j.services.users.discovery", "zookeeper",
                    "lb4j.services.users.zookeeper.session-timeout", "5s"))).build()) {
                Balancer users = calling.balancer("users");
                Endpoint listed = Await.until(WAIT, "the registered instance to be discovered", users::endpoints, l -> !l.isEmpty()).get(0);
                assertThat(listed.authority()).isEqualTo("127.0.0.1:" + self.port());
                assertThat(listed.weight()).isEqualTo(3);
                assertThat(listed.zone()).contains("eu-1a");
                assertThat(listed.metadata()).containsEntry("version", "42");

                HttpResponse<String> r = calling.client().orElseThrow().send(
                        HttpRequest.newBuilder(URI.create("http://users/hello")).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("self");

                serving.close();
                assertThat(ops.get(znode)).as("the znode once close returned").isNull();
                assertThat(serving.registration()).isEmpty();
                Await.until(WAIT, "the callers' list to lose the instance", () -> users.endpoints().isEmpty());
            }
            Lb4jRuntimeTest.awaitNoLb4jThreads();
        }
    }

    @Test
    void aServicesBasePathAndSslPortComeFromTheConfiguration() throws Exception {
        try (LoopbackBackend tls = LoopbackBackend.start("tls-port")) {
            // an instance as Curator writes it, whose sslPort (not its port) is where the backend listens
            ops.put("/apps/payments/p-1", "{\"name\":\"payments\",\"id\":\"p-1\",\"address\":\"127.0.0.1\",\"port\":1,\"sslPort\":" + tls.port()
                    + ",\"payload\":null,\"registrationTimeUTC\":1700000000000,\"serviceType\":\"DYNAMIC\",\"uriSpec\":null,\"enabled\":true}");
            try (Lb4jRuntime calling = Lb4jRuntime.builder(Lb4jConfig.from(props(
                    "lb4j.zookeeper.connect-string", zookeeper.address(),
                    "lb4j.zookeeper.base-path", "/services-unused",
                    "lb4j.services.payments.discovery", "zookeeper",
                    "lb4j.services.payments.zookeeper.base-path", "/apps",
                    "lb4j.services.payments.zookeeper.ssl-port", "true"))).build()) {
                Balancer payments = calling.balancer("payments");
                assertThat(Await.until(WAIT, "the instance's sslPort", payments::endpoints, l -> !l.isEmpty()))
                        .containsExactly(Endpoint.of("127.0.0.1", tls.port()));
            }
        }
    }
}
