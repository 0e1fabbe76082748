package io.lb4j.http;

import io.lb4j.core.internal.DaemonThreads;
import io.lb4j.core.LoadReport;
import io.lb4j.core.Selection;
import io.lb4j.core.Ticker;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** The {@link LoadBalancedHttpClient}: routes by URI host, delegates everything else. */
final class DefaultLoadBalancedHttpClient extends LoadBalancedHttpClient {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LoadBalancedHttpClient.class);
    private static final AtomicInteger SCHEDULER_IDS = new AtomicInteger();

    final HttpClient delegate;
    final ScheduledExecutorService scheduler;
    final Ticker ticker;
    final RandomGenerator random;
    final Clock clock;
    private final boolean ownsScheduler;
    private final Map<String, Route> routes;
    /** The request key for consistent hashing; null for none. */
    final Function<HttpRequest, String> hashKey;
    /** The response header of load reports; null for none. */
    private final String loadReportHeader;

    DefaultLoadBalancedHttpClient(LoadBalancedHttpClientBuilder b) {
        this.delegate = b.delegate;
        this.ticker = b.ticker;
        this.random = b.random;
        this.clock = b.clock;
        this.hashKey = b.hashKey;
        this.loadReportHeader = b.loadReportHeader;
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = ownsScheduler ? newScheduler() : b.scheduler;
        Map<String, Route> r = new HashMap<>();
        b.balancers.forEach((name, balancer) -> {
            CallRecorder meters = b.meterRegistry == null ? CallRecorder.NOOP
                    : MicrometerRecorder.create(b.meterRegistry, balancer.service());
            r.put(name, new Route(balancer, b.policies.getOrDefault(name, b.retryPolicy), meters, ticker, delegate,
                    b.serviceHostHeader));
        });
        this.routes = Map.copyOf(r);
    }

    private static ScheduledExecutorService newScheduler() {
        // cancelled backoffs of cancelled calls must not pile up: the scheduler drops them at once
        return DaemonThreads.scheduler("lb4j-http-retry-" + SCHEDULER_IDS.incrementAndGet());
    }

    /**
     * Hands the load report of an attempt's response, if it has one in the text form, to its
     * selection; called where the status line is first seen. Never logs the header's value.
     */
    void readLoadReport(Selection selection, ResponseInfo info) {
        if (loadReportHeader == null) {
            return;
        }
        String value = Requests.firstHeader(info.headers(), loadReportHeader);
        if (value == null) {
            return;
        }
        LoadReport report;
        try {
            report = LoadReport.parseText(value);
        } catch (IllegalArgumentException e) {
            log.debug("'{}': ignoring a malformed {} header from {}", selection.service(), loadReportHeader,
                    selection.endpoint().authority());
            return;
        }
        if (report != null) {
            selection.loadReport(report);
        }
    }

    private Route route(HttpRequest request) {
        String host = request.uri().getHost(); // service names are URI host names (Balancer.builder checks)
        if (host == null) {
            return null;
        }
        Route r = routes.get(host);
        return r != null ? r : routes.get(host.toLowerCase(Locale.ROOT));
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler) throws IOException, InterruptedException {
        Route route = route(request);
        if (route == null) {
            return delegate.send(request, handler);
        }
        if (HedgedCall.applies(route.policy, request)) {
            return RetryingCall.await(new HedgedCall<>(this, route, request, handler, null).start());
        }
        return new RetryingCall<>(this, route, request, handler, null).sendSync();
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler) {
        return sendAsync(request, handler, null);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler,
            PushPromiseHandler<T> pushPromiseHandler) {
        Route route = route(request);
        if (route == null) {
            return delegate.sendAsync(request, handler, pushPromiseHandler);
        }
        if (HedgedCall.applies(route.policy, request)) {
            return new HedgedCall<>(this, route, request, handler, pushPromiseHandler).start();
        }
        return new RetryingCall<>(this, route, request, handler, pushPromiseHandler).start();
    }

    @Override
    public HttpClient delegate() {
        return delegate;
    }

    @Override
    public Set<String> services() {
        return routes.keySet();
    }

    @Override
    public ServiceStats stats(String service) {
        Route r = service == null ? null : routes.get(service.toLowerCase(Locale.ROOT));
        if (r == null) {
            throw new IllegalArgumentException("service: '" + service + "' (expected: one of " + routes.keySet() + ")");
        }
        return r.stats.snapshot();
    }

    @Override
    public Map<String, ServiceStats> stats() {
        Map<String, ServiceStats> all = new LinkedHashMap<>();
        routes.forEach((name, r) -> all.put(name, r.stats.snapshot()));
        return Collections.unmodifiableMap(all);
    }

    // ---- lifecycle: Java 21 declares these on HttpClient; on 17 they are ours alone

    @Override
    public void shutdown() {
        if (ownsScheduler) {
            scheduler.shutdown(); // delayed retries already scheduled still run
        }
        jdkClients().forEach(JdkLifecycle::shutdown);
    }

    @Override
    public void shutdownNow() {
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
        jdkClients().forEach(JdkLifecycle::shutdownNow);
    }

    @Override
    public boolean awaitTermination(Duration duration) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        if (ownsScheduler && !scheduler.awaitTermination(duration.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        for (HttpClient c : jdkClients()) {
            if (!JdkLifecycle.awaitTermination(c, Duration.ofNanos(Math.max(0, end - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean isTerminated() {
        if (ownsScheduler && !scheduler.isTerminated()) {
            return false;
        }
        for (HttpClient c : jdkClients()) {
            if (!JdkLifecycle.isTerminated(c)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        if (ownsScheduler) {
            scheduler.shutdown();
            boolean interrupted = false;
            try {
                while (!scheduler.awaitTermination(1, TimeUnit.DAYS)) {
                    // pending retries are bounded by their policy's caps
                }
            } catch (InterruptedException e) {
                interrupted = true;
                scheduler.shutdownNow();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        jdkClients().forEach(JdkLifecycle::close);
    }

    /** The delegate and the clients the services made from it (TLS, per-endpoint proxy), which Java 21+ can stop. */
    private List<HttpClient> jdkClients() {
        List<HttpClient> all = new ArrayList<>();
        all.add(delegate);
        routes.values().forEach(r -> r.clients.forEachOwnClient(all::add));
        return all;
    }

    // ---- plain delegation

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }

    @Override
    public WebSocket.Builder newWebSocketBuilder() {
        return delegate.newWebSocketBuilder();
    }

    @Override
    public String toString() {
        return "LoadBalancedHttpClient{services=" + routes.keySet() + ", delegate=" + delegate + "}";
    }
}
