package io.lb4j.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lb4j.core.Endpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real loopback HTTP server that can add a header to every answer (a load report) and counts
 * how many requests it holds at once; the body is its name.
 */
final class ReportingBackend implements AutoCloseable {
    private final String name;
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private volatile String headerName;
    private volatile String headerValue;
    private volatile long delayMillis;

    private ReportingBackend(String name) throws IOException {
        this.name = name;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "reporting-" + name + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static ReportingBackend start(String name) throws IOException {
        return new ReportingBackend(name);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            maxConcurrent.accumulateAndGet(current.incrementAndGet(), Math::max);
            try {
                long d = delayMillis;
                if (d > 0) {
                    Thread.sleep(d); // the simulated work of a slow server; no test waits on it as a schedule
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                current.decrementAndGet();
            }
            String h = headerName;
            String v = headerValue;
            if (h != null && v != null) {
                exchange.getResponseHeaders().set(h, v);
            }
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    ReportingBackend header(String name, String value) {
        this.headerName = name;
        this.headerValue = value;
        return this;
    }

    ReportingBackend delay(Duration d) {
        this.delayMillis = d.toMillis();
        return this;
    }

    Endpoint endpoint() {
        return Endpoint.of("127.0.0.1", server.getAddress().getPort());
    }

    String name() {
        return name;
    }

    int requestCount() {
        return requests.get();
    }

    /** The most requests this backend held at the same moment. */
    int maxConcurrent() {
        return maxConcurrent.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
