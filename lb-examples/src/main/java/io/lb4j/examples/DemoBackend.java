package io.lb4j.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lb4j.core.Endpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP backend on 127.0.0.1 for the demo: answers {@code /work} after a fixed service
 * time, {@code /healthz} with 200 or 503, and can fail or be killed and restarted on its port.
 */
public final class DemoBackend implements AutoCloseable {
    static {
        // the JDK server writes headers and body apart; without TCP_NODELAY each small answer
        // waits ~40 ms for the client's delayed ACK, which would swamp every latency we show
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final String name;
    private final int weight;
    private volatile long serviceMicros;
    private volatile boolean failing;
    private volatile HttpServer server;
    private volatile ExecutorService executor;
    private volatile int port;
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger work = new AtomicInteger();
    private volatile int stallEvery;
    private volatile long stallMicros;

    private DemoBackend(String name, int weight, long serviceMicros) {
        this.name = name;
        this.weight = weight;
        this.serviceMicros = serviceMicros;
    }

    /** Starts a backend on a free loopback port. */
    public static DemoBackend start(String name, int weight, long serviceMicros) throws IOException {
        DemoBackend b = new DemoBackend(name, weight, serviceMicros);
        b.listen(0);
        return b;
    }

    private synchronized void listen(int p) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 256);
        AtomicInteger n = new AtomicInteger();
        ExecutorService ex = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "demo-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        s.setExecutor(ex);
        s.createContext("/", this::handle);
        s.start();
        port = s.getAddress().getPort();
        executor = ex;
        server = s;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getRequestBody().readAllBytes();
            int status;
            if (ex.getRequestURI().getPath().equals("/healthz")) {
                status = failing ? 503 : 200;
            } else {
                long micros = serviceMicros;
                int every = stallEvery;
                if (every > 0 && work.incrementAndGet() % every == 0) {
                    micros = stallMicros; // a stall: GC pause, lock convoy, a slow disk
                }
                if (micros > 0) {
                    try {
                        Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000); // the simulated work itself
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                status = failing ? 503 : 200;
                if (status == 200) {
                    served.incrementAndGet();
                }
            }
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException e) {
            // client gone
        }
    }

    public String name() {
        return name;
    }

    public Endpoint endpoint() {
        return Endpoint.builder("127.0.0.1", port).weight(weight).build();
    }

    /** Successful answers to {@code /work} so far. */
    public int served() {
        return served.get();
    }

    public void resetCount() {
        served.set(0);
    }

    public void failing(boolean failing) {
        this.failing = failing;
    }

    public void serviceMicros(long micros) {
        this.serviceMicros = micros;
    }

    /**
     * Makes every {@code every}-th request to {@code /work} take {@code micros} instead of the
     * service time (every 5th: 20 % of requests stall); 0 stops stalling.
     */
    public void stall(int every, long micros) {
        this.stallMicros = micros;
        this.stallEvery = every;
    }

    /** Stops listening and drops open connections, as a crashed process would. */
    public synchronized void kill() {
        HttpServer s = server;
        if (s != null) {
            server = null;
            s.stop(0);
            executor.shutdownNow();
        }
    }

    /** Listens again on the same port. */
    public synchronized void restart() throws IOException {
        if (server == null) {
            listen(port);
        }
    }

    public boolean running() {
        return server != null;
    }

    @Override
    public void close() {
        kill();
    }
}
