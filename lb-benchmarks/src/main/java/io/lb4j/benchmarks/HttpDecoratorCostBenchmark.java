package io.lb4j.benchmarks;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.http.LoadBalancedHttpClient;
import io.lb4j.http.RetryPolicy;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What {@link LoadBalancedHttpClient} itself costs per call, without a network: its delegate is
 * a stub {@code HttpClient} that answers every {@code send} at once, on the caller's thread,
 * with a 200 and a two-byte body pushed through the caller's body handler. {@code stub} times the
 * stub alone with the endpoint's URI; {@code balanced} the default client (default balancer,
 * default retry policy, nothing fails) sending {@code http://bench/...} through it. The
 * difference of their {@code -prof gc} figures is the decorator's own allocation per call,
 * exactly: over the JDK's client the same figure moves by a few hundred bytes from run to run
 * with the timing of its selector thread ({@link HttpClientOverheadBenchmark}). A stub is not the
 * JDK's client, so the decorator uses it as it is (the URI rewritten to the endpoint; no
 * per-endpoint proxy client).
 *
 * <p>Run:
 * <pre>
 * flock /tmp/lb4j-jmh.flock java -jar lb-benchmarks/target/benchmarks.jar HttpDecoratorCostBenchmark \
 *     -f 1 -wi 3 -i 3 -w 1s -r 1s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HttpDecoratorCostBenchmark {
    private StubClient stub;
    private LoadBalancedHttpClient balanced;
    private Balancer balancer;
    private HttpRequest endpointRequest;
    private HttpRequest serviceRequest;

    @Setup
    public void setUp() {
        stub = new StubClient();
        Endpoint e = Endpoint.of("127.0.0.1", 8080);
        balancer = Balancer.builder("bench").endpoints(List.of(e)).build();
        balanced = LoadBalancedHttpClient.builder(stub).service(balancer).retryPolicy(RetryPolicy.ofDefaults()).build();
        endpointRequest = HttpRequest.newBuilder(URI.create("http://" + e.authority() + "/api/items?id=7")).build();
        serviceRequest = HttpRequest.newBuilder(URI.create("http://bench/api/items?id=7")).build();
    }

    @TearDown
    public void tearDown() {
        balanced.shutdownNow();
        balancer.close();
    }

    @Benchmark
    public int stub() throws Exception {
        return stub.send(endpointRequest, BodyHandlers.discarding()).statusCode();
    }

    @Benchmark
    public int balanced() throws Exception {
        return balanced.send(serviceRequest, BodyHandlers.discarding()).statusCode();
    }

    /** Answers at once on the caller's thread; what it allocates per call is the same for both benchmarks. */
    static final class StubClient extends HttpClient {
        private static final HttpHeaders HEADERS = HttpHeaders.of(
                Map.of("content-length", List.of("2")), (name, value) -> true);
        private static final HttpResponse.ResponseInfo INFO = new HttpResponse.ResponseInfo() {
            @Override
            public int statusCode() {
                return 200;
            }

            @Override
            public HttpHeaders headers() {
                return HEADERS;
            }

            @Override
            public Version version() {
                return Version.HTTP_1_1;
            }
        };
        private static final Flow.Subscription SUBSCRIPTION = new Flow.Subscription() {
            @Override
            public void request(long n) {
            }

            @Override
            public void cancel() {
            }
        };
        private final List<ByteBuffer> chunk = List.of(ByteBuffer.allocate(2));

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler) throws IOException {
            BodySubscriber<T> subscriber = handler.apply(INFO);
            subscriber.onSubscribe(SUBSCRIPTION);
            subscriber.onNext(chunk);
            subscriber.onComplete();
            T body = subscriber.getBody().toCompletableFuture().join();
            return new Response<>(request, body);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler) {
            try {
                return CompletableFuture.completedFuture(send(request, handler));
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler,
                HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
            return sendAsync(request, handler);
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return Optional.empty();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return Optional.empty();
        }

        @Override
        public Redirect followRedirects() {
            return Redirect.NEVER;
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return Optional.empty();
        }

        @Override
        public SSLContext sslContext() {
            return null;
        }

        @Override
        public SSLParameters sslParameters() {
            return new SSLParameters();
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return Optional.empty();
        }

        @Override
        public Version version() {
            return Version.HTTP_1_1;
        }

        @Override
        public Optional<Executor> executor() {
            return Optional.empty();
        }
    }

    private record Response<T>(HttpRequest request, T body) implements HttpResponse<T> {
        @Override
        public int statusCode() {
            return 200;
        }

        @Override
        public Optional<HttpResponse<T>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return StubClient.HEADERS;
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
