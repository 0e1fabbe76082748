package io.lb4j.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.ServiceProvider;
import org.apache.curator.x.discovery.UriSpec;
import org.apache.curator.x.discovery.details.JsonInstanceSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.zookeeper.discovery.ZookeeperInstance;

/**
 * lb4j next to Apache Curator's own service discovery, configured as Spring Cloud Zookeeper
 * configures it (base path {@code /services}, JSON with Spring's {@code ZookeeperInstance} payload).
 */
class CuratorInteropTest extends ZooKeeperTestBase {
    private static final Duration WAIT = Duration.ofSeconds(20);

    static CuratorFramework curator;
    static ServiceDiscovery<ZookeeperInstance> discovery;


    @BeforeAll
    static void startCurator() throws Exception {
        curator = CuratorFrameworkFactory.newClient(server.address(), new RetryOneTime(100));
        curator.start();
        curator.blockUntilConnected(20, TimeUnit.SECONDS);
        discovery = ServiceDiscoveryBuilder.builder(ZookeeperInstance.class)
                .client(curator)
                .basePath("/services")
                .serializer(new JsonInstanceSerializer<>(ZookeeperInstance.class))
                .build();
        discovery.start();
    }

    @AfterAll
    static void stopCurator() throws Exception {
        if (discovery != null) {
            discovery.close();
        }
        if (curator != null) {
            curator.close();
        }
    }



    @Test
    void anInstanceCuratorRegistersIsSeenByLb4jWithItsMetadataAndDrainedWhenDisabled() throws Exception {
        ServiceInstance<ZookeeperInstance> instance = ServiceInstance.<ZookeeperInstance>builder()
                .name("orders").id("orders-1").address("127.0.0.1").port(8081)
                .payload(new ZookeeperInstance("orders-1", "orders", Map.of("zone", "eu-1a", "weight", "4", "version", "42")))
                .uriSpec(new UriSpec("{scheme}://{address}:{port}"))
                .build();
        discovery.registerService(instance);
        Balancer b = closing(Balancer.builder("orders").source(ZooKeeperSource.builder("orders").connectString(server.address()).build()).build());

        b.whenReady().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Endpoint e = Await.until(WAIT, "Curator's instance", b::endpoints, l -> l.size() == 1).get(0);
        assertThat(e.authority()).isEqualTo("127.0.0.1:8081");
        assertThat(e.weight()).isEqualTo(4);
        assertThat(e.zone()).contains("eu-1a");
        assertThat(e.metadata()).containsEntry("version", "42");

        // Spring Cloud Zookeeper's way of taking an instance out of rotation: its status in the payload
        discovery.updateService(copy(instance, Map.of("zone", "eu-1a", "weight", "4", "instance_status", "OUT_OF_SERVICE"), true));
        Await.until(WAIT, "the out-of-service instance at weight 0", () -> weight(b), w -> w == 0);
        discovery.updateService(copy(instance, Map.of("zone", "eu-1a", "weight", "4", "instance_status", "UP"), true));
        Await.until(WAIT, "the instance back at weight 4", () -> weight(b), w -> w == 4);

        // Curator's own: enabled false (its default serializer leaves the field out; this one writes it)
        try (ServiceDiscovery<ZookeeperInstance> full = ServiceDiscoveryBuilder.builder(ZookeeperInstance.class)
                .client(curator).basePath("/services").serializer(new JsonInstanceSerializer<>(ZookeeperInstance.class, false)).build()) {
            full.start();
            full.registerService(copy(instance, Map.of("weight", "4"), false));
            Await.until(WAIT, "the disabled instance at weight 0", () -> weight(b), w -> w == 0);
        }
        discovery.registerService(instance);
        Await.until(WAIT, "the instance back at weight 4", () -> weight(b), w -> w == 4);

        discovery.unregisterService(instance);
        Await.until(WAIT, "the instance gone", () -> b.endpoints().isEmpty());
    }

    @Test
    void anInstanceLb4jRegistersIsSeenByCuratorWithSpringsPayloadAndLeavesItsProvidersWhileDraining() throws Exception {
        ZooKeeperRegistration r = closing(ZooKeeperRegistration.builder("users",
                        Endpoint.builder("127.0.0.1", 9001).weight(2).zone("eu-1b").metadata("version", "7").build())
                .connectString(server.address()).register());
        r.whenRegistered().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        ServiceProvider<ZookeeperInstance> provider = closing(discovery.serviceProviderBuilder().serviceName("users").build());
        provider.start();

        Collection<ServiceInstance<ZookeeperInstance>> found = discovery.queryForInstances("users");
        assertThat(found).hasSize(1);
        ServiceInstance<ZookeeperInstance> i = found.iterator().next();
        assertThat(i.getId()).isEqualTo("127.0.0.1:9001");
        assertThat(i.getAddress()).isEqualTo("127.0.0.1");
        assertThat(i.getPort()).isEqualTo(9001);
        assertThat(i.isEnabled()).isTrue();
        assertThat(i.buildUriSpec()).isEqualTo("http://127.0.0.1:9001");
        assertThat(i.getPayload().getName()).isEqualTo("users");
        assertThat(i.getPayload().getMetadata()).containsEntry("version", "7").containsEntry("weight", "2").containsEntry("zone", "eu-1b");
        Await.until(WAIT, "the provider to list it", () -> providerInstances(provider), l -> l.size() == 1);

        CompletableFuture<Void> closed = CompletableFuture.runAsync(r::close); // drains for 3 s first

        Await.until(WAIT, "the provider to leave it out", () -> providerInstances(provider), List::isEmpty);
        ServiceInstance<ZookeeperInstance> draining = discovery.queryForInstance("users", "127.0.0.1:9001");
        assertThat(draining).as("still registered while draining").isNotNull();
        assertThat(draining.isEnabled()).isFalse();
        assertThat(draining.getPayload().getMetadata()).containsEntry("instance_status", "OUT_OF_SERVICE");
        assertThat(closed).isNotDone();

        closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(discovery.queryForInstances("users")).isEmpty();
    }

    /** The weight of the only endpoint, -1 while there is none (Curator re-registers by delete and create). */
    private static int weight(Balancer b) {
        return b.endpoints().stream().findFirst().map(Endpoint::weight).orElse(-1);
    }

    private static ServiceInstance<ZookeeperInstance> copy(ServiceInstance<ZookeeperInstance> i, Map<String, String> metadata,
            boolean enabled) throws Exception {
        return ServiceInstance.<ZookeeperInstance>builder().name(i.getName()).id(i.getId()).address(i.getAddress()).port(i.getPort())
                .payload(new ZookeeperInstance(i.getId(), i.getName(), metadata)).enabled(enabled).build();
    }

    private static List<ServiceInstance<ZookeeperInstance>> providerInstances(ServiceProvider<ZookeeperInstance> p) {
        try {
            return List.copyOf(p.getAllInstances());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
