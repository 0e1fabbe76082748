package io.lb4j.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.testing.Await;
import io.lb4j.testing.FakeScheduler;
import io.lb4j.testing.FakeTicker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DnsSourceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration NEVER = Duration.ofHours(1);

    @TempDir
    static Path dir;
    static RealServers.Dnsmasq dns;

    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @BeforeAll
    static void startDnsmasq() throws IOException {
        dns = new RealServers.Dnsmasq(dir);
        Files.writeString(dns.hostsDir.resolve("multi"), "127.0.0.4 multi.users.test\n127.0.0.5 multi.users.test\n::5 multi.users.test\n");
        dns.start(List.of(
                "--host-record=node1.users.test,127.0.0.1", "--host-record=node2.users.test,127.0.0.2",
                "--host-record=node3.users.test,127.0.0.3",
                "--srv-host=_http._tcp.users.test,node1.users.test,8081,0,5",
                "--srv-host=_http._tcp.users.test,node2.users.test,8082,0,10",
                "--srv-host=_http._tcp.users.test,node3.users.test,8083,1,10",
                // the lowest priority group does not resolve: the backup group is used
                "--srv-host=_http._tcp.backup.test,missing.users.test,8081,0,5",
                "--srv-host=_http._tcp.backup.test,node3.users.test,8083,7,1",
                "--srv-host=_http._tcp.zero.test,node1.users.test,80,0,0",
                "--srv-host=_http._tcp.zero.test,node2.users.test,80,0,0",
                "--srv-host=_http._tcp.mixed.test,node1.users.test,80,0,0",
                "--srv-host=_http._tcp.mixed.test,node2.users.test,80,0,3",
                // two records to one address merge into one endpoint; a dual-stack target splits its weight
                "--srv-host=_http._tcp.merge.test,node1.users.test,80,0,2",
                "--srv-host=_http._tcp.merge.test,node1.users.test,80,0,4",
                "--srv-host=_http._tcp.merge.test,multi.users.test,90,0,3"));
    }

    @AfterAll
    static void stopDnsmasq() {
        if (dns != null) {
            dns.close();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T closing(T c) {
        closeAfter.add(c);
        return c;
    }

    private static String weighted(Endpoint e) {
        return e.authority() + "*" + e.weight();
    }

    private List<String> lookup(DnsSource.Builder builder) {
        DnsSource source = closing(builder.server(dns.server()).interval(NEVER).build());
        RecordingListener l = new RecordingListener();
        source.start(l);
        Await.until(WAIT, "a lookup", () -> l.lists.size() + l.errors.size() > 0);
        assertThat(l.errors).isEmpty();
        return l.lastList().stream().map(DnsSourceTest::weighted).toList();
    }

    @Test
    void srvUsesTheLowestPriorityGroupWithWeightsTimesTen() {
        assertThat(lookup(DnsSource.forSrv("_http._tcp.users.test")))
                .containsExactly("127.0.0.1:8081*50", "127.0.0.2:8082*100");
    }

    @Test
    void srvFallsBackToTheNextPriorityWhenNoTargetOfTheFirstResolves() {
        assertThat(lookup(DnsSource.forSrv("_http._tcp.backup.test"))).containsExactly("127.0.0.3:8083*10");
    }

    @Test
    void srvWeightZeroIsEqualAloneAndSmallNextToWeightedRecords() {
        assertThat(lookup(DnsSource.forSrv("_http._tcp.zero.test"))).containsExactly("127.0.0.1:80*1", "127.0.0.2:80*1");
        assertThat(lookup(DnsSource.forSrv("_http._tcp.mixed.test"))).containsExactly("127.0.0.1:80*1", "127.0.0.2:80*30");
    }

    @Test
    void srvRecordsToOneAddressMergeAndADualStackTargetSplitsItsWeight() {
        assertThat(lookup(DnsSource.forSrv("_http._tcp.merge.test"))).containsExactly(
                "[0:0:0:0:0:0:0:5]:90*10", "127.0.0.1:80*60", "127.0.0.4:90*10", "127.0.0.5:90*10");
    }

    @Test
    void hostGivesEveryAAndAaaaAddressOnThePort() {
        // sorted by host text, so the rotating order of DNS answers does not matter
        assertThat(lookup(DnsSource.forHost("multi.users.test", 8080)))
                .containsExactly("[0:0:0:0:0:0:0:5]:8080*1", "127.0.0.4:8080*1", "127.0.0.5:8080*1");
        assertThat(lookup(DnsSource.forHost("multi.users.test", 8080).ipv6(false)))
                .containsExactly("127.0.0.4:8080*1", "127.0.0.5:8080*1");
    }

    @Test
    void changedHostsFileIsSeenAfterRefresh() throws Exception {
        Path file = dns.hostsDir.resolve("web");
        Files.writeString(file, "127.0.0.10 web.users.test\n");
        DnsSource source = closing(DnsSource.forHost("web.users.test", 80).server(dns.server()).interval(NEVER).build());
        Balancer b = closing(Balancer.builder("web").source(source).build());
        // dnsmasq reloads the directory on its own time (inotify): refresh until it has
        Await.until(WAIT, "the first address", () -> source.refresh() && b.endpoints().equals(List.of(Endpoint.of("127.0.0.10", 80))));

        Files.writeString(file, "127.0.0.11 web.users.test\n127.0.0.12 web.users.test\n");

        Await.until(WAIT, "the new addresses", () -> {
            source.refresh();
            return b.endpoints();
        }, l -> l.equals(List.of(Endpoint.of("127.0.0.11", 80), Endpoint.of("127.0.0.12", 80))));
    }

    @Test
    void changedSrvRecordsAreSeenAfterRefreshAndAServerDownKeepsTheLastList(@TempDir Path own) throws Exception {
        RealServers.Dnsmasq server = closing(new RealServers.Dnsmasq(own));
        List<String> hosts = List.of("--host-record=a.svc.test,127.0.1.1", "--host-record=b.svc.test,127.0.1.2");
        server.start(concat(hosts, "--srv-host=_x._tcp.svc.test,a.svc.test,7001,0,1"));
        DnsSource source = closing(DnsSource.forSrv("_x._tcp.svc.test").server(server.server()).interval(NEVER).build());
        Balancer b = closing(Balancer.builder("svc").source(source).build());
        Await.until(WAIT, "the first list", () -> b.whenReady().isDone());
        assertThat(b.endpoints()).containsExactly(Endpoint.of("127.0.1.1", 7001));

        server.start(concat(hosts, "--srv-host=_x._tcp.svc.test,a.svc.test,7001,0,1", "--srv-host=_x._tcp.svc.test,b.svc.test,7002,0,2"));
        assertThat(source.refresh()).isTrue();
        assertThat(b.endpoints()).extracting(DnsSourceTest::weighted).containsExactly("127.0.1.1:7001*10", "127.0.1.2:7002*20");

        server.close();
        assertThat(source.refresh()).isFalse();
        assertThat(b.endpoints()).hasSize(2);
        assertThat(b.sourceErrorCount()).isEqualTo(1);

        server.start(concat(hosts, "--srv-host=_x._tcp.svc.test,b.svc.test,7002,0,2"));
        assertThat(source.refresh()).isTrue();
        assertThat(b.endpoints()).containsExactly(Endpoint.of("127.0.1.2", 7002));
        assertThat(b.sourceErrorCount()).isEqualTo(1);
    }

    private static List<String> concat(List<String> a, String... b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(List.of(b));
        return all;
    }

    @Test
    void unknownNameOrNoRecordsIsAnErrorNotAnEmptyList() {
        RecordingListener l = new RecordingListener();
        DnsSource nx = closing(DnsSource.forHost("nope.users.test", 80).server(dns.server()).interval(NEVER).build());
        nx.start(l);
        Await.until(WAIT, "the lookup", () -> !l.errors.isEmpty());
        assertThat(l.lastError()).hasMessage("DNS nope.users.test via " + dns.server() + ": no such name (NXDOMAIN)");

        DnsSource noSrv = closing(DnsSource.forSrv("node1.users.test").server(dns.server()).interval(NEVER).build());
        noSrv.start(l);
        Await.until(WAIT, "the lookup", () -> l.errors.size() == 2);
        assertThat(l.lastError()).hasMessage("DNS SRV node1.users.test via " + dns.server() + ": java.io.IOException: no SRV records");
        assertThat(l.lists).isEmpty();
    }

    @Test
    void looksUpAtStartThenOncePerInterval() {
        FakeScheduler scheduler = new FakeScheduler(new FakeTicker());
        String dead = "127.0.0.1:" + RealServers.freePort();
        DnsSource source = closing(DnsSource.forHost("x.test", 80).server(dead).interval(Duration.ofSeconds(30))
                .timeout(Duration.ofMillis(200)).scheduler(scheduler).build());
        RecordingListener l = new RecordingListener();
        source.start(l);
        assertThat(l.errors).isEmpty();

        scheduler.runDueTasks();
        assertThat(l.errors).hasSize(1);
        assertThat(l.lastError()).hasMessageStartingWith("DNS x.test via " + dead + ": javax.naming.CommunicationException");
        scheduler.advance(Duration.ofSeconds(30).minusMillis(1));
        assertThat(l.errors).hasSize(1);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(l.errors).hasSize(2);
    }

    @Test
    void closeStopsItsThread() {
        DnsSource source = DnsSource.forHost("multi.users.test", 80).server(dns.server()).build();
        RecordingListener l = new RecordingListener();
        source.start(l);
        Await.until(WAIT, "the first list", () -> !l.lists.isEmpty());
        assertThat(Await.threads("lb4j-dns-multi.users.test")).isNotEmpty();

        source.close();

        Await.until(WAIT, "the thread to stop", () -> Await.threads("lb4j-dns-multi.users.test").isEmpty());
        assertThat(source.refresh()).isFalse();
    }

    @Test
    void aServerThatNeverAnswersGetsOneQueryAndOneRetryWaitingTwiceAsLong() throws Exception {
        try (java.net.DatagramSocket silent = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            java.util.concurrent.atomic.AtomicInteger queries = new java.util.concurrent.atomic.AtomicInteger();
            Thread counter = io.lb4j.core.internal.DaemonThreads.start("test-dns-silent", () -> {
                byte[] buf = new byte[512];
                while (!silent.isClosed()) {
                    try {
                        silent.receive(new java.net.DatagramPacket(buf, buf.length));
                        queries.incrementAndGet(); // and never an answer
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            DnsSource source = closing(DnsSource.forHost("silent.test", 80).server("127.0.0.1:" + silent.getLocalPort())
                    .timeout(Duration.ofMillis(200)).ipv6(false).interval(NEVER).scheduler(new FakeScheduler(new FakeTicker())).build());
            RecordingListener l = new RecordingListener();
            source.start(l); // the first lookup is scheduled on the fake scheduler, which does not run it

            long start = System.nanoTime();
            assertThat(source.refresh()).isFalse();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(queries.get()).as("queries sent for one A lookup").isEqualTo(2);
            assertThat(took).as("200 ms, then 400 ms for the retry").isGreaterThanOrEqualTo(Duration.ofMillis(600));
            assertThat(l.lastError()).hasMessageContaining("DNS silent.test via 127.0.0.1:" + silent.getLocalPort());
            silent.close();
            counter.join(WAIT.toMillis());
        }
    }

    @Test
    void aSkippedSrvTargetIsWarnedAboutOncePerEpisode() throws Exception {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        DnsSource source = closing(DnsSource.forSrv("_http._tcp.backup.test").server(dns.server()).interval(NEVER)
                .scheduler(new FakeScheduler(new FakeTicker())).build());
        source.start(new RecordingListener());
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 3; i++) {
                assertThat(source.refresh()).isTrue();
            }
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(log.split("SRV targets without addresses skipped: \\[missing.users.test\\]", -1)).hasSize(2);
    }

    @Test
    void closeDoesNotWaitForALookupInProgress() throws Exception {
        try (java.net.DatagramSocket silent = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            DnsSource source = closing(DnsSource.forHost("slow.test", 80).server("127.0.0.1:" + silent.getLocalPort())
                    .timeout(Duration.ofSeconds(5)).build());
            source.start(new RecordingListener());
            silent.setSoTimeout((int) WAIT.toMillis());
            silent.receive(new java.net.DatagramPacket(new byte[512], 512)); // the query arrived: the lookup is waiting

            long start = System.nanoTime();
            source.close();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void builderRejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> DnsSource.forHost("users.test", 0)).hasMessage("port: 0 (expected: 1-65535)");
        assertThatThrownBy(() -> DnsSource.forHost("bad name", 80))
                .hasMessage("name: 'bad name' (expected: a DNS name like users.example)");
        assertThatThrownBy(() -> DnsSource.forSrv("a..b")).hasMessage("name: 'a..b' (expected: a DNS name like users.example)");
        assertThatThrownBy(() -> DnsSource.forSrv("_x._tcp.a").server("dns.example:53"))
                .hasMessage("server: 'dns.example:53' (expected: an IP address, not a name)");
        assertThatThrownBy(() -> DnsSource.forSrv("_x._tcp.a").server("127.0.0.1:99999"))
                .hasMessage("server: '127.0.0.1:99999' (expected: ip or ip:port, like 127.0.0.1:53)");
        assertThatThrownBy(() -> DnsSource.forSrv("_x._tcp.a").interval(Duration.ZERO)).hasMessage("interval: PT0S (expected: > 0)");
        assertThatThrownBy(() -> DnsSource.forSrv("_x._tcp.a").timeout(Duration.ofMinutes(2)))
                .hasMessage("timeout: PT2M (expected: <= PT1M)");
        assertThat(DnsSource.forSrv("_x._tcp.a").server("::1").build()).hasToString("DnsSource{SRV _x._tcp.a via [::1]:53}");
        assertThat(DnsSource.forHost("Users.Test.", 80).server("10.0.0.1").build().name()).isEqualTo("users.test");
    }
}
