package io.lb4j.core;

import static io.lb4j.core.internal.Checks.inRange;
import static io.lb4j.core.internal.Checks.notNull;
import static io.lb4j.core.internal.Checks.positive;

import io.lb4j.core.internal.ThreadLocalRandomGenerator;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/**
 * Builds a {@link Balancer}. Not thread-safe; {@link #build()} gives an independent balancer
 * each time.
 *
 * <p>Defaults: no endpoints, {@link Strategy#roundRobin()}, {@link Ticker#system()},
 * {@link Clock#systemUTC()}, a thread-local random source, panic threshold 0.5, latency decay
 * 10 s, no source, {@link ReconnectPolicy#ofDefaults()}, {@link OutlierEjection#ofDefaults()};
 * the control executor and timers run on JVM-wide pools of named daemon threads
 * ({@code lb4j-control}, {@code lb4j-timer}) that end after a few idle seconds.
 */
public final class BalancerBuilder {

    /** The default share of eligible endpoints under which a balancer panics (Envoy's default). */
    public static final double DEFAULT_PANIC_THRESHOLD = 0.5;
    /** The default decay time of the latency average (Finagle's and Linkerd's default). */
    public static final Duration DEFAULT_LATENCY_DECAY = Duration.ofSeconds(10);
    /** The highest cap of {@link #perEndpointMeters(int)}: beyond it, per-endpoint series cost more than they tell. */
    public static final int MAX_PER_ENDPOINT_METERS = 1000;

    final String service;
    List<Endpoint> endpoints;
    Strategy strategy = Strategy.roundRobin();
    Ticker ticker = Ticker.system();
    Clock clock = Clock.systemUTC();
    Executor controlExecutor;
    ScheduledExecutorService scheduler;
    ReconnectPolicy reconnectPolicy = ReconnectPolicy.ofDefaults();
    OutlierEjection outlierEjection = OutlierEjection.ofDefaults();
    RandomGenerator random = ThreadLocalRandomGenerator.INSTANCE;
    double panicThreshold = DEFAULT_PANIC_THRESHOLD;
    Duration latencyDecay = DEFAULT_LATENCY_DECAY;
    final List<EndpointSource> sources = new ArrayList<>();
    final List<BalancerEventListener> eventListeners = new ArrayList<>();
    /** A MeterRegistry, typed Object so that a balancer without one never loads a Micrometer class. */
    Object meterRegistry;
    int perEndpointMeters;

    BalancerBuilder(String service) {
        notNull(service, "service");
        if (service.isBlank()) {
            throw new IllegalArgumentException("service: '" + service + "' (expected: not blank)");
        }
        this.service = service;
    }

    /**
     * The initial (static) list.
     *
     * @throws IllegalArgumentException on duplicates
     */
    public BalancerBuilder endpoints(Collection<Endpoint> endpoints) {
        notNull(endpoints, "endpoints");
        List<Endpoint> copy = new ArrayList<>(endpoints.size());
        int i = 0;
        for (Endpoint e : endpoints) {
            copy.add(notNull(e, "endpoints[" + i++ + "]"));
        }
        DefaultBalancer.checkNoDuplicates(copy);
        this.endpoints = copy;
        return this;
    }

    /**
     * The initial (static) list.
     *
     * @throws IllegalArgumentException on duplicates
     */
    public BalancerBuilder endpoints(Endpoint... endpoints) {
        return endpoints(java.util.Arrays.asList(notNull(endpoints, "endpoints")));
    }

    /**
     * The initial (static) list, as {@code host:port} strings (see {@link Endpoint#parse}).
     *
     * @throws IllegalArgumentException on a malformed address or duplicates
     */
    public BalancerBuilder endpoints(String... endpoints) {
        notNull(endpoints, "endpoints");
        List<Endpoint> list = new ArrayList<>(endpoints.length);
        for (String s : endpoints) {
            list.add(Endpoint.parse(s));
        }
        return endpoints(list);
    }

    public BalancerBuilder strategy(Strategy strategy) {
        this.strategy = notNull(strategy, "strategy");
        return this;
    }

    public BalancerBuilder ticker(Ticker ticker) {
        this.ticker = notNull(ticker, "ticker");
        return this;
    }

    /** The random source of pickers; must be thread-safe. */
    public BalancerBuilder random(RandomGenerator random) {
        this.random = notNull(random, "random");
        return this;
    }

    /**
     * Under this share of eligible endpoints, pick among all; 0 disables panic mode.
     *
     * @throws IllegalArgumentException unless 0-1
     */
    public BalancerBuilder panicThreshold(double panicThreshold) {
        this.panicThreshold = inRange(panicThreshold, 0.0, 1.0, "panicThreshold");
        return this;
    }

    /**
     * The decay time of each endpoint's latency average (see {@link EndpointState#latencyEwmaNanos}).
     *
     * @throws IllegalArgumentException unless positive
     */
    public BalancerBuilder latencyDecay(Duration latencyDecay) {
        this.latencyDecay = positive(latencyDecay, "latencyDecay");
        return this;
    }

