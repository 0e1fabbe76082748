package io.lb4j.http;

import static io.lb4j.core.internal.Checks.notNull;

import io.lb4j.core.Balancer;
import io.lb4j.core.Ticker;
import io.lb4j.core.internal.ThreadLocalRandomGenerator;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
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

    LoadBalancedHttpClientBuilder(HttpClient delegate) {
        this.delegate = notNull(delegate, "delegate");
    }

    /**
     * Routes requests whose URI host is {@code balancer.service()} (case-insensitive) through the
     * balancer, with the client's retry policy.
     *
     * @throws IllegalArgumentException if a balancer of that service was already added
     */
    public LoadBalancedHttpClientBuilder service(Balancer balancer) {
        return service(balancer, null);
    }

    /**
     * Like {@link #service(Balancer)}, with a retry policy of its own for this service.
     *
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

    /** The retry policy of services added without one. Default {@link RetryPolicy#ofDefaults()}. */
    public LoadBalancedHttpClientBuilder retryPolicy(RetryPolicy policy) {
        this.retryPolicy = notNull(policy, "retryPolicy");
        return this;
    }

    /**
     * Publishes {@code lb.requests}, {@code lb.request.duration}, {@code lb.retries} and
     * {@code lb.retry.budget.exhausted}, tagged by service. Micrometer is optional: without this
     * call no Micrometer class is loaded.
     */
    public LoadBalancedHttpClientBuilder meterRegistry(MeterRegistry registry) {
        this.meterRegistry = notNull(registry, "meterRegistry");
        return this;
    }

    /**
     * The scheduler of backoff waits; the client does not shut down a scheduler it was given.
     */
    public LoadBalancedHttpClientBuilder scheduler(ScheduledExecutorService scheduler) {
        this.scheduler = notNull(scheduler, "scheduler");
        return this;
    }

    /** The time source of deadlines, durations and the retry budget. Default {@link Ticker#system()}. */
    public LoadBalancedHttpClientBuilder ticker(Ticker ticker) {
        this.ticker = notNull(ticker, "ticker");
        return this;
    }

    /** The random source of backoff jitter. */
    public LoadBalancedHttpClientBuilder random(RandomGenerator random) {
        this.random = notNull(random, "random");
        return this;
    }

    /** The wall clock against which {@code Retry-After} dates are read. */
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
