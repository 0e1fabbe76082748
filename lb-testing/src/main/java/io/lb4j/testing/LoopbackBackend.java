package io.lb4j.testing;

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
 * A real HTTP server on 127.0.0.1 for tests, standing in for one instance of a service, whose
 * behaviour the test scripts while it runs: the status of every answer or of the next few
 * ({@link #nextStatuses}), a latency ({@link #delay}), a request that never gets an answer
 * ({@link #hang}), the {@value #HEALTH_PATH} status apart from the rest, and down and up again on
 * the same port ({@link #stop}, {@link #restart}: while down, connections are refused). Every
 * answer has the backend's name as body and in an {@code X-Backend} header, so a test sees which
 * instance served a call; {@link #requestCount()} counts what reached it.
 *
 * <pre>{@code
 * try (LoopbackBackend a = LoopbackBackend.start("a"); LoopbackBackend b = LoopbackBackend.start("b")) {
 *     Balancer users = Balancer.builder("users").endpoints(a.endpoint(), b.endpoint()).build();
 *     a.nextStatuses(503, 503);          // a fails twice, then answers 200 again
 *     b.delay(Duration.ofMillis(50));    // b is slow
 *     a.stop();                          // a goes down ... a.restart() brings it back
 * }
 * }</pre>
 * The server runs on the JDK's {@code com.sun.net.httpserver} (module {@code jdk.httpserver});
 * run tests with {@code -Dsun.net.httpserver.nodelay=true}, or each small answer may wait ~40 ms
 * for a delayed ACK. Thread-safe.
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
    private final java.util.Queue<Integer> nextStatuses = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicReference<CountDownLatch> hang = new AtomicReference<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger healthRequests = new AtomicInteger();
    private final AtomicLong bytesReceived = new AtomicLong();

    private LoopbackBackend(String name) {
        this.name = name;
    }

    /**
     * Starts a backend on a free port of 127.0.0.1.
     *
     * @param name the backend's name, sent as body and {@code X-Backend} header
     * @return the running backend
     * @throws IOException if no server socket could be opened
     */
    public static LoopbackBackend start(String name) throws IOException {
        LoopbackBackend b = new LoopbackBackend(name);
        b.startOn(0);
        return b;
    }

    /**
     * Starts again after {@link #stop()}, on the same port, with the same script.
     *
     * @throws IOException if the port cannot be bound again (another process took it)
     * @throws IllegalStateException if it is running
     */
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
                Integer next = nextStatuses.poll();
                code = next != null ? next : status;
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

    /** {@return the backend's name} */
    public String name() {
        return name;
    }

    /** {@return the port it listens on (the same after a restart)} */
    public int port() {
        return port;
    }

    /** {@return {@code 127.0.0.1:port}, the endpoint to give a balancer} */
    public Endpoint endpoint() {
        return Endpoint.of("127.0.0.1", port);
    }

    /** {@return whether it is up (started and not stopped)} */
    public boolean isRunning() {
        return server != null;
    }

    /**
     * Sets the status for every path but {@link #HEALTH_PATH}, after the {@link #nextStatuses}
     * are used up; default 200.
     *
     * @param status the HTTP status
     * @return this backend
     */
    public LoopbackBackend status(int status) {
        this.status = status;
        return this;
    }

    /**
     * Sets the status of {@link #HEALTH_PATH}; default 200.
     *
     * @param status the HTTP status
     * @return this backend
     */
    public LoopbackBackend healthStatus(int status) {
        this.healthStatus = status;
        return this;
    }

    /**
     * Sets a {@code Retry-After} value sent with 5xx answers.
     *
     * @param value the header's value, e.g. {@code "1"}, or null for none
     * @return this backend
     */
    public LoopbackBackend retryAfter(String value) {
        this.retryAfter = value;
        return this;
    }

    /**
     * Answers every non-health request after {@code d} (a slow instance); zero for no delay.
     *
     * @param d the latency added to each answer
     * @return this backend
     */
    public LoopbackBackend delay(Duration d) {
        this.delayMillis = d.toMillis();
        return this;
    }

    /**
     * Accepts non-health requests and never answers them, until {@link #release()} or stop
     * (at most 60 s): an instance that hangs.
     *
     * @return this backend
     */
    public LoopbackBackend hang() {
        hang.compareAndSet(null, new CountDownLatch(1));
        return this;
    }

    /**
     * Lets hanging requests go (they are closed without an answer) and stops hanging.
     *
     * @return this backend
     */
    public LoopbackBackend release() {
        CountDownLatch latch = hang.getAndSet(null);
        if (latch != null) {
            latch.countDown();
        }
        return this;
    }

    /**
     * Queues the statuses of the next non-health answers, one each, in order; then
     * {@link #status(int)} applies again. For "fails twice, then recovers": {@code nextStatuses(503, 503)}.
     *
     * @param statuses the HTTP statuses
     * @return this backend
     */
    public LoopbackBackend nextStatuses(int... statuses) {
        for (int st : statuses) {
            nextStatuses.add(st);
        }
        return this;
    }

    /** {@return how many non-health requests it received} */
    public int requestCount() {
        return requests.get();
    }

    /** {@return how many requests of {@link #HEALTH_PATH} it received} */
    public int healthRequestCount() {
        return healthRequests.get();
    }

    /** {@return how many request body bytes it received} */
    public long bytesReceived() {
        return bytesReceived.get();
    }

    /** Sets {@link #requestCount()} and {@link #healthRequestCount()} back to 0. */
    public void resetCounts() {
        requests.set(0);
        healthRequests.set(0);
    }

    /**
     * Takes it down at once: closes the listener and every open connection, so that new
     * connections are refused. {@link #restart()} brings it up again.
     */
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

    /** Stops it for good (the same as {@link #stop()}). */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "LoopbackBackend{" + name + " @ 127.0.0.1:" + port + (server == null ? ", stopped" : "") + "}";
    }
}