    /**
     * The wall clock of exclusion times ({@link Exclusion#since()}). Default {@link Clock#systemUTC()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public BalancerBuilder clock(Clock clock) {
        this.clock = notNull(clock, "clock");
        return this;
    }

    /**
     * The executor on which the balancer applies its changes, one at a time (it wraps it in a
     * serial queue): {@code Runnable::run} applies each change on the thread that makes it,
     * which tests like; a request thread that reports an outcome may then rebuild a snapshot.
     * Default: a JVM-wide pool of daemon threads named {@code lb4j-control}.
     *
     * @param executor the executor
     * @return this builder
     */
    public BalancerBuilder controlExecutor(Executor executor) {
        this.controlExecutor = notNull(executor, "controlExecutor");
        return this;
    }

    /**
     * The scheduler of the balancer's timers (reconnect backoffs, ends of ejections, the
     * outlier interval); the balancer never shuts it down. Default: a JVM-wide daemon thread
     * named {@code lb4j-timer}.
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public BalancerBuilder scheduler(ScheduledExecutorService scheduler) {
        this.scheduler = notNull(scheduler, "scheduler");
        return this;
    }

    /**
     * What a connection failure does: by default the endpoint is out at once and returns after a
     * jittered backoff once a TCP connect succeeds; {@link ReconnectPolicy#disabled()} turns
     * that off.
     *
     * @param policy the policy
     * @return this builder
     */
    public BalancerBuilder reconnectPolicy(ReconnectPolicy policy) {
        this.reconnectPolicy = notNull(policy, "reconnectPolicy");
        return this;
    }

    /**
     * Passive outlier ejection from call outcomes: by default 5 failures in a row eject an
     * endpoint for 30 s (longer each time), at most 10 % of them; {@link OutlierEjection#disabled()}
     * turns it off.
     *
     * @param outlierEjection the configuration
     * @return this builder
     */
    public BalancerBuilder outlierEjection(OutlierEjection outlierEjection) {
        this.outlierEjection = notNull(outlierEjection, "outlierEjection");
        return this;
    }

    /**
     * Binds the balancer's meters to {@code registry} (see docs/metrics.md): endpoints by state and
     * by excluding owner, panic, in-flight, outcomes, ejections, source errors and list size, all
     * tagged {@code service}. They belong to this balancer: a balancer built later with the same
     * service name on the same registry replaces them, and {@link Balancer#close()} removes them.
     * micrometer-core is an optional dependency: without this call no Micrometer class is loaded.
     * Default: no meters.
     *
     * @param registry the registry
     * @return this builder
     * @throws NullPointerException if the registry is null
     */
    public BalancerBuilder meterRegistry(MeterRegistry registry) {
        this.meterRegistry = notNull(registry, "meterRegistry");
        return this;
    }

    /**
     * Adds per-endpoint meters (picks, in-flight, outcomes, latency, eligibility, tagged
     * {@code service} and {@code endpoint}) for at most {@code maxEndpoints} endpoints of this
     * balancer, to bound the number of time series: endpoints get them in list order as they
     * appear, keep them while they stay, and those beyond the cap go without (counted by
     * {@code lb4j.endpoint.meters.omitted}). Needs {@link #meterRegistry}. Default 0: off.
     *
     * @param maxEndpoints the cap, 0-{@value #MAX_PER_ENDPOINT_METERS}; 0 turns per-endpoint meters off
     * @return this builder
     * @throws IllegalArgumentException if the cap is out of range
     */
    public BalancerBuilder perEndpointMeters(int maxEndpoints) {
        if (maxEndpoints < 0 || maxEndpoints > MAX_PER_ENDPOINT_METERS) {
            throw new IllegalArgumentException("perEndpointMeters: " + maxEndpoints
                    + " (expected: 0-" + MAX_PER_ENDPOINT_METERS + ")");
        }
        this.perEndpointMeters = maxEndpoints;
        return this;
    }

    /**
     * Adds an event listener from the start, so that it also sees the events of the first list a
     * source delivers (see {@link Balancer#addEventListener}).
     *
     * @param listener the listener
     * @return this builder
     * @throws NullPointerException if the listener is null
     */
    public BalancerBuilder eventListener(BalancerEventListener listener) {
        eventListeners.add(notNull(listener, "eventListener"));
        return this;
    }

    /** Adds a source, started by {@link #build()} and closed with the balancer. */
    public BalancerBuilder source(EndpointSource source) {
        sources.add(notNull(source, "source"));
        return this;
    }

    public Balancer build() {
        if (perEndpointMeters > 0 && meterRegistry == null) {
            throw new IllegalStateException("perEndpointMeters(" + perEndpointMeters + ") needs a meterRegistry(...)");
        }
        return new DefaultBalancer(this);
    }
}
