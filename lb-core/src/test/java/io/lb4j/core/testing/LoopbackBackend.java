package io.lb4j.core.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lb4j.core.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real HTTP server on 127.0.0.1 for tests, whose behaviour can be changed while it runs:
 * status, delay, hanging, and the {@code /healthz} status apart from the rest. Answers with its
 * name as body. Can be stopped and started again on the same port.
 *
 * <pre>{@code
 * try (LoopbackBackend a = LoopbackBackend.start("a")) {
 *     a.status(503).retryAfter("1");
 *     a.healthStatus(503);
 *     Endpoint e = a.endpoint();
 * }
 * }</pre>
 * Thread-safe.
 */
public final class LoopbackBackend implements AutoCloseable {
    /** The path whose status {@link #healthStatus(int)} sets. */
    public static final String HEALTH_PATH = "/healthz";

    private final String name;
    private volatile int port;
    private volatile HttpServer server;
    private volatile ExecutorService executor;
    private volatile int status = 200;
    private volatile int healthStatus = 200;
    private volatile long delayMillis;
    private volatile String retryAfter;
    private final AtomicReference<CountDownLatch> hang = new AtomicReference<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger healthRequests = new AtomicInteger();
    private final AtomicLong bytesReceived = new AtomicLong();

    private LoopbackBackend(String name) {
        this.name = name;
    }

    /** Starts a backend on a free port of 127.0.0.1. */
    public static LoopbackBackend start(String name) throws IOException {
        LoopbackBackend b = new LoopbackBackend(name);
        b.startOn(0);
        return b;
    }

    /** Starts again after {@link #stop()}, on the same port. */
    public synchronized void restart() throws IOException {
        if (server != null) {
            throw new IllegalStateException(name + " is running");
        }
        startOn(port);
    }

    private synchronized void startOn(int p) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 128);
        AtomicInteger threads = new AtomicInteger();
        ExecutorService ex = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "backend-" + name + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        s.setExecutor(ex);
        s.createContext("/", this::handle);
        s.start();
        this.port = s.getAddress().getPort();
        this.executor = ex;
        this.server = s;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try (InputStream in = exchange.getRequestBody()) {
                bytesReceived.addAndGet(in.readAllBytes().length);
            }
            boolean health = exchange.getRequestURI().getPath().equals(HEALTH_PATH);
            int code;
            if (health) {
                healthRequests.incrementAndGet();
                code = healthStatus;
            } else {
                requests.incrementAndGet();
                CountDownLatch latch = hang.get();
                if (latch != null) {
                    try {
                        latch.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return; // closes without an answer
                }
                long d = delayMillis;
                if (d > 0) {
                    try {
                        Thread.sleep(d); // simulates a slow server; nobody waits on this to test a schedule
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                code = status;
                String ra = retryAfter;
                if (ra != null && code >= 500) {
                    exchange.getResponseHeaders().set("Retry-After", ra);
                }
            }
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.getResponseHeaders().set("X-Backend", name);
            exchange.sendResponseHeaders(code, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException e) {
            // the client went away; nothing to do
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}. */
    public Endpoint endpoint() {
        return Endpoint.of("127.0.0.1", port);
    }

    public boolean isRunning() {
        return server != null;
    }

    /** Status for every path but {@link #HEALTH_PATH}; default 200. */
    public LoopbackBackend status(int status) {
        this.status = status;
        return this;
    }

    /** Status of {@link #HEALTH_PATH}; default 200. */
    public LoopbackBackend healthStatus(int status) {
        this.healthStatus = status;
        return this;
    }

    /** A {@code Retry-After} value sent with 5xx answers, or null for none. */
    public LoopbackBackend retryAfter(String value) {
        this.retryAfter = value;
        return this;
    }

    /** Answers every non-health request after {@code d}. */
    public LoopbackBackend delay(Duration d) {
        this.delayMillis = d.toMillis();
        return this;
    }

    /** Accepts non-health requests and never answers them, until {@link #release()} or stop. */
    public LoopbackBackend hang() {
        hang.compareAndSet(null, new CountDownLatch(1));
        return this;
    }

    /** Lets hanging requests go (they are closed without an answer) and stops hanging. */
    public LoopbackBackend release() {
        CountDownLatch latch = hang.getAndSet(null);
        if (latch != null) {
            latch.countDown();
        }
        return this;
    }

    /** Non-health requests received. */
    public int requestCount() {
        return requests.get();
    }

    public int healthRequestCount() {
        return healthRequests.get();
    }

    public long bytesReceived() {
        return bytesReceived.get();
    }

    public void resetCounts() {
        requests.set(0);
        healthRequests.set(0);
    }

    /** Stops at once: closes the listener and every open connection. Can {@link #restart()}. */
    public synchronized void stop() {
        HttpServer s = server;
        if (s == null) {
            return;
        }
        server = null;
        release();
        s.stop(0);
        executor.shutdownNow();
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "LoopbackBackend{" + name + " @ 127.0.0.1:" + port + (server == null ? ", stopped" : "") + "}";
    }
}
