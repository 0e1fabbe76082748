package io.lb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.discovery.EtcdRegistration;
import io.lb4j.discovery.RealServers;
import io.lb4j.testing.Await;
import io.lb4j.testing.LoopbackBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The etcd + health + HTTP wiring of {@link DiscoveryWiringExample}, against a real etcd. */
class DiscoveryWiringExampleTest {

    @Test
    void callsInstancesRegisteredInEtcd(@TempDir Path dir) throws Exception {
        try (RealServers.Etcd etcd = RealServers.Etcd.start(dir);
             LoopbackBackend a = LoopbackBackend.start("a");
             LoopbackBackend b = LoopbackBackend.start("b");
             EtcdRegistration ra = EtcdRegistration.builder("users", a.endpoint()).endpoints(etcd.url()).register();
             EtcdRegistration rb = EtcdRegistration.builder("users", b.endpoint()).endpoints(etcd.url()).register();
             DiscoveryWiringExample users = DiscoveryWiringExample.wire("users", HttpClient.newHttpClient(), etcd.url())) {
            ra.whenRegistered().get(10, TimeUnit.SECONDS);
            rb.whenRegistered().get(10, TimeUnit.SECONDS);
            users.balancer().whenReady().get(10, TimeUnit.SECONDS);
            // the first list may predate the registrations; the watch brings them in
            Await.until("both instances listed", () -> users.balancer().endpoints().size() >= 2);
            assertThat(users.balancer().endpoints()).containsExactlyInAnyOrder(a.endpoint(), b.endpoint());

            HttpRequest get = HttpRequest.newBuilder(URI.create("http://users/users/42")).timeout(Duration.ofSeconds(2)).build();
            Set<String> seen = new HashSet<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.size() < 2 && System.nanoTime() < deadline) {
                HttpResponse<String> r = users.client().send(get, HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                seen.add(r.body());
            }
            assertThat(seen).containsExactlyInAnyOrder("a", "b");
        }
    }
}
