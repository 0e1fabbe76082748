package io.lb4j.discovery;

import static org.junit.jupiter.api.Assertions.fail;

import io.lb4j.testing.Await;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.opentest4j.TestAbortedException;

/**
 * Starts throwaway etcd and dnsmasq servers on free loopback ports for the discovery tests.
 * A missing binary skips the test with what to install, or fails it when the environment
 * variable {@code LB4J_REQUIRE_SERVERS} is {@code true} (as in CI, where skipping would hide
 * that the real-server tests never ran).
 */
public final class RealServers {
    static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final java.util.Set<Process> STARTED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final java.util.Set<String> REPORTED_MISSING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        // a test JVM that ends abnormally (timeout, Ctrl-C) must not leave servers behind
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly), "test-servers-reaper"));
    }

    private RealServers() {}

    /** The binary's path, or the test is skipped (failed when servers are required). */
    static Path binary(String name, String debianPackage, String... candidates) {
        try {
            return binary(name, debianPackage, "true".equalsIgnoreCase(System.getenv("LB4J_REQUIRE_SERVERS")), candidates);
        } catch (TestAbortedException skipped) {
            if (REPORTED_MISSING.add(name)) {
                // on the console (surefire prints a test's stderr), not only in the XML report
                System.err.println("[lb4j] skipping the tests that need " + name + ": " + skipped.getMessage());
            }
            throw skipped;
        }
    }

    static Path binary(String name, String debianPackage, boolean required, String... candidates) {
        List<Path> places = new ArrayList<>();
        for (String c : candidates) {
            places.add(Path.of(c));
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (!d.isEmpty()) {
                places.add(Path.of(d, name));
            }
        }
        for (Path p : places) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String message = name + " is not installed; install it with: apt-get install -y " + debianPackage;
        if (required) {
            fail(message + " (LB4J_REQUIRE_SERVERS=true: real-server tests must not be skipped)");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /** A loopback port free for TCP and UDP right now. */
    static int freePort() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, LOOPBACK)) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
                    return udp.getLocalPort();
                } catch (IOException busyForUdp) {
                    // try another
                }
            } catch (IOException e) {
                throw new IllegalStateException("no free loopback port", e);
            }
        }
        throw new IllegalStateException("no loopback port free for both TCP and UDP");
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a DNS server on the loopback port answers a UDP query (any answer, NXDOMAIN too). */
    static boolean answersUdp(int port) {
        byte[] query = {0x4c, 0x62, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
            5, 'r', 'e', 'a', 'd', 'y', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1};
        try (DatagramSocket socket = new DatagramSocket(0, LOOPBACK)) {
            socket.setSoTimeout(200);
            socket.send(new DatagramPacket(query, query.length, LOOPBACK, port));
            byte[] answer = new byte[512];
            DatagramPacket received = new DatagramPacket(answer, answer.length);
            socket.receive(received);
            return received.getLength() >= 12 && answer[0] == query[0] && answer[1] == query[1];
        } catch (IOException e) {
            return false;
        }
    }

    static void stop(Process p) {
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void kill(Process p) {
        if (p == null) {
            return;
        }
        try {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Process started(Process p) {
        STARTED.add(p);
        p.onExit().thenRun(() -> STARTED.remove(p));
        return p;
    }

    /** Polls {@code ready} until true; fails with the log's tail if the process dies or the deadline passes. */
    static void awaitReady(String name, Process process, Path log, java.util.function.BooleanSupplier ready) {
        try {
            Await.until(START_TIMEOUT, name + " to be ready", () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail(log));
                }
                return ready.getAsBoolean();
            });
        } catch (AssertionError notReady) {
            kill(process);
            throw new IllegalStateException(name + " not ready after " + START_TIMEOUT + ":\n" + tail(log), notReady);
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** One etcd member with fast raft timings (so that a 1 s lease is honoured); restartable on the same ports and data. */
    public static final class Etcd implements AutoCloseable {
        private final Path binary;
        private final Path dir;
        final int clientPort = freePort();
        final int peerPort = freePort();
        private Process process;
        private int starts;

        Etcd(Path dir) {
            this.binary = binary("etcd", "etcd-server", "/usr/bin/etcd", "/usr/local/bin/etcd");
            this.dir = dir;
        }

        public static Etcd start(Path dir) {
            Etcd e = new Etcd(dir);
            e.start();
            return e;
        }

        public String url() {
            return "http://127.0.0.1:" + clientPort;
        }

        void start() {
            String client = url();
            String peer = "http://127.0.0.1:" + peerPort;
            Path log = dir.resolve("etcd-" + (starts++) + ".log");
            ProcessBuilder pb = new ProcessBuilder(binary.toString(),
                    "--name", "lbtest", "--data-dir", dir.resolve("data").toString(),
                    "--listen-client-urls", client, "--advertise-client-urls", client,
                    "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                    "--initial-cluster", "lbtest=" + peer, "--initial-cluster-state", "new",
                    "--heartbeat-interval=10", "--election-timeout=100",
                    // a quiet watch hears from etcd every 200 ms instead of every 10 minutes
                    "--experimental-watch-progress-notify-interval=200ms")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            try {
                process = started(pb.start());
            } catch (IOException e) {
                throw new IllegalStateException("cannot start " + binary, e);
            }
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofMillis(500)).build();
            HttpRequest health = HttpRequest.newBuilder(URI.create(client + "/health")).timeout(Duration.ofSeconds(1)).build();
            awaitReady("etcd", process, log, () -> {
                try {
                    return http.send(health, HttpResponse.BodyHandlers.ofString()).body().contains("\"true\"");
                } catch (IOException notYet) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
        }

        /**
         * Kills it (SIGKILL) and starts a new, empty etcd on the same ports: the same address
         * and cluster id, other data, the revision back at 1 (a data directory lost or restored
         * from an older backup).
         */
        void replaceWithAnEmptyOne() {
            RealServers.kill(process);
            try (java.util.stream.Stream<Path> files = Files.walk(dir.resolve("data"))) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot remove etcd's data", e);
            }
            start();
        }

        /** Stops it gracefully (SIGTERM), keeping the data for {@link #start()}. */
        void stop() {
            RealServers.stop(process);
        }

        @Override
        public void close() {
            RealServers.kill(process);
        }
    }

    /**
     * A dnsmasq answering only from its command line and a hosts directory (re-read live on change);
     * everything under {@code .test} that it does not know is NXDOMAIN.
     */
    static final class Dnsmasq implements AutoCloseable {
        private final Path binary;
        private final Path dir;
        final int port = freePort();
        final Path hostsDir;
        private Process process;
        private int starts;

        Dnsmasq(Path dir) throws IOException {
            this.binary = binary("dnsmasq", "dnsmasq-base", "/usr/sbin/dnsmasq", "/usr/local/sbin/dnsmasq");
            this.dir = dir;
            this.hostsDir = Files.createDirectories(dir.resolve("hosts.d"));
        }

        String server() {
            return "127.0.0.1:" + port;
        }

        /** Starts (or restarts) it with these extra options, e.g. {@code --srv-host=...}. */
        void start(List<String> records) {
            close();
            Path log = dir.resolve("dnsmasq-" + (starts++) + ".log");
            List<String> cmd = new ArrayList<>(List.of(binary.toString(),
                    "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--no-poll", "--keep-in-foreground",
                    "--pid-file=", "--listen-address=127.0.0.1", "--bind-interfaces", "--port=" + port,
                    "--local-ttl=30", "--local=/test/", "--hostsdir=" + hostsDir, "--log-facility=-",
                    // as root it would switch to "nobody", who cannot read a private temp dir
                    "--user=" + System.getProperty("user.name")));
            cmd.addAll(records);
            try {
                process = started(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start());
            } catch (IOException e) {
                throw new IllegalStateException("cannot start " + binary, e);
            }
            // a TCP accept is not enough: the lookups are UDP, and a restarted dnsmasq has been seen
            // to accept before it answered them
            awaitReady("dnsmasq", process, log, () -> accepts(port) && answersUdp(port));
        }

        @Override
        public void close() {
            RealServers.stop(process);
            process = null;
        }
    }
}
