package io.lb4j.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.http.LoadBalancedHttpClient;
import io.lb4j.http.RetryPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The cost of {@link LoadBalancedHttpClient} over the raw delegate it wraps: both send the same
 * GET to the same loopback backends on the same connection pool, in the same run. {@code raw}
 * rotates over the backends' URIs itself (so both spread load alike); {@code balanced} sends to
 * {@code http://bench/} with the default retry policy (nothing fails, so no retry happens), with
 * the service or the endpoint as {@code Host} ({@link #serviceHost}).
 * Target (issue 13): balanced throughput at least 98 % of raw, allocation per call within +1 % of
 * raw's. {@code -prof gc} counts the backends too (they run in this JVM); each iteration also
 * prints {@code client side: N B/call}, the allocation of every thread but the backends'. The {@code sideBySide} group runs one raw
 * and one balanced caller concurrently, which gives the fairest ratio on a busy machine.
 *
 * <p>Run:
 * <pre>
 * mvn -B -q -pl lb-benchmarks -am -DskipTests package
 * flock /tmp/lb4j-jmh.flock java -jar lb-benchmarks/target/benchmarks.jar HttpClientOverheadBenchmark \
 *     -f 1 -wi 2 -i 3 -w 1s -r 1s -bm thrpt -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(2)
public class HttpClientOverheadBenchmark {

    @Param({"1", "3"})
    int backends;

    /**
     * {@code true} (the default of {@link io.lb4j.http.LoadBalancedHttpClientBuilder#serviceHostHeader}):
     * backends see {@code Host: bench}, sent through a client per endpoint with that endpoint as
     * HTTP proxy; {@code false}: the URI is rewritten to the endpoint, as the raw client sends it.
     */
    @Param({"true", "false"})
    boolean serviceHost;

    private final List<HttpServer> servers = new ArrayList<>();
    private ExecutorService serverThreads;
    private HttpClient raw;
    private LoadBalancedHttpClient balanced;
    private Balancer balancer;
    private HttpRequest[] rawRequests;
    private HttpRequest balancedRequest;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong calls = new AtomicLong();
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private long clientBytesAtStart;
    private long callsAtStart;
    private boolean countClient;

    @Setup
    public void setUp() throws IOException {
        // the JDK server writes headers and body apart; without TCP_NODELAY each answer waits for a delayed ACK
        System.setProperty("sun.net.httpserver.nodelay", "true");
        AtomicInteger ids = new AtomicInteger();
        serverThreads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bench-backend-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
        List<Endpoint> endpoints = new ArrayList<>();
        rawRequests = new HttpRequest[backends];
        for (int i = 0; i < backends; i++) {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            s.setExecutor(serverThreads);
            s.createContext("/", ex -> {
                ex.getRequestBody().readAllBytes();
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            });
            s.start();
            servers.add(s);
            Endpoint e = Endpoint.of("127.0.0.1", s.getAddress().getPort());
            endpoints.add(e);
            rawRequests[i] = HttpRequest.newBuilder(URI.create("http://" + e.authority() + "/api/items?id=7")).build();
        }
        raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        balancer = Balancer.builder("bench").endpoints(endpoints).build();
        balanced = LoadBalancedHttpClient.builder(raw).service(balancer).retryPolicy(RetryPolicy.ofDefaults())
                .serviceHostHeader(serviceHost).build();
        balancedRequest = HttpRequest.newBuilder(URI.create("http://bench/api/items?id=7")).build();
    }

    /**
     * Bytes allocated by every thread but the in-process backends' (the JDK server's dispatcher
     * and its handler threads): {@code -prof gc} counts the whole JVM, so a request the server
     * parses differently (a proxy-form request line with {@code serviceHost}) shows up as client
     * cost there. Threads that ended since the last reading are missed (the JDK client's worker
     * pool keeps its threads for 60 s).
     */
    private long clientBytes() {
        long sum = 0;
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            String name = infos[i] == null ? "" : infos[i].getThreadName();
            if (bytes[i] > 0 && !name.startsWith("bench-backend-") && !name.startsWith("HTTP-Dispatcher")) {
                sum += bytes[i];
            }
        }
        return sum;
    }

    @Setup(Level.Iteration)
    public void startCounting(BenchmarkParams params) {
        // the group's raw and balanced callers allocate into one sum: nothing to print there
        countClient = !params.getBenchmark().endsWith("sideBySide");
        callsAtStart = calls.get();
        clientBytesAtStart = clientBytes();
    }

    /** Prints the client side's allocation per call of the iteration (one benchmark method per run: raw or balanced). */
    @TearDown(Level.Iteration)
    public void printClientAllocation() {
        long n = calls.get() - callsAtStart;
        if (countClient && n > 0) {
            System.out.printf("%nclient side: %.0f B/call over %d calls%n", (double) (clientBytes() - clientBytesAtStart) / n, n);
        }
    }

    @TearDown
    public void tearDown() {
        System.out.println("\nstats: " + balanced.stats("bench"));
        balanced.shutdownNow();
        balancer.close();
        for (HttpServer s : servers) {
            s.stop(0);
        }
        serverThreads.shutdownNow();
    }

    @Benchmark
    public int raw() throws Exception {
        HttpRequest r = rawRequests[(next.getAndIncrement() & Integer.MAX_VALUE) % rawRequests.length];
        calls.incrementAndGet();
        return raw.send(r, BodyHandlers.discarding()).statusCode();
    }

    @Benchmark
    public int balanced() throws Exception {
        calls.incrementAndGet();
        return balanced.send(balancedRequest, BodyHandlers.discarding()).statusCode();
    }

    /**
     * Raw and balanced callers running at the same time against the same backends: on a shared,
     * noisy machine both see the same load at every moment, so their ratio is fairer than that of
     * two runs one after the other.
     */
    @Benchmark
    @Group("sideBySide")
    @GroupThreads(1)
    public int sideBySideRaw() throws Exception {
        return raw();
    }

    @Benchmark
    @Group("sideBySide")
    @GroupThreads(1)
    public int sideBySideBalanced() throws Exception {
        return balanced();
    }
}
