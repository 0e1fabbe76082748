package io.lb4j.core;

import static io.lb4j.core.internal.Checks.inRange;
import static io.lb4j.core.internal.Checks.notNull;
import static io.lb4j.core.internal.Checks.positive;

import io.lb4j.core.internal.ThreadLocalRandomGenerator;
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
    /** The default overprovisioning factor of zone-aware routing (Envoy's default, 140 %). */
    public static final double DEFAULT_OVERPROVISIONING_FACTOR = 1.4;
    /** The default decay time of the latency average (Finagle's and Linkerd's default). */
    public static final Duration DEFAULT_LATENCY_DECAY = Duration.ofSeconds(10);

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
    String localZone;
    List<String> failoverZones = List.of();
    double overprovisioningFactor = DEFAULT_OVERPROVISIONING_FACTOR;
    int maxInFlightPerEndpoint;

    BalancerBuilder(String service) {
        notNull(service, "service");
        if (service.isBlank()) {
            throw new IllegalArgumentException("service: '" + service + "' (expected: not blank)");
        }
        this.service = checkServiceName(service);
    }

    /** The rule every service name must meet, named in the exception of a name that does not. */
    static final String SERVICE_NAME_RULE = "a host name as URIs and TLS server names take it: dot-separated labels"
            + " of letters, digits and '-', each 1-63 characters not starting or ending with '-', the last one"
            + " starting with a letter, at most 253 characters";

    /**
     * Service names are the host of request URIs ({@code http://users.internal/...}), the TLS
     * server name and the {@code Host} header, so they must be what {@link java.net.URI} parses as
     * a host name (RFC 2396 {@code hostname}: its {@code toplabel} starts with a letter, which also
     * rules out IPv4 literals) and what {@link javax.net.ssl.SNIHostName} accepts (LDH labels of at
     * most 63 characters, no trailing dot). {@code user_svc} is neither.
     */
    private static String checkServiceName(String name) {
        String problem = null;
        if (name.length() > 253) {
            problem = name.length() + " characters";
        }
        int labelStart = 0;
        for (int i = 0; i <= name.length() && problem == null; i++) {
            char c = i < name.length() ? name.charAt(i) : '.';
            if (c == '.') {
                int length = i - labelStart;
                if (length == 0) {
                    problem = "an empty label at index " + i;
                } else if (length > 63) {
                    problem = "a label of " + length + " characters at index " + labelStart;
                } else if (name.charAt(labelStart) == '-' || name.charAt(i - 1) == '-') {
                    problem = "a label starting or ending with '-' at index " + labelStart;
                } else if (i == name.length() && !isAsciiLetter(name.charAt(labelStart))) {
                    problem = "a last label starting with '" + name.charAt(labelStart) + "'";
                }
                labelStart = i + 1;
            } else if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '-') {
                problem = "'" + c + "' at index " + i;
            }
        }
        if (problem != null) {
            throw new IllegalArgumentException("service: '" + name + "' (expected: " + SERVICE_NAME_RULE
                    + "; found " + problem + ")");
        }
        return name;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /**
     * The initial (static) list.
     *
     * @param endpoints the endpoints
     * @return this builder
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
     * @param endpoints the endpoints
     * @return this builder
     * @throws IllegalArgumentException on duplicates
     */
    public BalancerBuilder endpoints(Endpoint... endpoints) {
        return endpoints(java.util.Arrays.asList(notNull(endpoints, "endpoints")));
    }

    /**
     * The initial (static) list, as {@code host:port} strings (see {@link Endpoint#parse}).
     *
     * @param endpoints the addresses
     * @return this builder
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

    /**
     * The strategy; default {@link Strategy#roundRobin()}.
     *
     * @param strategy the strategy
     * @return this builder
     */
    public BalancerBuilder strategy(Strategy strategy) {
        this.strategy = notNull(strategy, "strategy");
        return this;
    }

    /**
     * The ticker of the balancer and its pickers; default {@link Ticker#system()}.
     *
     * @param ticker the ticker
     * @return this builder
     */
    public BalancerBuilder ticker(Ticker ticker) {
        this.ticker = notNull(ticker, "ticker");
        return this;
    }

    /**
     * The random source of pickers; must be thread-safe.
     *
     * @param random the random source
     * @return this builder
     */
    public BalancerBuilder random(RandomGenerator random) {
        this.random = notNull(random, "random");
        return this;
    }

    /**
     * Under this share of eligible endpoints, pick among all; 0 disables panic mode.
     *
     * @param panicThreshold the share of eligible endpoints, 0 to 1
     * @return this builder
     * @throws IllegalArgumentException unless 0-1
     */
    public BalancerBuilder panicThreshold(double panicThreshold) {
        this.panicThreshold = inRange(panicThreshold, 0.0, 1.0, "panicThreshold");
        return this;
    }

    /**
     * The decay time of each endpoint's latency average (see {@link EndpointState#latencyEwmaNanos}).
     *
     * @param latencyDecay the decay time
     * @return this builder
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
     * Zone-aware routing: picks stay in this zone ({@link Endpoint#zone()}) while it is healthy
     * enough, spill over to other zones in proportion as it gets sick, and fail over zone by zone
     * ({@link #failoverZones}), by Envoy's rules for priority levels:
     * <ul>
     * <li>each level (the local zone, each failover zone in order, then every other endpoint
     *     together) has the health {@code min(1, overprovisioningFactor * eligible / known)},
     *     counting endpoints of weight above 0;
     * <li>the local zone gets its health's share of the picks, the next level at most its own
     *     health of what is left, and so on; when the healths add up to less than 1, they are
     *     first scaled up so that they add up to 1;
     * <li>panic is decided per level, and only when the healths add up to less than 1: a level
     *     whose eligible share is under the panic threshold then picks among all of its endpoints;
     *     while the other levels can take the load, a sick level just gets less of it.
     * </ul>
     * The strategy picks within the level drawn (one picker per level, each with its own
     * round-robin sequence and other shared state); a pick costs one random draw more only while
     * picks are split between levels. {@link Snapshot#zones()} and {@link Snapshot#localZoneShare()}
     * show the split. Default: no zones (one level, panic as described on {@link Balancer}).
     *
     * @param zone the zone this client runs in, as the endpoints name it
     * @return this builder
     * @throws IllegalArgumentException if blank
     */
    public BalancerBuilder localZone(String zone) {
        notNull(zone, "localZone");
        if (zone.isBlank()) {
            throw new IllegalArgumentException("localZone: '" + zone + "' (expected: not blank)");
        }
        this.localZone = zone;
        return this;
    }

    /**
     * The order in which picks fail over from the local zone: the first zone named here takes
     * what the local zone cannot, then the second, ...; endpoints of zones not named (or of none)
     * come last, together. Needs {@link #localZone}. Default: none (every other zone together).
     *
     * @param zones zone names, each once, none the local zone
     * @return this builder
     * @throws IllegalArgumentException if a name is blank or repeated
     */
    public BalancerBuilder failoverZones(String... zones) {
        notNull(zones, "failoverZones");
        List<String> list = new ArrayList<>(zones.length);
        for (int i = 0; i < zones.length; i++) {
            String z = notNull(zones[i], "failoverZones[" + i + "]");
            if (z.isBlank() || list.contains(z)) {
                throw new IllegalArgumentException("failoverZones[" + i + "]: '" + z + "' (expected: a zone name, not blank, each once)");
            }
            list.add(z);
        }
        this.failoverZones = List.copyOf(list);
        return this;
    }

    /**
     * How far a zone is trusted to be over-provisioned: a zone counts as fully healthy while
     * {@code factor * eligible / known >= 1}. Default {@value #DEFAULT_OVERPROVISIONING_FACTOR}
     * (Envoy's): a zone keeps all its picks until fewer than about 72 % of its endpoints are eligible.
     *
     * @param factor at least 1
     * @return this builder
     * @throws IllegalArgumentException if under 1 or not finite
     */
    public BalancerBuilder overprovisioningFactor(double factor) {
        if (!(factor >= 1.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("overprovisioningFactor: " + factor + " (expected: a finite number >= 1)");
        }
        this.overprovisioningFactor = factor;
        return this;
    }

    /**
     * A limit of calls in flight per endpoint (Envoy's per-host {@code max_requests}): an endpoint
     * with {@code max} selections not yet completed is skipped by every strategy while another
     * has room; when every pickable endpoint is full, the pick fails at once with an
     * {@link EndpointsAtLimitException} (fail fast, never a wait: a pick must not block a request
     * thread, and a queue in front of saturated instances only adds latency). The count is kept
     * exact with a compare-and-set. {@link Balancer#atLimitSkipCount()} and
     * {@link Balancer#atLimitRejectionCount()} tell how often it mattered. Default 0: no limit,
     * and no cost per pick.
     *
     * @param max the limit, at least 1; 0 for none
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public BalancerBuilder maxInFlightPerEndpoint(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("maxInFlightPerEndpoint: " + max + " (expected: >= 1, or 0 for no limit)");
        }
        this.maxInFlightPerEndpoint = max;
        return this;
    }

    /**
     * Adds a source, started by {@link #build()} and closed with the balancer.
     *
     * @param source the source
     * @return this builder
     */
    public BalancerBuilder source(EndpointSource source) {
        sources.add(notNull(source, "source"));
        return this;
    }

    /**
     * The balancer.
     *
     * @return a new balancer
     * @throws IllegalStateException if failover zones were given without a local zone, or name it
     */
    public Balancer build() {
        if (localZone == null && !failoverZones.isEmpty()) {
            throw new IllegalStateException("failoverZones " + failoverZones + " need a localZone");
        }
        if (localZone != null && failoverZones.contains(localZone)) {
            throw new IllegalStateException("failoverZones " + failoverZones + " name the localZone '" + localZone + "'");
        }
        return new DefaultBalancer(this);
    }
}
