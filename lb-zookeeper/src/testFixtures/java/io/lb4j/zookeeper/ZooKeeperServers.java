package io.lb4j.zookeeper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Real ZooKeeper servers for the tests, each in its own JVM ({@code QuorumPeerMain} from the
 * zookeeper artifact on the test class path) on free loopback ports, so that a test can SIGKILL
 * one: a standalone server or the members of an ensemble. Fast timings: tick 100 ms, so that an
 * election after a leader's death takes well under a second and sessions may be short.
 *
 * <p>A test fixture (src/testFixtures/java), compiled into the tests of lb-zookeeper and of the
 * modules that configure ZooKeeper (lb-config, the Spring Boot starter), whose test class path
 * must hold the zookeeper artifact with the server's own needs (metrics-core, snappy-java). The
 * server is Java, from that class path: nothing to install, so nothing to skip.
 */
public final class ZooKeeperServers {
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();

    static {
        // a test JVM that ends abnormally must not leave servers behind
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly), "test-zk-reaper"));
    }

    private ZooKeeperServers() {}

    /**
     * A standalone server, started and serving.
     *
     * @param dir a directory for its configuration, data and log
     * @return the server; close it to stop it
     */
    public static Member standalone(Path dir) {
        Member m = new Member(dir.resolve("standalone"), 0, List.of());
        m.start();
        return m;
    }

    /** The members of an ensemble of {@code n}, all started and serving. */
    static List<Member> ensemble(Path dir, int n) {
        List<int[]> ports = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ports.add(new int[] {freePort(), freePort()});
        }
        List<String> servers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            servers.add("server." + (i + 1) + "=127.0.0.1:" + ports.get(i)[0] + ":" + ports.get(i)[1]);
        }
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            members.add(new Member(dir.resolve("member" + (i + 1)), i + 1, servers));
        }
        members.forEach(Member::launch);
        members.forEach(Member::awaitServing);
        return members;
    }

    static String connectString(List<Member> members) {
        return members.stream().map(Member::address).collect(Collectors.joining(","));
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    /** Sends a four-letter command; null when the server does not answer. */
    static String fourLetters(int port, String command) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, port), 500);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write(command.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return null;
        }
    }

    /** One server process; restartable on the same ports and data. */
    public static final class Member implements AutoCloseable {
        final int id;
        final int clientPort = freePort();
        private final Path dir;
        private final Path config;
        private Process process;
        private int starts;

        Member(Path dir, int id, List<String> servers) {
            this.dir = dir;
            this.id = id;
            this.config = dir.resolve("zoo.cfg");
            List<String> lines = new ArrayList<>(List.of(
                    "tickTime=100", "initLimit=100", "syncLimit=20",
                    "dataDir=" + dir.resolve("data"),
                    "clientPort=" + clientPort, "clientPortAddress=127.0.0.1",
                    "minSessionTimeout=200", "maxSessionTimeout=60000",
                    "admin.enableServer=false", "4lw.commands.whitelist=srvr,ruok",
                    // the default provider needs Dropwizard metrics, which the zookeeper artifact leaves out
                    "metricsProvider.className=org.apache.zookeeper.metrics.impl.NullMetricsProvider",
                    "standaloneEnabled=true", "reconfigEnabled=false"));
            lines.addAll(servers);
            try {
                Files.createDirectories(dir.resolve("data"));
                Files.write(config, lines);
                if (id > 0) {
                    Files.writeString(dir.resolve("data").resolve("myid"), Integer.toString(id));
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Where clients connect.
         *
         * @return {@code 127.0.0.1:<port>}, a connect string of this server alone
         */
        public String address() {
            return "127.0.0.1:" + clientPort;
        }

        void start() {
            launch();
            awaitServing();
        }

        void launch() {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path log = dir.resolve("server-" + (starts++) + ".log");
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-Dzookeeper.admin.enableServer=false",
                    // empty container znodes go within 200 ms instead of a minute
                    "-Dznode.container.checkIntervalMs=200",
                    "-cp", System.getProperty("java.class.path"),
                    "org.apache.zookeeper.server.quorum.QuorumPeerMain", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start a ZooKeeper server", e);
            }
            STARTED.add(process);
            Process p = process;
            p.onExit().thenRun(() -> STARTED.remove(p));
        }

        /** Waits until it serves clients (for an ensemble member: until it has joined a quorum). */
        void awaitServing() {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!serving()) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("ZooKeeper " + id + " exited with " + process.exitValue() + ":\n" + tail());
                }
                if (System.nanoTime() - deadline > 0) {
                    kill();
                    throw new IllegalStateException("ZooKeeper " + id + " not serving after " + START_TIMEOUT + ":\n" + tail());
                }
                try {
                    Thread.sleep(20); // a poll step while the server starts
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }

        boolean serving() {
            String srvr = fourLetters(clientPort, "srvr");
            return srvr != null && srvr.contains("Mode:");
        }

        boolean isLeader() {
            String srvr = fourLetters(clientPort, "srvr");
            return srvr != null && (srvr.contains("Mode: leader") || srvr.contains("Mode: standalone"));
        }

        /** SIGKILL, and wait for the process to be gone. */
        void kill() {
            if (process == null) {
                return;
            }
            try {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String tail() {
            try {
                List<String> lines = Files.readAllLines(dir.resolve("server-" + (starts - 1) + ".log")).stream()
                        .filter(l -> !l.contains("Processing srvr command")).toList();
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        /** Stops the server (SIGKILL) and waits until it is gone. */
        @Override
        public void close() {
            kill();
        }
    }
}
