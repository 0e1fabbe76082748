package io.lb4j.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.config.Lb4jRuntime;
import io.lb4j.core.Balancer;
import io.lb4j.discovery.RealServers;
import io.lb4j.testing.LoopbackBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real web application (embedded server on a random port) that calls "users" and registers
 * itself as "orders" in a real etcd: the registration carries the web server's real port, and
 * closing the context revokes it (the key is gone when close returns), closes the balancers and
 * checkers, and leaves no lb4j thread. Runs in a JVM of its own (see the pom).
 */
class Lb4jShutdownTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void registersWithTheServersPortThenShutsDownInTheRightOrder(@TempDir Path dir) throws Exception {
        try (RealServers.Etcd etcd = RealServers.Etcd.start(dir); LoopbackBackend users = LoopbackBackend.start("users-1")) {
            ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApp.class)
                    .properties("spring.config.name=shutdown", "test.etcd=" + etcd.url(), "test.backend=" + users.port())
                    .run();
            Lb4jRuntime runtime = context.getBean(Lb4jRuntime.class);
            Balancer balancer = runtime.balancer("users");
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            try {
                runtime.registration().orElseThrow().whenRegistered().get(10, java.util.concurrent.TimeUnit.SECONDS);
                String key = "/services/orders/127.0.0.1:" + port;
                assertThat(runtime.registration().orElseThrow().location()).isEqualTo(key);
                assertThat(etcdValue(etcd.url(), key)).as("the registered instance, with its health path")
                        .contains("\"port\":" + port).contains("\"health-path\":\"/actuator/health\"");

                assertThat(runtime.registration().orElseThrow().isRegistered()).isTrue();
            } finally {
                context.close();
            }
            assertThat(etcdValue(etcd.url(), "/services/orders/127.0.0.1:" + port)).as("the key once close returned").isNull();
            assertThatThrownBy(balancer::pick).isInstanceOf(IllegalStateException.class);
            assertThat(runtime.healthChecker("users").orElseThrow().states()).isEmpty();
            awaitNoLb4jThreads();
        }
    }

    /** The value under {@code key}, or null: etcd's JSON gateway, as any etcd client would ask. */
    private static String etcdValue(String etcd, String key) throws Exception {
        String b64 = Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(etcd + "/v3/kv/range"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + b64 + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        int at = r.body().indexOf("\"value\":\"");
        if (at < 0) {
            return null;
        }
        String value = r.body().substring(at + 9, r.body().indexOf('"', at + 9));
        return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
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
                throw new AssertionError("lb4j threads still alive 30 s after the context closed: " + left);
            }
            Thread.sleep(50);
        }
    }
}
