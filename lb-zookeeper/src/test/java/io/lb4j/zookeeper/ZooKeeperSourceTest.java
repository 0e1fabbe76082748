package io.lb4j.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.discovery.TcpProxy;
import io.lb4j.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZooKeeperSourceTest extends ZooKeeperTestBase {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger SERVICES = new AtomicInteger();







    private static String newService() {
        return "svc" + SERVICES.incrementAndGet();
    }

    private Balancer balancer(String service, ZooKeeperSource.Builder source) {
        return closing(Balancer.builder(service).source(source.build()).build());
    }

    private static List<String> weighted(Balancer b) {
        return b.endpoints().stream().map(e -> e.authority() + "*" + e.weight()).sorted().toList();
    }

    private static void awaitWeighted(Balancer b, String... expected) {
        List<String> want = List.of(expected).stream().sorted().toList();
        Await.until(WAIT, "endpoints " + want, () -> weighted(b), want::equals);
    }

    @Test
    void deliversTheInstancesInCuratorLayoutThenEveryChange() throws Exception {
        String svc = newService();
        String p = "/services/" + svc + "/";
        ops.instance(p + "a", "10.0.0.1", 80, "zone", "eu-1a", "version", "42");
        ops.instance(p + "b", "10.0.0.2", 80, "weight", "3");
        ops.instance("/services/" + svc + "x/a", "10.9.9.9", 80); // a neighbouring service must not leak in

        Balancer b = balancer(svc, ZooKeeperSource.builder(svc).connectString(server.address()));
        b.whenReady().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(weighted(b)).containsExactly("10.0.0.1:80*1", "10.0.0.2:80*3");
        Endpoint a = b.endpoints().stream().filter(e -> e.host().equals("10.0.0.1")).findFirst().orElseThrow();
        assertThat(a.zone()).contains("eu-1a");
        assertThat(a.metadata()).containsEntry("version", "42").containsEntry("zone", "eu-1a");

        ops.instance(p + "c", "10.0.0.3", 80);
        awaitWeighted(b, "10.0.0.1:80*1", "10.0.0.2:80*3", "10.0.0.3:80*1");
        ops.delete(p + "a");
        awaitWeighted(b, "10.0.0.2:80*3", "10.0.0.3:80*1");
        ops.instance(p + "b", "10.0.0.2", 80, "weight", "7");
        awaitWeighted(b, "10.0.0.2:80*7", "10.0.0.3:80*1");
        ops.instance(p + "b", "10.0.0.2", 80, "weight", "7"); // the same data again: the watch is still set
        ops.instance(p + "c", "10.0.0.3", 81);
        awaitWeighted(b, "10.0.0.2:80*7", "10.0.0.3:81*1");
        assertThat(b.sourceErrorCount()).isZero();
    }

    @Test
    void aMissingServiceIsAReadyEmptyListAndItsCreationIsSeen() throws Exception {
        String svc = newService();
        Balancer b = balancer(svc, ZooKeeperSource.builder(svc).connectString(server.address()));

        b.whenReady().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(b.endpoints()).isEmpty();

        ops.instance("/services/" + svc + "/a", "10.0.0.1", 80);
        awaitWeighted(b, "10.0.0.1:80*1");
    }

    @Test
    void drainingInstancesGetWeightZeroAndAreNotPicked() throws Exception {
        String svc = newService();
        String p = "/services/" + svc + "/";
        ops.instance(p + "a", "10.0.0.1", 80);
        ops.instance(p + "b", "10.0.0.2", 80);
        ops.instance(p + "c", "10.0.0.3", 80);
        Balancer b = balancer(svc, ZooKeeperSource.builder(svc).connectString(server.address()));
        awaitWeighted(b, "10.0.0.1:80*1", "10.0.0.2:80*1", "10.0.0.3:80*1");

        ops.put(p + "a", ZkOps.json("a", "10.0.0.1", 80, false));                       // Curator: enabled false
        ops.instance(p + "b", "10.0.0.2", 80, "instance_status", "OUT_OF_SERVICE");     // Spring Cloud's status
        awaitWeighted(b, "10.0.0.1:80*0", "10.0.0.2:80*0", "10.0.0.3:80*1");

        for (int i = 0; i < 20; i++) {
            var s = b.pick();
            assertThat(s.endpoint().host()).isEqualTo("10.0.0.3");
            s.success();
        }
        assertThat(b.inPanic()).as("drained endpoints count neither as available nor as unavailable").isFalse();
        ops.instance(p + "b", "10.0.0.2", 80, "instance_status", "UP");
        awaitWeighted(b, "10.0.0.1:80*0", "10.0.0.2:80*1", "10.0.0.3:80*1");
    }

    @Test
    void malformedInstancesAreSkippedAndTheOthersKept() throws Exception {
        String svc = newService();
        String p = "/services/" + svc + "/";
        ops.put(p + "1-not-json", "hello");
        ops.put(p + "2-no-port", "{\"address\":\"10.0.0.1\",\"port\":null}");
        ops.put(p + "3-bad-host", "{\"address\":\"bad host!\",\"port\":80}");
        ops.put(p + "4-empty", "");
        ops.instance(p + "5-good", "10.0.0.5", 80, "weight", "not-a-number");
        ops.instance(p + "6-same-address", "10.0.0.5", 80);

        Balancer b = balancer(svc, ZooKeeperSource.builder(svc).connectString(server.address()));
        b.whenReady().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(weighted(b)).containsExactly("10.0.0.5:80*1");

        ops.put(p + "6-same-address", "{\"address\":");
        ops.instance(p + "7-new", "10.0.0.7", 80);
        awaitWeighted(b, "10.0.0.5:80*1", "10.0.0.7:80*1");
        ops.put(p + "5-good", "[]");
        awaitWeighted(b, "10.0.0.7:80*1");
        assertThat(b.sourceErrorCount()).isZero();
    }

    @Test
    void malformedInstanceMessagesNameTheZnodeAndTheRule() {
        assertThatThrownBy(() -> CuratorInstance.read("hello".getBytes(StandardCharsets.UTF_8), "/services/u/a", false))
                .hasMessageStartingWith("/services/u/a: not JSON: 'hello'");
        assertThatThrownBy(() -> CuratorInstance.read("{\"address\":\"h\",\"port\":0}".getBytes(StandardCharsets.UTF_8), "/services/u/b", false))
                .hasMessage("/services/u/b.port: 0 (expected: 1-65535)");
        assertThatThrownBy(() -> CuratorInstance.read("{\"address\":\"h\",\"port\":80}".getBytes(StandardCharsets.UTF_8), "/services/u/c", true))
                .hasMessage("/services/u/c.sslPort: missing (expected: the instance's TLS port)");
        assertThatThrownBy(() -> CuratorInstance.read("{\"port\":80}".getBytes(StandardCharsets.UTF_8), "/services/u/d", false))
                .hasMessage("/services/u/d.address: missing (expected: a host name or IP address)");
        assertThat(CuratorInstance.read(ZkOps.json("e", "h", 80, true, "weight", "-2").getBytes(StandardCharsets.UTF_8),
                "/services/u/e", false).weightWarning())
                .isEqualTo("/services/u/e.payload.metadata.weight: '-2' (expected: an integer 0-1000000); using weight 1");
    }

    @Test
    void sslPortOptionUsesTheTlsPort() throws Exception {
        String svc = newService();
        ops.put("/services/" + svc + "/a", "{\"address\":\"10.0.0.1\",\"port\":80,\"sslPort\":443}");
        Balancer b = balancer(svc, ZooKeeperSource.builder(svc).connectString(server.address()).sslPort(true));

        awaitWeighted(b, "10.0.0.1:443*1");
    }

    @Test
    void minHostsKeepsTheLastListWhenAnAnswerShrinksBelowIt() throws Exception {
        String svc = newService();
        String p = "/services/" + svc + "/";
        ops.instance(p + "a", "10.0.0.1", 80);
        ops.instance(p + "b", "10.0.0.2", 80);
        ops.instance(p + "c", "10.0.0.3", 80);
        Balancer b = balancer(svc, ZooKeeperSource.builder(svc).connectString(server.address()).minHosts(2));
        awaitWeighted(b, "10.0.0.1:80*1", "10.0.0.2:80*1", "10.0.0.3:80*1");

        ops.delete(p + "a");
        awaitWeighted(b, "10.0.0.2:80*1", "10.0.0.3:80*1"); // 2 is enough
        ops.delete(p + "b");
        ops.delete(p + "c");
        Await.until(WAIT, "the source to report the shrink", b::sourceErrorCount, n -> n >= 1);
        assertThat(weighted(b)).containsExactly("10.0.0.2:80*1", "10.0.0.3:80*1");

        ops.instance(p + "d", "10.0.0.4", 80);
        ops.instance(p + "e", "10.0.0.5", 80);
        awaitWeighted(b, "10.0.0.4:80*1", "10.0.0.5:80*1");
    }

    @Test
    void outageKeepsTheListAndAnExpiredSessionReadsEverythingAgain() throws Exception {
        String svc = newService();
        String p = "/services/" + svc + "/";
        ops.instance(p + "a", "10.0.0.1", 80);
        ops.instance(p + "b", "10.0.0.2", 80);
        TcpProxy proxy = closing(new TcpProxy(server.clientPort));
        DefaultZooKeeperSource source = (DefaultZooKeeperSource) ZooKeeperSource.builder(svc)
                .connectString("127.0.0.1:" + proxy.port()).sessionTimeout(Duration.ofSeconds(10)).build();
        Balancer b = closing(Balancer.builder(svc).source(source).build());
        awaitWeighted(b, "10.0.0.1:80*1", "10.0.0.2:80*1");
        Object[] session = source.sessionCredentials();

        proxy.cut();
        Await.until(WAIT, "the source to notice the outage", b::sourceErrorCount, n -> n > 0);
        // meanwhile the session ends on the server (as after a long partition) and the service changes
        ops.expire(session);
        ops.delete(p + "a");
        ops.instance(p + "c", "10.0.0.3", 80);
        assertThat(weighted(b)).containsExactly("10.0.0.1:80*1", "10.0.0.2:80*1"); // fail static
        proxy.restore();

        awaitWeighted(b, "10.0.0.2:80*1", "10.0.0.3:80*1");
        assertThat(source.sessionCredentials()[0]).isNotEqualTo(session[0]);
        ops.instance(p + "d", "10.0.0.4", 80); // and it watches again, on the new session
        awaitWeighted(b, "10.0.0.2:80*1", "10.0.0.3:80*1", "10.0.0.4:80*1");
    }

    @Test
    void reconnectingToTheSameSessionReadsEverythingAgain() throws Exception {
        String svc = newService();
        String p = "/services/" + svc + "/";
        ops.instance(p + "a", "10.0.0.1", 80);
        TcpProxy proxy = closing(new TcpProxy(server.clientPort));
        DefaultZooKeeperSource source = (DefaultZooKeeperSource) ZooKeeperSource.builder(svc)
                .connectString("127.0.0.1:" + proxy.port()).sessionTimeout(Duration.ofSeconds(20)).build();
        Balancer b = closing(Balancer.builder(svc).source(source).build());
        awaitWeighted(b, "10.0.0.1:80*1");
        Object[] session = source.sessionCredentials();
        int syncs = source.syncCount();

        proxy.cut();
        Await.until(WAIT, "the source to notice the outage", b::sourceErrorCount, n -> n > 0);
        ops.instance(p + "b", "10.0.0.2", 80);
        proxy.restore();

        awaitWeighted(b, "10.0.0.1:80*1", "10.0.0.2:80*1");
        assertThat(source.sessionCredentials()[0]).isEqualTo(session[0]);
        assertThat(source.syncCount()).isGreaterThan(syncs);
    }

    @Test
    void unreachableEnsembleIsReportedUntilItAnswers(@TempDir Path own) throws Exception {
        int port = ZooKeeperServers.freePort();
        TcpProxy proxy = closing(new TcpProxy(port));
        proxy.cut();
        Balancer b = balancer("late", ZooKeeperSource.builder("late").connectString("127.0.0.1:" + proxy.port())
                .connectTimeout(Duration.ofMillis(300)));

        Await.until(WAIT, "errors while nothing answers", b::sourceErrorCount, n -> n >= 2);
        assertThat(b.whenReady()).isNotDone();
        proxy.close();
        try (ZooKeeperServers.Member late = ZooKeeperServers.standalone(own)) {
            Balancer c = balancer("late", ZooKeeperSource.builder("late").connectString(late.address()));
            c.whenReady().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(c.endpoints()).isEmpty();
        }
    }

    @Test
    void closeStopsItsThreads() throws Exception {
        String svc = newService();
        ZooKeeperSource source = ZooKeeperSource.builder(svc).connectString(server.address()).build();
        Balancer b = Balancer.builder(svc).source(source).build();
        b.whenReady().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(Await.threads("lb4j-zk-" + svc)).contains("lb4j-zk-" + svc, "lb4j-zk-" + svc + "-EventThread");

        b.close();

        Await.until(WAIT, "threads to stop", () -> Await.threads("lb4j-zk-" + svc).isEmpty());
    }

    @Test
    void builderRejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> ZooKeeperSource.builder("a/b")).hasMessage("service: 'a/b' (expected: not blank, no '/')");
        assertThatThrownBy(() -> ZooKeeperSource.builder("u").connectString("zk1:2181;zk2"))
                .hasMessage("connectString: 'zk1:2181;zk2' (expected: host:port[,host:port...][/chroot], like zk1:2181,zk2:2181,zk3:2181)");
        assertThatThrownBy(() -> ZooKeeperSource.builder("u").basePath("services/"))
                .hasMessage("basePath: 'services/' (expected: an absolute znode path without a trailing '/', like /services)");
        assertThatThrownBy(() -> ZooKeeperSource.builder("u").minHosts(-1)).hasMessage("minHosts: -1 (expected: >= 0)");
        assertThatThrownBy(() -> ZooKeeperSource.builder("u").sessionTimeout(Duration.ZERO)).hasMessage("sessionTimeout: PT0S (expected: > 0)");
        assertThatThrownBy(() -> ZooKeeperSource.builder("u").connectString("a:1").connectString("b:1"))
                .hasMessage("connectString was already set to a:1");
        assertThat(ZooKeeperSource.builder("u").connectString("zk1:2181,[::1]:2182,zk3/apps/lb").basePath("/x/y").build().path())
                .isEqualTo("/x/y/u");
    }
}
