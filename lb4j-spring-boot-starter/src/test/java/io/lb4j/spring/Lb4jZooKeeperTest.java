package io.lb4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.config.InstanceRegistration;
import io.lb4j.config.Lb4jRuntime;
import io.lb4j.config.RegistrationConfig;
import io.lb4j.core.Endpoint;
import io.lb4j.testing.Await;
import io.lb4j.zookeeper.ZkOps;
import io.lb4j.zookeeper.ZooKeeperServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

/**
 * ZooKeeper through application.yml, against a real ZooKeeper server: a web application registers
 * itself as "orders" (registry=zookeeper, the web server's port, Curator's layout) and finds
 * itself through discovery=zookeeper, so that a RestClient call to http://orders/ reaches it; on
 * shutdown the znode is gone when close returns and no lb4j thread is left.
 */
class Lb4jZooKeeperTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void registersInZooKeeperAndIsCalledThroughIt(@TempDir Path dir) throws Exception {
        try (ZooKeeperServers.Member zookeeper = ZooKeeperServers.standalone(dir); ZkOps ops = new ZkOps(zookeeper.address())) {
            ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApp.class)
                    .properties("spring.config.name=zookeeper", "test.zookeeper=" + zookeeper.address())
                    .run();
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            String znode = "/services/orders/127.0.0.1:" + port;
            try {
                Lb4jRuntime runtime = context.getBean(Lb4jRuntime.class);
                InstanceRegistration registration = runtime.registration().orElseThrow();
                registration.whenRegistered().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(registration.registry()).isEqualTo(RegistrationConfig.Registry.ZOOKEEPER);
                assertThat(registration.location()).isEqualTo(znode);
                assertThat(ops.get(znode)).as("Spring Cloud Zookeeper's payload, with the health path")
                        .contains("\"port\":" + port, "\"@class\":\"org.springframework.cloud.zookeeper.discovery.ZookeeperInstance\"",
                                "\"health-path\":\"/actuator/health\"");

                List<Endpoint> found = Await.until(WAIT, "the application to find itself", runtime.balancer("orders")::endpoints,
                        l -> !l.isEmpty());
                assertThat(found).extracting(Endpoint::authority).containsExactly("127.0.0.1:" + port);
                assertThat(found.get(0).metadata()).containsEntry("health-path", "/actuator/health");
                String health = context.getBean(RestClient.Builder.class).build().get().uri("http://orders/actuator/health")
                        .retrieve().body(String.class);
                assertThat(health).contains("UP");
            } finally {
                context.close();
            }
            assertThat(ops.get(znode)).as("the znode once close returned").isNull();
            Lb4jShutdownTest.awaitNoLb4jThreads();
        }
    }
}
