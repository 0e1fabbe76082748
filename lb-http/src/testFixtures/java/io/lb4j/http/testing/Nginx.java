package io.lb4j.http.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway nginx (one process: {@code master_process off}, {@code daemon off}) under a
 * temporary prefix, serving the {@code http} block a test gives it on 127.0.0.1. Without an
 * nginx binary the test is skipped, or failed when {@code LB4J_REQUIRE_SERVERS=true} (CI, whose
 * {@code .ci/run} installs it).
 */
public final class Nginx implements AutoCloseable {
    private final Process process;
    private final Path prefix;

    private Nginx(Process process, Path prefix) {
        this.process = process;
        this.prefix = prefix;
    }

    /**
     * Starts nginx with {@code servers} as the body of its {@code http} block and waits until
     * every one of {@code ports} accepts connections. Files a test wrote into
     * {@code prefix/conf} before (certificates) are found by their relative names.
     *
     * @param prefix an empty directory
     * @param servers {@code server { ... }} blocks
     * @param ports the ports they listen on
     * @return the running nginx
     * @throws IOException if it cannot start, with its error log
     */
    public static Nginx start(Path prefix, String servers, int... ports) throws IOException {
        Path binary = binary();
        Files.createDirectories(prefix.resolve("conf"));
        Files.createDirectories(prefix.resolve("logs"));
        String temp = prefix.resolve("logs").toString();
        Files.writeString(prefix.resolve("conf/nginx.conf"), String.join("\n",
                "daemon off;", "master_process off;", "worker_processes 1;", "error_log logs/error.log;", "pid logs/nginx.pid;",
                "events { worker_connections 128; }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + temp + "; proxy_temp_path " + temp + "; fastcgi_temp_path " + temp + ";",
                "  uwsgi_temp_path " + temp + "; scgi_temp_path " + temp + ";",
                servers,
                "}", ""));
        Process p = new ProcessBuilder(binary.toString(), "-p", prefix.toString(), "-c", "conf/nginx.conf", "-e", "logs/error.log")
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
        Nginx nginx = new Nginx(p, prefix);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int port : ports) {
            while (!accepts(port)) {
                if (!p.isAlive() || System.nanoTime() - deadline > 0) {
                    nginx.close();
                    throw new IOException("nginx did not start: " + log(prefix));
                }
                try {
                    Thread.sleep(10); // a poll step while the server starts
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    nginx.close();
                    throw new IOException("interrupted while nginx started", e);
                }
            }
        }
        return nginx;
    }

    private static Path binary() {
        for (Path p : List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/local/sbin/nginx"), Path.of("/usr/bin/nginx"))) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String message = "nginx is not installed; install it with: apt-get install -y nginx";
        if ("true".equalsIgnoreCase(System.getenv("LB4J_REQUIRE_SERVERS"))) {
            throw new AssertionError(message + " (LB4J_REQUIRE_SERVERS=true: real-server tests must not be skipped)");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /**
     * A port of 127.0.0.1 that was free a moment ago.
     *
     * @return the port
     * @throws IOException if none can be found
     */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String log(Path prefix) {
        try {
            return Files.readString(prefix.resolve("logs/error.log")) + Files.readString(prefix.resolve("logs/stdout.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills nginx and waits for it. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
