package io.lb4j.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.testing.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdRegistrationTest extends EtcdTestBase {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(RealServers::kill);
    }

    /** A registration that deregisters at once on close (see closeDrainsBeforeRevoking for the drain). */
    private EtcdRegistration register(String service, int port, Duration ttl) {
        EtcdRegistration r = EtcdRegistration.builder(service, Endpoint.of("127.0.0.1", port))
                .endpoints(etcd.url()).ttl(ttl).drainPeriod(Duration.ZERO).register();
        closeAfter.add(r);
        return r;
    }

    /** Starts a JVM that registers {@code 127.0.0.1:port} and waits until it says it did. */
    private Process child(String service, int port, int ttlSeconds) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                RegistrationMain.class.getName(), etcd.url(), service, Integer.toString(port), Integer.toString(ttlSeconds))
                .redirectErrorStream(true)
                .start();
        RealServers.started(p);
        children.add(p);
        return p;
    }

    private static void awaitRegistered(Process p) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        // readLine blocks until the child prints or exits; its own 20 s registration timeout bounds this
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("registered ")) {
                return;
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("child exited without registering:\n" + seen);
    }

    @Test
    void threeRegisteredInstancesAreSeenByTheBalancerAndCloseRemovesOneAtOnce() throws Exception {
        EtcdRegistration a = register("three", 9001, Duration.ofSeconds(10));
        register("three", 9002, Duration.ofSeconds(10));
        register("three", 9003, Duration.ofSeconds(10));
        Balancer b = Balancer.builder("three").source(EtcdSource.builder("three").endpoints(etcd.url()).build()).build();
        closeAfter.add(b);

        Await.until(WAIT, "3 endpoints", () -> b.endpoints().size(), n -> n == 3);
        assertThat(b.endpoints()).extracting(Endpoint::port).containsExactlyInAnyOrder(9001, 9002, 9003);
        assertThat(a.isRegistered()).isTrue();
        assertThat(a.key()).isEqualTo("/services/three/127.0.0.1:9001");
        assertThat(ops.get("/services/three/")).containsEntry(a.key(), "{\"host\":\"127.0.0.1\",\"port\":9001,\"weight\":1}");

        long start = System.nanoTime();
        a.close();
        // revoked: gone long before the 10 s TTL could have expired it
        Await.until(Duration.ofSeconds(3), "the revoked instance to go", () -> b.endpoints().size(), n -> n == 2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(a.isRegistered()).isFalse();
        assertThat(a.leaseId()).isZero();
    }

    @Test
    void closeDrainsBeforeRevokingSoThatCallersLeaveBeforeTheInstanceGoes() throws Exception {
        EtcdRegistration a = EtcdRegistration.builder("drain", Endpoint.of("127.0.0.1", 9011)).endpoints(etcd.url())
                .ttl(Duration.ofSeconds(2)).register(); // the default drain period, 3 s: longer than the TTL
        closeAfter.add(a);
        register("drain", 9012, Duration.ofSeconds(10));
        Balancer b = Balancer.builder("drain").source(EtcdSource.builder("drain").endpoints(etcd.url()).build()).build();
        closeAfter.add(0, b);
        Await.until(WAIT, "both instances", () -> b.endpoints().size(), n -> n == 2);

        long start = System.nanoTime();
        java.util.concurrent.CompletableFuture<Void> closed = java.util.concurrent.CompletableFuture.runAsync(a::close);

        Await.until(WAIT, "the draining instance at weight 0", () -> b.endpoints().stream()
                .filter(e -> e.port() == 9011).map(Endpoint::weight).findFirst().orElse(-1), w -> w == 0);
        assertThat(ops.get("/services/drain/")).as("still registered while draining")
                .containsEntry(a.key(), "{\"host\":\"127.0.0.1\",\"port\":9011,\"weight\":1,\"metadata\":{\"draining\":\"true\"}}");
        for (int i = 0; i < 20; i++) {
            io.lb4j.core.Selection s = b.pick();
            assertThat(s.endpoint().port()).isEqualTo(9012);
            s.success();
        }
        assertThat(closed).isNotDone();

        closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(ops.keys("/services/drain/")).containsExactly("/services/drain/127.0.0.1:9012");
        Await.until(WAIT, "the drained instance gone", () -> b.endpoints().size(), n -> n == 1);
    }

    @Test
    void killedProcessDisappearsAfterTheTtlAndTerminatedOneAtOnce() throws Exception {
        Process killed = child("procs", 9101, 1);
        Process terminated = child("procs", 9102, 30);
        awaitRegistered(killed);
        awaitRegistered(terminated);
        assertThat(ops.keys("/services/procs/")).containsExactly("/services/procs/127.0.0.1:9101", "/services/procs/127.0.0.1:9102");

        // SIGTERM: the shutdown hook drains (3 s) and revokes; far sooner than the 30 s TTL
        terminated.destroy();
        Await.until(Duration.ofSeconds(10), "the terminated child's key to go", () -> ops.keys("/services/procs/"),
                k -> !k.contains("/services/procs/127.0.0.1:9102"));
        assertThat(terminated.waitFor(5, TimeUnit.SECONDS)).isTrue();

        // SIGKILL: no revoke, no more keepalives; the lease expires after its 1 s TTL
        long killedAt = System.nanoTime();
        killed.destroyForcibly();
        Await.until(Duration.ofSeconds(10), "the killed child's lease to expire", () -> ops.keys("/services/procs/"), List::isEmpty);
        // the last keepalive was at most TTL/3 before the kill: the key outlived it by at least 2/3 TTL
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isGreaterThan(Duration.ofMillis(500));
    }

    @Test
    void keepAliveHoldsTheKeyPastItsTtlAndALostLeaseIsRegisteredAgain() throws Exception {
        // 2 s: a keepalive every 667 ms leaves room for a slow moment on a busy machine
        EtcdRegistration r = register("lost", 9201, Duration.ofSeconds(2));
        r.whenRegistered().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        long first = r.leaseId();

        // one and a half TTLs: only the keepalive can hold the key this long
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < until) {
            assertThat(ops.keys("/services/lost/")).containsExactly(r.key());
            Thread.sleep(100); // sampling over a period that must pass, not waiting for an event
        }

        ops.revoke(first);
        Await.until(WAIT, "a new lease", () -> ops.leases("/services/lost/").getOrDefault(r.key(), 0L),
                lease -> lease != 0 && lease != first);
        Await.until(WAIT, "registered again", r::isRegistered);
        assertThat(r.leaseId()).isNotEqualTo(first);
    }

    @Test
    void registersThroughTheNextMemberWhenTheFirstIsDown() throws Exception {
        String dead = "http://127.0.0.1:" + RealServers.freePort();
        EtcdRegistration r = EtcdRegistration.builder("failover", Endpoint.of("127.0.0.1", 9301))
                .endpoints(dead, etcd.url()).ttl(Duration.ofSeconds(5)).drainPeriod(Duration.ZERO).register();
        closeAfter.add(r);

        r.whenRegistered().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(ops.keys("/services/failover/")).containsExactly("/services/failover/127.0.0.1:9301");
        r.close();
        assertThat(ops.keys("/services/failover/")).isEmpty();
    }

    @Test
    void keepsTheLeaseAliveThroughTheNextMemberWhenTheOneInUseGoesAway() throws Exception {
        TcpProxy first = new TcpProxy(etcd.clientPort);
        closeAfter.add(first);
        EtcdRegistration r = EtcdRegistration.builder("midlife", Endpoint.of("127.0.0.1", 9351))
                .endpoints(first.url(), etcd.url()).ttl(Duration.ofSeconds(2)).register();
        closeAfter.add(0, r);
        r.whenRegistered().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        long lease = r.leaseId();

        first.cut();

        // well past the TTL: only keepalives through the second member can have held the lease
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < until) {
            assertThat(ops.leases("/services/midlife/")).containsEntry(r.key(), lease);
            Thread.sleep(100); // sampling over a period that must pass, not waiting for an event
        }
        assertThat(r.isRegistered()).isTrue();
    }

    @Test
    void unreachableEtcdIsRetriedUntilItAnswers(@TempDir Path own) throws Exception {
        RealServers.Etcd later = new RealServers.Etcd(own);
        closeAfter.add(later);
        EtcdRegistration r = EtcdRegistration.builder("late", Endpoint.of("127.0.0.1", 9401))
                .endpoints(later.url()).ttl(Duration.ofSeconds(3)).register();
        closeAfter.add(0, r);
        assertThat(r.whenRegistered()).isNotDone();
        assertThat(r.isRegistered()).isFalse();

        later.start();

        r.whenRegistered().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(r.isRegistered()).isTrue();
    }

    @Test
    void closeStopsItsThreadsAndFailsAPendingWhenRegistered() {
        String dead = "http://127.0.0.1:" + RealServers.freePort();
        EtcdRegistration r = EtcdRegistration.builder("never", Endpoint.of("127.0.0.1", 9501)).endpoints(dead).register();
        Await.until(WAIT, "the lease thread", () -> Await.threads("lb4j-etcd-lease-127.0.0.1:9501").size() > 0);

        r.close();

        assertThat(r.whenRegistered()).isCompletedExceptionally();
        Await.until(WAIT, "threads to stop", () -> Await.threads("lb4j-etcd-lease-127.0.0.1:9501").isEmpty());
    }

    @Test
    void builderRejectsBadValuesNamingThem() {
        Endpoint e = Endpoint.of("127.0.0.1", 80);
        assertThatThrownBy(() -> EtcdRegistration.builder("u", e).ttl(Duration.ofMillis(1500)))
                .hasMessage("ttl: PT1.5S (expected: whole seconds, at least 1)");
        assertThatThrownBy(() -> EtcdRegistration.builder("u", e).ttl(Duration.ZERO)).hasMessage("ttl: PT0S (expected: > 0)");
        assertThatThrownBy(() -> EtcdRegistration.builder("u", e).id("a/b")).hasMessage("id: 'a/b' (expected: not blank, no '/')");
        assertThatThrownBy(() -> EtcdRegistration.builder("u", null)).hasMessage("endpoint: null (expected: not null)");
        assertThatThrownBy(() -> EtcdRegistration.builder("u", e).ttl(Duration.ofSeconds(1)).ttl(Duration.ofSeconds(2)))
                .hasMessage("ttl was already set to PT1S");
        assertThatThrownBy(() -> EtcdRegistration.builder("u", e).drainPeriod(Duration.ofMillis(-1)))
                .hasMessage("drainPeriod: PT-0.001S (expected: >= 0)");
    }
}
