package io.lb4j.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.testing.Await;
import io.lb4j.testing.FakeTicker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdSourceTest extends EtcdTestBase {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final AtomicInteger SERVICES = new AtomicInteger();

    private static String newService() {
        return "svc" + SERVICES.incrementAndGet();
    }

    private Balancer balancer(String service, EtcdSource.Builder source) {
        return closing(Balancer.builder(service).source(source.build()).build());
    }

    private <T extends AutoCloseable> T closing(T c) {
        closeAfter.add(c);
        return c;
    }

    private static List<String> authorities(Balancer b) {
        return b.endpoints().stream().map(Endpoint::authority).sorted().toList();
    }

    private static void awaitAuthorities(Balancer b, String... expected) {
        List<String> want = List.of(expected).stream().sorted().toList();
        Await.until(WAIT, "endpoints " + want, () -> authorities(b), want::equals);
    }

    @Test
    void deliversTheInitialListThenEveryChange() throws Exception {
        String svc = newService();
        String p = "/services/" + svc + "/";
        ops.instance(p + "a", "10.0.0.1", 80, 1);
        ops.instance(p + "b", "10.0.0.2", 80, 1);
        ops.instance("/services/" + svc + "x/a", "10.9.9.9", 80, 1); // a neighbouring prefix must not leak in

        Balancer b = balancer(svc, EtcdSource.builder(svc).endpoints(etcd.url()));
        b.whenReady().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(authorities(b)).containsExactly("10.0.0.1:80", "10.0.0.2:80");

        ops.instance(p + "c", "10.0.0.3", 80, 1);
        awaitAuthorities(b, "10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80");
        ops.delete(p + "a");
        awaitAuthorities(b, "10.0.0.2:80", "10.0.0.3:80");
        ops.instance(p + "b", "10.0.0.2", 80, 7);
        Await.until(WAIT, "the new weight", () -> b.endpoints().get(0).weight(), w -> w == 7);
        assertThat(b.sourceErrorCount()).isZero();
    }

    @Test
    void emptyPrefixIsAReadyEmptyList() throws Exception {
        String svc = newService();
        Balancer b = balancer(svc, EtcdSource.builder(svc).endpoints(etcd.url()));

        b.whenReady().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(b.endpoints()).isEmpty();
    }

    @Test
    void garbageValuesAreSkippedAndTheOthersKept() throws Exception {
        String svc = newService();
        String p = "/services/" + svc + "/";
        ops.put(p + "1-not-json", "hello");
        ops.put(p + "2-no-port", "{\"host\":\"10.0.0.1\"}");
        ops.put(p + "3-bad-host", "{\"host\":\"bad host!\",\"port\":80}");
        ops.instance(p + "4-good", "10.0.0.4", 80, 1);
        ops.instance(p + "5-same-address", "10.0.0.4", 80, 1);

        Balancer b = balancer(svc, EtcdSource.builder(svc).endpoints(etcd.url()));
        b.whenReady().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(authorities(b)).containsExactly("10.0.0.4:80");

        ops.put(p + "5-same-address", "{\"host\":");   // an instance overwritten with garbage leaves
        ops.instance(p + "6-new", "10.0.0.6", 80, 1);
        awaitAuthorities(b, "10.0.0.4:80", "10.0.0.6:80");
        ops.put(p + "4-good", "[]");
        awaitAuthorities(b, "10.0.0.6:80");
        assertThat(b.sourceErrorCount()).isZero();
    }

    @Test
    void malformedValueMessagesNameTheKeyAndTheRule() {
        assertThatThrownBy(() -> DefaultEtcdSource.decode("/services/u/a", "hello".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("/services/u/a: not JSON: 'hello'");
        assertThatThrownBy(() -> DefaultEtcdSource.decode("/services/u/b", "{\"host\":\"h\",\"port\":0}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("/services/u/b.port: 0 (expected: 1-65535)");
        assertThatThrownBy(() -> DefaultEtcdSource.decode("/services/u/c", "{\"host\":\"h\",\"port\":\"80\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("/services/u/c.port: \"80\" (expected: an integer)");
    }

    @Test
    void compactionPastTheWatchRevisionRelistsAndLosesNothing() throws Exception {
        String svc = newService();
        String p = "/services/" + svc + "/";
        ops.instance(p + "a", "10.0.0.1", 80, 1);
        ops.instance(p + "b", "10.0.0.2", 80, 1);
        TcpProxy proxy = closing(new TcpProxy(etcd.clientPort));
        DefaultEtcdSource source = (DefaultEtcdSource) EtcdSource.builder(svc).endpoints(proxy.url())
                .backoff(Duration.ofMillis(50), Duration.ofMillis(200)).relistAfter(Duration.ofHours(1)).build();
        Balancer b = closing(Balancer.builder(svc).source(source).build());
        awaitAuthorities(b, "10.0.0.1:80", "10.0.0.2:80");

        proxy.cut();
        Await.until(WAIT, "the source to notice the outage", b::sourceErrorCount, n -> n > 0);
        ops.delete(p + "a");
        ops.instance(p + "c", "10.0.0.3", 80, 1);
        ops.instance(p + "b", "10.0.0.2", 80, 3);
        long rev = ops.instance(p + "d", "10.0.0.4", 80, 1);
        ops.compact(rev);
        assertThat(authorities(b)).containsExactly("10.0.0.1:80", "10.0.0.2:80"); // fail static meanwhile
        proxy.restore();

        awaitAuthorities(b, "10.0.0.2:80", "10.0.0.3:80", "10.0.0.4:80");
        assertThat(b.endpoints().stream().filter(e -> e.host().equals("10.0.0.2")).findFirst().orElseThrow().weight())
                .isEqualTo(3);
        ops.instance(p + "e", "10.0.0.5", 80, 1); // and it watches again
        awaitAuthorities(b, "10.0.0.2:80", "10.0.0.3:80", "10.0.0.4:80", "10.0.0.5:80");
        assertThat(source.listCount()).isEqualTo(2);
    }

    @Test
    void longOutageRelistsInsteadOfResumingTheWatch() throws Exception {
        String svc = newService();
        String p = "/services/" + svc + "/";
        ops.instance(p + "a", "10.0.0.1", 80, 1);
        TcpProxy proxy = closing(new TcpProxy(etcd.clientPort));
        FakeTicker ticker = new FakeTicker();
        DefaultEtcdSource source = (DefaultEtcdSource) EtcdSource.builder(svc).endpoints(proxy.url()).ticker(ticker)
                .backoff(Duration.ofMillis(20), Duration.ofMillis(50)).relistAfter(Duration.ofSeconds(30)).build();
        Balancer b = closing(Balancer.builder(svc).source(source).build());
        awaitAuthorities(b, "10.0.0.1:80");

        proxy.cut();
        Await.until(WAIT, "the source to notice the outage", b::sourceErrorCount, n -> n > 0);
        ops.instance(p + "b", "10.0.0.2", 80, 1);
        ticker.advance(Duration.ofSeconds(31));
        proxy.restore();

        awaitAuthorities(b, "10.0.0.1:80", "10.0.0.2:80");
        assertThat(source.listCount()).isEqualTo(2);
    }

    @Test
    void etcdRestartKeepsTheListAndEveryChangeIsSeenAfterReconnecting(@TempDir Path own) throws Exception {
        try (RealServers.Etcd server = RealServers.Etcd.start(own); EtcdOps direct = new EtcdOps(server.url());
                TcpProxy proxy = new TcpProxy(server.clientPort)) {
            String p = "/services/restart/";
            direct.instance(p + "a", "10.0.0.1", 80, 1);
            direct.instance(p + "b", "10.0.0.2", 80, 1);
            DefaultEtcdSource source = (DefaultEtcdSource) EtcdSource.builder("restart").endpoints(proxy.url())
                    .backoff(Duration.ofMillis(20), Duration.ofMillis(50)).build();
            Balancer b = closing(Balancer.builder("restart").source(source).build());
            awaitAuthorities(b, "10.0.0.1:80", "10.0.0.2:80");

            server.stop();
            Await.until(WAIT, "the source to notice the outage", b::sourceErrorCount, n -> n > 0);
            assertThat(authorities(b)).containsExactly("10.0.0.1:80", "10.0.0.2:80");
            // keep the source away until the changes are made, so that they happen while it is disconnected
            proxy.cut();
            server.start();
            direct.delete(p + "a");
            direct.instance(p + "c", "10.0.0.3", 80, 1);
            direct.instance(p + "d", "10.0.0.4", 80, 1);
            assertThat(authorities(b)).containsExactly("10.0.0.1:80", "10.0.0.2:80");
            proxy.restore();

            awaitAuthorities(b, "10.0.0.2:80", "10.0.0.3:80", "10.0.0.4:80");
            long errors = b.sourceErrorCount();
            direct.delete(p + "d");
            awaitAuthorities(b, "10.0.0.2:80", "10.0.0.3:80");
            assertThat(b.sourceErrorCount()).isEqualTo(errors);
            assertThat(source.listCount()).as("resumed from its revision, not re-read").isEqualTo(1);
        }
    }

    @Test
    void anEtcdWhoseRevisionWentBackIsReadAgainWithinFiveSeconds(@TempDir Path own) throws Exception {
        try (RealServers.Etcd server = RealServers.Etcd.start(own); EtcdOps direct = new EtcdOps(server.url())) {
            String p = "/services/reset/";
            for (int i = 0; i < 30; i++) {
                direct.instance("/elsewhere/" + i, "10.9.0." + i, 80, 1); // the old etcd is far ahead: revision 30+
            }
            direct.instance(p + "a", "10.0.0.1", 80, 1);
            direct.instance(p + "b", "10.0.0.2", 80, 1);
            DefaultEtcdSource source = (DefaultEtcdSource) EtcdSource.builder("reset").endpoints(server.url())
                    .backoff(Duration.ofMillis(20), Duration.ofMillis(50)).build();
            Balancer b = closing(Balancer.builder("reset").source(source).build());
            awaitAuthorities(b, "10.0.0.1:80", "10.0.0.2:80");

            server.replaceWithAnEmptyOne();
            long rev = direct.instance(p + "c", "10.0.0.3", 80, 1);
            assertThat(rev).as("the new etcd's revision").isLessThan(10);

            Await.until(Duration.ofSeconds(5), "the new etcd's instances", () -> authorities(b), List.of("10.0.0.3:80")::equals);
            direct.instance(p + "d", "10.0.0.4", 80, 1); // and it watches the new etcd
            awaitAuthorities(b, "10.0.0.3:80", "10.0.0.4:80");
            assertThat(source.listCount()).isEqualTo(2);
        }
    }

    @Test
    void aSilentWatchIsGivenUpAndTheChangesItMissedAreRead() throws Exception {
        String svc = newService();
        String p = "/services/" + svc + "/";
        ops.instance(p + "a", "10.0.0.1", 80, 1);
        TcpProxy proxy = closing(new TcpProxy(etcd.clientPort));
        DefaultEtcdSource source = (DefaultEtcdSource) EtcdSource.builder(svc).endpoints(proxy.url())
                .watchTimeout(Duration.ofSeconds(1)).build();
        Balancer b = closing(Balancer.builder(svc).source(source).build());
        awaitAuthorities(b, "10.0.0.1:80");
        Await.until(WAIT, "the watch to be established", source::watchCount, n -> n == 1);

        proxy.silence(); // the watch connection stays open, but nothing passes any more (half-open)
        ops.instance(p + "b", "10.0.0.2", 80, 1);

        awaitAuthorities(b, "10.0.0.1:80", "10.0.0.2:80");
        assertThat(source.silenceCount()).isGreaterThanOrEqualTo(1);
        assertThat(b.sourceErrorCount()).isZero();
        ops.instance(p + "c", "10.0.0.3", 80, 1); // watching again, on the new connection
        awaitAuthorities(b, "10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80");
    }

    @Test
    void progressNotificationsKeepAQuietWatch() throws Exception {
        String svc = newService();
        ops.instance("/services/" + svc + "/a", "10.0.0.1", 80, 1);
        // the test etcd sends progress notifications every 200 ms
        DefaultEtcdSource source = (DefaultEtcdSource) EtcdSource.builder(svc).endpoints(etcd.url())
                .watchTimeout(Duration.ofSeconds(1)).build();
        Balancer b = closing(Balancer.builder(svc).source(source).build());
        awaitAuthorities(b, "10.0.0.1:80");

        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < until) {
            assertThat(source.silenceCount()).as("silences over 3 quiet seconds").isZero();
            Thread.sleep(100); // sampling over a period that must pass, not waiting for an event
        }
        assertThat(source.listCount()).isEqualTo(1);
    }

    @Test
    void drainingInstancesGetWeightZero() throws Exception {
        String svc = newService();
        String p = "/services/" + svc + "/";
        ops.instance(p + "a", "10.0.0.1", 80, 1);
        ops.put(p + "b", "{\"host\":\"10.0.0.2\",\"port\":80,\"weight\":5,\"metadata\":{\"draining\":true}}");
        Balancer b = balancer(svc, EtcdSource.builder(svc).endpoints(etcd.url()));

        Await.until(WAIT, "both", () -> b.endpoints().size(), n -> n == 2);
        assertThat(b.endpoints()).filteredOn(e -> e.host().equals("10.0.0.2")).singleElement()
                .satisfies(e -> {
                    assertThat(e.weight()).isZero();
                    assertThat(e.metadata()).containsEntry("draining", "true");
                });
    }

    @Test
    void minHostsKeepsTheLastListWhenAnAnswerShrinksBelowIt() throws Exception {
        String svc = newService();
        String p = "/services/" + svc + "/";
        ops.instance(p + "a", "10.0.0.1", 80, 1);
        ops.instance(p + "b", "10.0.0.2", 80, 1);
        Balancer b = balancer(svc, EtcdSource.builder(svc).endpoints(etcd.url()).minHosts(2));
        awaitAuthorities(b, "10.0.0.1:80", "10.0.0.2:80");

        ops.delete(p + "a");
        Await.until(WAIT, "the shrink reported", b::sourceErrorCount, n -> n == 1);
        assertThat(authorities(b)).containsExactly("10.0.0.1:80", "10.0.0.2:80");
        ops.instance(p + "c", "10.0.0.3", 80, 1);
        awaitAuthorities(b, "10.0.0.2:80", "10.0.0.3:80");
    }

    @Test
    void failsOverToTheNextReachableMember() throws Exception {
        String svc = newService();
        ops.instance("/services/" + svc + "/a", "10.0.0.1", 80, 1);
        String dead = "http://127.0.0.1:" + RealServers.freePort();

        Balancer b = balancer(svc, EtcdSource.builder(svc).endpoints(dead, etcd.url())
                .backoff(Duration.ofMillis(20), Duration.ofMillis(50)));

        b.whenReady().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        ops.instance("/services/" + svc + "/b", "10.0.0.2", 80, 1);
        awaitAuthorities(b, "10.0.0.1:80", "10.0.0.2:80");
    }

    @Test
    void closeStopsItsThreads() throws Exception {
        EtcdSource source = EtcdSource.builder("closing").endpoints(etcd.url()).build();
        RecordingListener l = new RecordingListener();
        source.start(l);
        Await.until(WAIT, "the first list", () -> !l.lists.isEmpty());
        assertThat(Await.threads("lb4j-etcd-")).contains("lb4j-etcd-watch-closing");

        source.close();

        Await.until(WAIT, "threads to stop", () -> Await.threads("lb4j-etcd-").stream().noneMatch(n -> n.endsWith("closing")
                || n.contains("closing-")));
        int delivered = l.lists.size();
        ops.instance("/services/closing/a", "10.0.0.1", 80, 1);
        assertThat(l.lists).hasSize(delivered);
    }

    @Test
    void builderRejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> EtcdSource.builder("a/b")).hasMessage("service: 'a/b' (expected: not blank, no '/')");
        assertThatThrownBy(() -> EtcdSource.builder("u").endpoints("127.0.0.1:2379"))
                .hasMessageStartingWith("endpoint: '127.0.0.1:2379' (expected: http(s)://host:port");
        assertThatThrownBy(() -> EtcdSource.builder("u").endpoints())
                .hasMessageStartingWith("endpoints: [] (expected: at least one etcd URL");
        assertThatThrownBy(() -> EtcdSource.builder("u").prefix("/services/u"))
                .hasMessage("prefix: '/services/u' (expected: starts and ends with '/', like /services/users/)");
        assertThatThrownBy(() -> EtcdSource.builder("u").backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("backoff max: PT1S (expected: >= initial PT2S)");
        assertThatThrownBy(() -> EtcdSource.builder("u").requestTimeout(Duration.ofSeconds(-1)))
                .hasMessage("requestTimeout: PT-1S (expected: > 0)");
        assertThatThrownBy(() -> EtcdSource.builder("u").watchTimeout(Duration.ZERO)).hasMessage("watchTimeout: PT0S (expected: > 0)");
        assertThatThrownBy(() -> EtcdSource.builder("u").minHosts(-2)).hasMessage("minHosts: -2 (expected: >= 0)");
    }
}
