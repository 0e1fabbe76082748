package io.lb4j.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.Exclusions;
import io.lb4j.core.Selection;
import io.lb4j.testing.LoopbackBackend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live page rendered by a real headless Chromium (Debian's {@code chromium}) against the
 * handler on a real JDK HttpServer, with real loopback backends behind two balancers: after a
 * backend is stopped and a call to it fails to connect, the page shows it excluded with its
 * reason. Chromium's virtual time lets the page poll several times before its DOM is dumped. A
 * screenshot is kept in {@code target/lb4j-admin-ui.png}. Skipped with a printed reason only
 * when Chromium is absent and {@code LB4J_REQUIRE_SERVERS} is not set.
 */
class AdminPageBrowserTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<LoopbackBackend> backends = new ArrayList<>();
    private HttpServer server;
    private Balancer users;
    private Balancer orders;
    private Path chromium;

    @BeforeEach
    void start() throws IOException {
        chromium = findChromium();
        if (chromium == null) {
            String why = "no chromium binary (/usr/bin/chromium, LB4J_CHROMIUM); install it with apt-get install chromium";
            if (System.getenv("LB4J_REQUIRE_SERVERS") != null) {
                throw new AssertionError(why + " (LB4J_REQUIRE_SERVERS is set)");
            }
            System.out.println("AdminPageBrowserTest skipped: " + why);
            Assumptions.abort(why);
        }
        LoopbackBackend u1 = backend("u1").delay(Duration.ofMillis(4));
        LoopbackBackend u2 = backend("u2").delay(Duration.ofMillis(9));
        LoopbackBackend u3 = backend("u3");
        users = Balancer.builder("users").endpoints(u1.endpoint(), u2.endpoint(), u3.endpoint()).build();
        LoopbackBackend o1 = backend("o1");
        LoopbackBackend o2 = backend("o2");
        LoopbackBackend o3 = backend("o3");
        orders = Balancer.builder("orders").endpoints(
                Endpoint.builder(o1.endpoint().host(), o1.port()).zone("eu-1a").weight(2).build(),
                Endpoint.builder(o2.endpoint().host(), o2.port()).zone("eu-1b").metadata("version", "41").build(),
                Endpoint.builder(o3.endpoint().host(), o3.port()).zone("eu-1b").weight(0).build()).build();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/lb4j", AdminHandler.builder().balancer(users).balancer(orders)
                .refreshInterval(Duration.ofSeconds(1)).build());
        server.start();
    }

    private LoopbackBackend backend(String name) throws IOException {
        LoopbackBackend b = LoopbackBackend.start(name);
        backends.add(b);
        return b;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (users != null) {
            users.close();
            orders.close();
        }
        backends.forEach(LoopbackBackend::close);
    }

    static Path findChromium() {
        String configured = System.getenv("LB4J_CHROMIUM");
        for (String candidate : configured != null ? List.of(configured) : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            Path p = Path.of(candidate);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** One call through the balancer, reported as the HTTP client saw it. */
    private Endpoint call(Balancer balancer) throws InterruptedException {
        Selection s = balancer.pick();
        Endpoint e = s.endpoint();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + e.authority() + "/api"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 500) {
                s.failure(new IOException("HTTP " + r.statusCode()));
            } else {
                s.success();
            }
        } catch (IOException x) {
            s.failure(x); // a ConnectException counts as a connection failure
        }
        return e;
    }

    @Test
    void afterABackendIsStoppedThePageShowsItExcludedWithItsReason() throws Exception {
        for (int i = 0; i < 30; i++) {
            call(users);
            call(orders);
        }
        Exclusions maintenance = orders.newExclusions("maintenance");
        maintenance.exclude(orders.endpoints().get(1), "kernel upgrade", Duration.ofMinutes(10));
        orders.flush().get();

        String before = render(false);
        LoopbackBackend u2 = backends.get(1);
        assertThat(row(before, u2.endpoint())).as("u2 before it stops").contains("data-state=\"eligible\"");

        u2.stop();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (users.snapshot().exclusions(u2.endpoint()).isEmpty()) { // round-robin reaches u2 within 3 calls
            assertThat(System.nanoTime()).as("u2 excluded after a failed connection").isLessThan(deadline);
            call(users);
            users.flush().get();
        }
        for (int i = 0; i < 20; i++) {
            call(users);
        }

        String after = render(true);
        String u2row = row(after, u2.endpoint());
        assertThat(u2row).contains("data-state=\"excluded\"").contains("<span class=\"owner\">connection</span>")
                .contains("connection failed: ConnectException");
        assertThat(row(after, backends.get(0).endpoint())).contains("data-state=\"eligible\"");
        assertThat(row(after, backends.get(2).endpoint())).contains("data-state=\"eligible\"");
        String o2row = row(after, orders.endpoints().get(1));
        assertThat(o2row).contains("data-state=\"excluded\"").contains("kernel upgrade").contains("maintenance");
        assertThat(row(after, orders.endpoints().get(2))).contains("data-state=\"drained\"");
        assertThat(after).as("u2's exclusion is in the events").contains(u2.endpoint().authority() + " excluded by connection");
        Matcher polls = Pattern.compile("<body data-polls=\"(\\d+)\"").matcher(after);
        assertThat(polls.find()).isTrue();
        assertThat(Integer.parseInt(polls.group(1))).as("the page kept polling").isGreaterThanOrEqualTo(2);
        assertThat(Path.of("target", "lb4j-admin-ui.png")).isNotEmptyFile();
    }

    /** The row of one endpoint in a dumped DOM. */
    private static String row(String dom, Endpoint e) {
        Matcher m = Pattern.compile("<tr[^>]*data-endpoint=\"" + Pattern.quote(e.authority()) + "\"[^>]*>.*?</tr>", Pattern.DOTALL)
                .matcher(dom);
        assertThat(m.find()).as("a row for " + e.authority()).isTrue();
        return m.group();
    }

    /** The page's DOM after 4 s of Chromium's virtual time; with {@code screenshot}, also target/lb4j-admin-ui.png. */
    private String render(boolean screenshot) throws Exception {
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/lb4j/ui";
        String dom = chromium(List.of("--dump-dom", url));
        if (screenshot) {
            Path png = Path.of("target", "lb4j-admin-ui.png").toAbsolutePath();
            Files.deleteIfExists(png);
            chromium(List.of("--screenshot=" + png, "--window-size=1400,1000", url));
        }
        return dom;
    }

    private String chromium(List<String> args) throws Exception {
        Path profile = Files.createTempDirectory("lb4j-chromium-");
        Path err = Files.createTempFile("lb4j-chromium-", ".log");
        try {
            List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--hide-scrollbars", "--user-data-dir=" + profile, "--virtual-time-budget=4000"));
            command.addAll(args);
            Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) { // a hang guard, not a speed goal
                p.destroyForcibly();
                throw new AssertionError("chromium did not finish: " + Files.readString(err));
            }
            assertThat(p.exitValue()).as("chromium's exit; stderr: " + Files.readString(err)).isZero();
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
            Files.deleteIfExists(err);
        }
    }
}
