package io.lb4j.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.testing.Await;
import io.lb4j.testing.FakeScheduler;
import io.lb4j.testing.FakeTicker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourceTest {
    private static final Duration POLL = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final FakeScheduler scheduler = new FakeScheduler(new FakeTicker());
    private Balancer balancer;
    private FileSource source;

    @AfterEach
    void tearDown() {
        if (balancer != null) {
            balancer.close();
        }
        if (source != null) {
            source.close();
        }
    }

    private Path write(String json) throws IOException {
        return Files.writeString(dir.resolve("endpoints.json"), json);
    }

    private Balancer polled(Path file) {
        source = FileSource.builder(file, "users").watch(false).pollInterval(POLL).scheduler(scheduler).build();
        balancer = Balancer.builder("users").source(source).build();
        return balancer;
    }

    private Balancer watched(Path file) {
        // a long poll interval: only the watch service can be quick enough for these tests
        source = FileSource.builder(file, "users").pollInterval(Duration.ofHours(1)).build();
        balancer = Balancer.builder("users").source(source).build();
        return balancer;
    }

    private static String users(String... authorities) {
        StringBuilder sb = new StringBuilder("{\"users\": [");
        for (int i = 0; i < authorities.length; i++) {
            String[] hp = authorities[i].split(":");
            sb.append(i == 0 ? "" : ",").append("{\"host\":\"").append(hp[0]).append("\",\"port\":").append(hp[1]).append('}');
        }
        return sb.append("]}").toString();
    }

    @Test
    void readsTheServiceArrayWithEveryAttributeAndIgnoresOtherServices() throws Exception {
        Path file = write("""
                {"orders": [{"host": "10.9.9.9", "port": 1}],
                 "users": [{"host": "10.0.0.1", "port": 8080, "weight": 2, "zone": "a",
                            "metadata": {"version": "42", "canary": true}, "comment": "ignored"},
                           {"host": "::1", "port": 9090}]}
                """);
        polled(file);

        assertThat(balancer.whenReady()).isCompleted();
        List<Endpoint> eps = balancer.endpoints();
        assertThat(eps).containsExactly(Endpoint.of("10.0.0.1", 8080), Endpoint.of("::1", 9090));
        assertThat(eps.get(0).weight()).isEqualTo(2);
        assertThat(eps.get(0).zone()).contains("a");
        assertThat(eps.get(0).metadata()).isEqualTo(Map.of("version", "42", "canary", "true"));
        assertThat(eps.get(1).weight()).isEqualTo(1);
        assertThat(eps.get(1).zone()).isEmpty();
    }

    @Test
    void pollingPicksUpAnEditWithoutWatchEvents() throws Exception {
        Path file = write(users("10.0.0.1:80"));
        polled(file);
        write(users("10.0.0.1:80", "10.0.0.2:80"));

        scheduler.advance(POLL.minusMillis(1));
        assertThat(balancer.endpoints()).hasSize(1);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(balancer.endpoints()).containsExactly(Endpoint.of("10.0.0.1", 80), Endpoint.of("10.0.0.2", 80));
    }

    @Test
    void unchangedFileIsNotDeliveredAgain() throws Exception {
        Path file = write(users("10.0.0.1:80"));
        source = FileSource.builder(file, "users").watch(false).pollInterval(POLL).scheduler(scheduler).build();
        RecordingListener l = new RecordingListener();
        source.start(l);
        scheduler.advance(POLL.multipliedBy(3));
        write(users("10.0.0.1:80") + "\n"); // other bytes, same list
        scheduler.advance(POLL);

        assertThat(l.lists).hasSize(1);
        assertThat(l.errors).isEmpty();
    }

    @Test
    void watchServiceReloadsAnEditPromptly() throws Exception {
        Path file = write(users("10.0.0.1:80"));
        watched(file);
        assertThat(balancer.whenReady()).isCompleted();

        write(users("10.0.0.1:80", "10.0.0.3:80"));

        Await.until(WAIT, "the edit", balancer::endpoints, l -> l.size() == 2);
    }

    @Test
    void watchServiceSeesAnAtomicReplaceByRename() throws Exception {
        Path file = write(users("10.0.0.1:80"));
        watched(file);

        Path tmp = Files.writeString(dir.resolve(".endpoints.json.tmp"), users("10.0.0.7:80", "10.0.0.8:80"));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        Await.until(WAIT, "the replaced file", balancer::endpoints,
                l -> l.equals(List.of(Endpoint.of("10.0.0.7", 80), Endpoint.of("10.0.0.8", 80))));
    }

    @Test
    void halfWrittenFileKeepsTheListUntilItIsComplete() throws Exception {
        Path file = write(users("10.0.0.1:80"));
        polled(file);
        String next = users("10.0.0.1:80", "10.0.0.2:80");

        write(next.substring(0, next.length() / 2));
        scheduler.advance(POLL);
        assertThat(balancer.endpoints()).containsExactly(Endpoint.of("10.0.0.1", 80));
        assertThat(balancer.sourceErrorCount()).isEqualTo(1);

        write(next);
        scheduler.advance(POLL);
        assertThat(balancer.endpoints()).hasSize(2);
    }

    @Test
    void brokenJsonIsReportedWithLineAndColumn() throws Exception {
        Path file = write(users("10.0.0.1:80"));
        source = FileSource.builder(file, "users").watch(false).scheduler(scheduler).build();
        RecordingListener l = new RecordingListener();
        source.start(l);

        write("{\"users\": [\n  {\"host\": \"10.0.0.1\", \"port\": 80},\n  {\"host\" \"10.0.0.2\"}\n]}");
        assertThat(source.reload()).isFalse();

        assertThat(l.lists).hasSize(1);
        assertThat(l.lastError()).isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + ": line 3, column 11:")
                .hasMessageContaining("expecting a colon");
    }

    @Test
    void truncatedFileIsReportedWithoutJacksonsSourceText() throws Exception {
        Path file = write("{\"users\": [\n  {\"host\": \"10.0.0.1\", \"port\": 80},\n  {\"host\": \"10.0.0.2\"");
        source = FileSource.builder(file, "users").watch(false).scheduler(scheduler).build();
        RecordingListener l = new RecordingListener();
        source.start(l);

        assertThat(l.lastError().getMessage())
                .isEqualTo(file + ": line 3, column 22: Unexpected end-of-input: expected close marker for Object"
                        + " (start marker at line 3, column 3)")
                .doesNotContain("Source")
                .doesNotContain("REDACTED")
                .doesNotContain("StreamReadFeature");
    }

    @Test
    void invalidEndpointIsReportedWithItsElementAndRule() throws Exception {
        Path file = write("{\"users\": [\n  {\"host\": \"10.0.0.1\", \"port\": 80},\n  {\"host\": \"10.0.0.2\", \"port\": 70000}\n]}");
        source = FileSource.builder(file, "users").watch(false).scheduler(scheduler).build();
        RecordingListener l = new RecordingListener();
        source.start(l);

        assertThat(l.lists).isEmpty();
        assertThat(l.lastError()).hasMessage(file + ": line 3, column 3: users[1].port: 70000 (expected: 1-65535)");
    }

    @Test
    void duplicateMissingFieldAndMissingArrayAreReported() throws Exception {
        Path file = write(users("10.0.0.1:80", "10.0.0.1:80"));
        source = FileSource.builder(file, "users").watch(false).scheduler(scheduler).build();
        RecordingListener l = new RecordingListener();
        source.start(l);
        assertThat(l.lastError()).hasMessageContaining("users[1]: 10.0.0.1:80 (expected: unique host:port, already at users[0])");

        write("{\"users\": [{\"port\": 80}]}");
        source.reload();
        assertThat(l.lastError()).hasMessageContaining("users[0].host: missing (expected: a string)");

        write("{\"orders\": []}");
        source.reload();
        assertThat(l.lastError()).hasMessage(file + ": no \"users\" array");

        write("{\"users\": []} trailing");
        source.reload();
        assertThat(l.lastError()).hasMessageContaining("line 1");
        assertThat(l.lists).isEmpty();
    }

    @Test
    void emptyArrayIsAValidList() throws Exception {
        Path file = write("{\"users\": []}");
        RecordingListener l = new RecordingListener();
        source = FileSource.builder(file, "users").watch(false).scheduler(scheduler).build();
        source.start(l);

        assertThat(l.lists).containsExactly(List.of());
    }

    @Test
    void deletedFileKeepsTheListReportsOnceAndRecoversWhenItReturns() throws Exception {
        Path file = write(users("10.0.0.1:80"));
        polled(file);
        Files.delete(file);

        scheduler.advance(POLL.multipliedBy(3));
        assertThat(balancer.endpoints()).containsExactly(Endpoint.of("10.0.0.1", 80));
        assertThat(balancer.sourceErrorCount()).isEqualTo(1);

        write(users("10.0.0.1:80"));
        scheduler.advance(POLL);
        assertThat(source.reload()).isTrue();
        assertThat(balancer.endpoints()).containsExactly(Endpoint.of("10.0.0.1", 80));
        assertThat(balancer.sourceErrorCount()).isEqualTo(1);
    }

    @Test
    void fileMissingAtStartMakesTheBalancerReadyWhenItAppears() throws Exception {
        Path file = dir.resolve("later.json");
        polled(file);
        assertThat(balancer.whenReady()).isNotDone();

        Files.writeString(file, users("10.0.0.5:80"), StandardCharsets.UTF_8);
        scheduler.advance(POLL);

        assertThat(balancer.whenReady()).isCompleted();
        assertThat(balancer.endpoints()).containsExactly(Endpoint.of("10.0.0.5", 80));
    }

    @Test
    void closeStopsItsThreadsAndDeliversNothing() throws Exception {
        Path file = write("{\"threads-test\": [{\"host\": \"10.0.0.1\", \"port\": 80}]}");
        source = FileSource.builder(file, "threads-test").pollInterval(Duration.ofMillis(20)).build();
        RecordingListener l = new RecordingListener();
        source.start(l);
        assertThat(Await.threads("lb4j-file-")).contains("lb4j-file-threads-test", "lb4j-file-watch-threads-test");

        source.close();
        write("{\"threads-test\": []}");

        Await.until(WAIT, "threads to stop", () -> Await.threads("lb4j-file-").stream().noneMatch(n -> n.endsWith("threads-test")));
        assertThat(source.reload()).isFalse();
        assertThat(l.lists).hasSize(1);
    }

    @Test
    void startsOnlyOnceAndNotAfterClose() throws Exception {
        Path file = write(users("10.0.0.1:80"));
        source = FileSource.builder(file, "users").watch(false).scheduler(scheduler).build();
        source.start(new RecordingListener());
        assertThatThrownBy(() -> source.start(new RecordingListener()))
                .isInstanceOf(IllegalStateException.class).hasMessageEndingWith("was already started");

        FileSource closed = FileSource.builder(file, "users").watch(false).scheduler(scheduler).build();
        closed.close();
        assertThatThrownBy(() -> closed.start(new RecordingListener()))
                .isInstanceOf(IllegalStateException.class).hasMessageEndingWith("is closed");
    }

    @Test
    void builderRejectsBadValuesNamingThem() {
        Path file = dir.resolve("x.json");
        assertThatThrownBy(() -> FileSource.builder(file, " ")).hasMessage("service: ' ' (expected: not blank)");
        assertThatThrownBy(() -> FileSource.builder(null, "users")).hasMessage("file: null (expected: not null)");
        assertThatThrownBy(() -> FileSource.builder(file, "users").pollInterval(Duration.ZERO))
                .hasMessage("pollInterval: PT0S (expected: > 0)");
        assertThatThrownBy(() -> FileSource.builder(file, "users").pollInterval(POLL).pollInterval(POLL))
                .hasMessage("pollInterval was already set to PT5S");
    }
}
