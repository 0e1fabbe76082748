package io.lb4j.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.Selection;
import io.lb4j.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZooKeeperRegistrationTest extends ZooKeeperTestBase {
    private static final Duration WAIT = Duration.ofSeconds(20);







    private DefaultZooKeeperRegistration register(ZooKeeperRegistration.Builder b) throws Exception {
        DefaultZooKeeperRegistration r = (DefaultZooKeeperRegistration) closing(b.connectString(server.address()).register());
        r.whenRegistered().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return r;
    }

    @Test
    void registersAnEphemeralZnodeInCuratorLayoutUnderContainers() throws Exception {
        Endpoint e = Endpoint.builder("127.0.0.1", 9001).weight(3).zone("eu-1a").metadata("version", "42").build();
        DefaultZooKeeperRegistration r = register(ZooKeeperRegistration.builder("layout", e).drainPeriod(Duration.ZERO));

        assertThat(r.path()).isEqualTo("/services/layout/127.0.0.1:9001");
        assertThat(r.isRegistered()).isTrue();
        JsonNode json = CuratorInstance.MAPPER.readTree(ops.get(r.path()));
        assertThat(json.path("name").asText()).isEqualTo("layout");
        assertThat(json.path("id").asText()).isEqualTo("127.0.0.1:9001");
        assertThat(json.path("address").asText()).isEqualTo("127.0.0.1");
        assertThat(json.path("port").asInt()).isEqualTo(9001);
        assertThat(json.path("serviceType").asText()).isEqualTo("DYNAMIC");
        assertThat(json.path("enabled").asBoolean()).isTrue();
        assertThat(json.path("payload").path("@class").asText()).isEqualTo(ZooKeeperRegistration.SPRING_CLOUD_PAYLOAD);
        assertThat(json.path("payload").path("metadata").toString())
                .isEqualTo("{\"version\":\"42\",\"weight\":\"3\",\"zone\":\"eu-1a\"}");
        assertThat(ops.stat(r.path()).getEphemeralOwner()).isEqualTo(r.sessionCredentials()[0]);
        assertThat(ops.stat("/services/layout")).isNotNull();

        r.close(); // no drain period: deleted at once
        assertThat(ops.stat(r.path())).isNull();
        assertThat(r.isRegistered()).isFalse();
        // the service znode was a container: the server removes it once empty, as it does Curator's
        Await.until(WAIT, "the empty container to go", () -> {
            try {
                return ops.stat("/services/layout") == null;
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        });
    }

    @Test
    void anExpiredSessionRegistersAgain() throws Exception {
        DefaultZooKeeperRegistration r = register(ZooKeeperRegistration.builder("expiry", Endpoint.of("127.0.0.1", 9002))
                .sessionTimeout(Duration.ofSeconds(10)));
        Object[] first = r.sessionCredentials();

        ops.expire(first);

        Stat stat = Await.until(WAIT, "the znode on a new session", () -> {
            try {
                return ops.stat(r.path());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, s -> s != null && s.getEphemeralOwner() != (Long) first[0]);
        Await.until(WAIT, "registered again", r::isRegistered);
        assertThat(stat.getEphemeralOwner()).isEqualTo(r.sessionCredentials()[0]);
    }

    @Test
    void aZnodeDeletedByHandIsCreatedAgain() throws Exception {
        DefaultZooKeeperRegistration r = register(ZooKeeperRegistration.builder("byhand", Endpoint.of("127.0.0.1", 9003)));
        long session = ops.stat(r.path()).getEphemeralOwner();

        ops.delete(r.path());

        Stat stat = Await.until(WAIT, "the znode back", () -> {
            try {
                return ops.stat(r.path());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, s -> s != null);
        assertThat(stat.getEphemeralOwner()).isEqualTo(session);
    }

    @Test
    void replacesTheStaleZnodeOfAnEarlierSession() throws Exception {
        try (ZkOps earlier = new ZkOps(server.address())) {
            earlier.ephemeral("/services/stale/127.0.0.1:9004", ZkOps.json("127.0.0.1:9004", "127.0.0.1", 9004, true, "old", "yes"));

            DefaultZooKeeperRegistration r = register(ZooKeeperRegistration.builder("stale", Endpoint.of("127.0.0.1", 9004)));

            assertThat(ops.stat(r.path()).getEphemeralOwner()).isEqualTo(r.sessionCredentials()[0]).isNotEqualTo(earlier.sessionId());
            assertThat(ops.get(r.path())).doesNotContain("\"old\"");
        }
    }

    @Test
    void closeDrainsThenDeletesSoThatCallersLeaveBeforeTheInstanceGoes() throws Exception {
        DefaultZooKeeperRegistration a = register(ZooKeeperRegistration.builder("drain", Endpoint.of("127.0.0.1", 9011)));
        register(ZooKeeperRegistration.builder("drain", Endpoint.of("127.0.0.1", 9012)));
        Balancer b = closing(Balancer.builder("drain").source(ZooKeeperSource.builder("drain").connectString(server.address()).build()).build());
        Await.until(WAIT, "both instances", () -> b.endpoints().size(), n -> n == 2);

        long start = System.nanoTime();
        CompletableFuture<Void> closed = CompletableFuture.runAsync(a::close); // the default drain period, 3 s

        Await.until(WAIT, "the draining instance at weight 0", () -> b.endpoints().stream()
                .filter(e -> e.port() == 9011).map(Endpoint::weight).findFirst().orElse(-1), w -> w == 0);
        assertThat(ops.get(a.path())).as("still registered while draining").contains("\"enabled\":false").contains("OUT_OF_SERVICE");
        for (int i = 0; i < 20; i++) {
            Selection s = b.pick();
            assertThat(s.endpoint().port()).isEqualTo(9012);
            s.success();
        }
        assertThat(closed).isNotDone();

        closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(ops.stat(a.path())).isNull();
        Await.until(WAIT, "the drained instance gone", () -> b.endpoints().size(), n -> n == 1);
    }

    @Test
    void closeWithoutAServerFailsAPendingWhenRegisteredAndStopsItsThreads() {
        int dead = ZooKeeperServers.freePort();
        ZooKeeperRegistration r = ZooKeeperRegistration.builder("never", Endpoint.of("127.0.0.1", 9021))
                .connectString("127.0.0.1:" + dead).register();
        Await.until(WAIT, "its threads", () -> Await.threads("lb4j-zk-reg-127.0.0.1:9021").size() >= 2);

        r.close();

        assertThat(r.whenRegistered()).isCompletedExceptionally();
        Await.until(WAIT, "threads to stop", () -> Await.threads("lb4j-zk-reg-127.0.0.1:9021").isEmpty());
    }

    @Test
    void builderRejectsBadValuesNamingThem() {
        Endpoint e = Endpoint.of("127.0.0.1", 80);
        assertThatThrownBy(() -> ZooKeeperRegistration.builder("u", e).id("a/b"))
                .hasMessage("id: 'a/b' (expected: not blank, no '/', not . or ..)");
        assertThatThrownBy(() -> ZooKeeperRegistration.builder("u", e).payloadClass("not a class"))
                .hasMessage("payloadClass: 'not a class' (expected: a class name like " + ZooKeeperRegistration.SPRING_CLOUD_PAYLOAD + ")");
        assertThatThrownBy(() -> ZooKeeperRegistration.builder("u", e).drainPeriod(Duration.ofSeconds(-1)))
                .hasMessage("drainPeriod: PT-1S (expected: >= 0)");
        assertThatThrownBy(() -> ZooKeeperRegistration.builder("u", null)).hasMessage("endpoint: null (expected: not null)");
        assertThatThrownBy(() -> ZooKeeperRegistration.builder("", e)).hasMessage("service: '' (expected: not blank, no '/')");
    }
}
