package io.lb4j.http;

import static io.lb4j.core.internal.Checks.notNull;

import io.lb4j.core.Balancer;
import io.lb4j.core.Ticker;
import io.lb4j.core.internal.ThreadLocalRandomGenerator;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Builds a {@link LoadBalancedHttpClient}. Not thread-safe; each setter validates at once.
 * <pre>{@code
 * LoadBalancedHttpClient client = LoadBalancedHttpClient.builder(HttpClient.newHttpClient())
 *         .service(users)
 *         .service(orders, RetryPolicy.none())
 *         .meterRegistry(registry)
 *         .build();
 * }</pre>
 * Defaults: {@link RetryPolicy#ofDefaults()}; no metrics (the counters of
 * {@link LoadBalancedHttpClient#stats()} are always kept); a scheduler of one daemon thread
 * named {@code lb4j-http-retry}, started on the first delayed retry and stopped by
 * {@link LoadBalancedHttpClient#close()}; {@link Ticker#system()}; a thread-local random source;
 * {@link Clock#systemUTC()} (for {@code Retry-After} dates).
 */
public final class LoadBalancedHttpClientBuilder {
    /** The response header a server reports its load in (ORCA's, as Envoy reads it). */
    public static final String DEFAULT_LOAD_REPORT_HEADER = "endpoint-load-metrics";

    final HttpClient delegate;
    final Map<String, Balancer> balancers = new LinkedHashMap<>();
    final Map<String, RetryPolicy> policies = new LinkedHashMap<>();
    RetryPolicy retryPolicy = RetryPolicy.ofDefaults();
    Object meterRegistry;
    ScheduledExecutorService scheduler;
    Ticker ticker = Ticker.system();
    RandomGenerator random = ThreadLocalRandomGenerator.INSTANCE;
    Clock clock = Clock.systemUTC();
    boolean serviceHostHeader = true;
    Function<HttpRequest, String> hashKey;
    String loadReportHeader = DEFAULT_LOAD_REPORT_HEADER;

    LoadBalancedHttpClientBuilder(HttpClient delegate) {
        this.delegate = notNull(delegate, "delegate");
    }

    /**
     * Routes requests whose URI host is {@code balancer.service()} (case-insensitive) through the
     * balancer, with the client's retry policy.
     *
     * @param balancer the service's balancer
     * @return this builder
     * @throws IllegalArgumentException if a balancer of that service was already added
     */
    public LoadBalancedHttpClientBuilder service(Balancer balancer) {
        return service(balancer, null);
    }

    /**
     * Like {@link #service(Balancer)}, with a retry policy of its own for this service.
     *
     * @param balancer the service's balancer
     * @param policy the service's retry policy
     * @return this builder
     * @throws IllegalArgumentException if a balancer of that service was already added
     */
    public LoadBalancedHttpClientBuilder service(Balancer balancer, RetryPolicy policy) {
        notNull(balancer, "balancer");
        String name = balancer.service().toLowerCase(Locale.ROOT);
        if (balancers.containsKey(name)) {
            throw new IllegalArgumentException("service: '" + balancer.service() + "' (expected: each service once)");
        }
        balancers.put(name, balancer);
        if (policy != null) {
            policies.put(name, policy);
        }
        return this;
    }

    /**
     * The retry policy of services added without one. Default {@link RetryPolicy#ofDefaults()}.
     *
     * @param policy the retry policy
     * @return this builder
     */
    public LoadBalancedHttpClientBuilder retryPolicy(RetryPolicy policy) {
        this.retryPolicy = notNull(policy, "retryPolicy");
        return this;
    }

    /**
     * Publishes {@code lb.requests}, {@code lb.request.duration}, {@code lb.retries} and
     * {@code lb.retry.budget.exhausted}, tagged by service. Micrometer is optional: without this
     * call no Micrometer class is loaded.
     *
     * @param registry the registry
     * @return this builder
     */
    public LoadBalancedHttpClientBuilder meterRegistry(MeterRegistry registry) {
        this.meterRegistry = notNull(registry, "meterRegistry");
        return this;
    }

    /**
     * The scheduler of backoff waits; the client does not shut down a scheduler it was given.
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public LoadBalancedHttpClientBuilder scheduler(ScheduledExecutorService scheduler) {
        this.scheduler = notNull(scheduler, "scheduler");
        return this;
    }

    /**
     * The time source of deadlines, durations and the retry budget. Default {@link Ticker#system()}.
     *
     * @param ticker the ticker
     * @return this builder
     */
    public LoadBalancedHttpClientBuilder ticker(Ticker ticker) {
        this.ticker = notNull(ticker, "ticker");
        return this;
    }

    /**
     * The random source of backoff jitter.
     *
     * @param random the random source
     * @return this builder
     */
    public LoadBalancedHttpClientBuilder random(RandomGenerator random) {
        this.random = notNull(random, "random");
        return this;
    }

    /**
     * The wall clock against which {@code Retry-After} dates are read.
     *
     * @param clock the clock
     * @return this builder
     */
    public LoadBalancedHttpClientBuilder clock(Clock clock) {
        this.clock = notNull(clock, "clock");
        return this;
    }

    /**
     * Whether backends see the service name as the request's authority ({@code Host:
     * users.internal}, the default) or the picked endpoint's address ({@code Host:
     * 10.0.0.7:8080}, as a direct request to the endpoint would). TLS is not affected: the
     * server name and the certificate check always use the service name.
     *
     * <p>How the service name gets there (the JDK's client refuses a {@code Host} header unless
     * the JVM runs with {@code -Djdk.httpclient.allowRestrictedHeaders=host}):
     * <ul>
     *   <li>with that property, an HTTP/1.1 attempt (HTTP or HTTPS) carries
     *       {@code Host: <service>[:port]};
     *   <li>without it, a plain-HTTP attempt goes through a client whose HTTP proxy is the
     *       endpoint: the backend receives {@code GET http://users.internal/x HTTP/1.1} (the
     *       absolute form, which HTTP/1.1 servers must accept) and {@code Host: users.internal}.
     *       This costs one JDK client (one selector thread) per endpoint and rules out h2c; it is
     *       skipped when the delegate has a proxy of its own or is not the JDK's client;
     *   <li>HTTPS without the property, and HTTP/2 attempts, carry the endpoint's address (the JDK
     *       puts the URI authority in {@code Host} / {@code :authority}).
     * </ul>
     * A {@code Host} header set on the request itself (possible only with the property) is
     * always kept. See docs/http.md, "TLS and the service name".
     *
     * @param enabled false to send the endpoint's address, as before
     * @return this builder
     */
    public LoadBalancedHttpClientBuilder serviceHostHeader(boolean enabled) {
        this.serviceHostHeader = enabled;
        return this;
    }


    /**
     * The key each request is routed by: handed to the balancer's pick as
     * {@link io.lb4j.core.PickContext#hashKey()}, which the consistent-hash strategy hashes onto
     * its ring, so that requests with the same key reach the same endpoint while it is pickable.
     * Computed once per call; retries keep it and, as they avoid the endpoints already tried,
     * walk on along the ring. A function returning null (no key in that request), or a strategy
     * that ignores keys, gives an ordinary pick; for consistent hashing that is a random point of
     * the ring. Ready-made keys are in {@link RequestKeys}. Default: no key.
     *
     * @param key the key of a request, or null for none; must be thread-safe
     * @return this builder
     */
    public LoadBalancedHttpClientBuilder hashKey(Function<HttpRequest, String> key) {
        this.hashKey = notNull(key, "hashKey");
        return this;
    }

    /**
     * The response header from which load reports are read, in the text form of ORCA's
     * {@code endpoint-load-metrics} ({@code TEXT cpu_utilization=0.3, rps_fractional=120, eps=1});
     * each report goes to {@link io.lb4j.core.Selection#loadReport} for strategies that weigh by
     * load ({@code Strategies.loadWeighted()}). Other forms and malformed values are ignored
     * (logged at DEBUG without the value). Default
     * {@value #DEFAULT_LOAD_REPORT_HEADER}.
     *
     * @param name the header name (case-insensitive)
     * @return this builder
     * @throws IllegalArgumentException if blank
     */
    public LoadBalancedHttpClientBuilder loadReportHeader(String name) {
        notNull(name, "loadReportHeader");
        if (name.isBlank()) {
            throw new IllegalArgumentException("loadReportHeader: '" + name + "' (expected: a header name that is not blank)");
        }
        this.loadReportHeader = name;
        return this;
    }

    /**
     * Stops reading load reports from responses.
     *
     * @return this builder
     */
    public LoadBalancedHttpClientBuilder noLoadReports() {
        this.loadReportHeader = null;
        return this;
    }

    /**
     * Builds the client.
     *
     * @return a new client, sharing the delegate with any other built from this builder
     * @throws IllegalStateException if no service was added
     */
    public LoadBalancedHttpClient build() {
        if (balancers.isEmpty()) {
            throw new IllegalStateException("no service: add at least one with service(Balancer)");
        }
        return new DefaultLoadBalancedHttpClient(this);
    }
}
