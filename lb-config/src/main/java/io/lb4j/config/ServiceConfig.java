package io.lb4j.config;

import io.lb4j.core.Balancer;
import io.lb4j.core.BalancerBuilder;
import io.lb4j.core.ConnectionCheck;
import io.lb4j.core.Endpoint;
import io.lb4j.core.OutlierEjection;
import io.lb4j.core.ReconnectPolicy;
import io.lb4j.core.Strategy;
import io.lb4j.http.RetryBudget;
import io.lb4j.http.RetryPolicy;
import io.lb4j.strategies.ChoiceBuilder;
import io.lb4j.strategies.ConsistentHashBuilder;
import io.lb4j.strategies.SlowStart;
import io.lb4j.strategies.Strategies;
import io.lb4j.strategies.WeightedBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The typed description of one downstream service, read from the keys
 * {@code lb4j.services.<name>.*}: where its instances come from, the strategy, health checking,
 * outlier ejection, reconnects and the retry policy of its HTTP calls. Every value was checked
 * by the lb4j builder it is meant for, so a description that exists can be run.
 *
 * <p>Immutable and thread-safe.
 * <pre>{@code
 * ServiceConfig users = Lb4jConfig.from(properties).service("users");
 * users.strategyName();            // "peak-ewma"
 * users.retryPolicy().maxAttempts(); // 3
 * }</pre>
 */
public final class ServiceConfig {

    private static final Set<String> CHOICE = Set.of("least-connections", "peak-ewma");
    private static final Set<String> SLOW_START = Set.of("weighted-round-robin", "weighted-random", "least-connections", "peak-ewma");

    private final String name;
    private final List<Endpoint> endpoints;
    private final DiscoveryConfig discovery;
    private final String strategyName;
    private final Strategy strategy;
    private final Double panicThreshold;
    private final Duration latencyDecay;
    private final HealthConfig health;
    private final OutlierEjection outlierEjection;
    private final ReconnectPolicy reconnectPolicy;
    private final RetryPolicy retryPolicy;
    private final String localZone;
    private final List<String> failoverZones;
    private final Double overprovisioningFactor;
    private final Integer maxInFlightPerEndpoint;
    private final int perEndpointMeters;
    private final boolean unEjectOnHealthyProbe;

    private ServiceConfig(String name, List<Endpoint> endpoints, DiscoveryConfig discovery, String strategyName,
                          Strategy strategy, Double panicThreshold, Duration latencyDecay, HealthConfig health,
                          OutlierEjection outlierEjection, ReconnectPolicy reconnectPolicy, RetryPolicy retryPolicy,
                          String localZone, List<String> failoverZones, Double overprovisioningFactor, Integer maxInFlightPerEndpoint,
                          int perEndpointMeters, boolean unEjectOnHealthyProbe) {
        this.perEndpointMeters = perEndpointMeters;
        this.unEjectOnHealthyProbe = unEjectOnHealthyProbe;
        this.localZone = localZone;
        this.failoverZones = failoverZones;
        this.overprovisioningFactor = overprovisioningFactor;
        this.maxInFlightPerEndpoint = maxInFlightPerEndpoint;
        this.name = name;
        this.endpoints = endpoints;
        this.discovery = discovery;
        this.strategyName = strategyName;
        this.strategy = strategy;
        this.panicThreshold = panicThreshold;
        this.latencyDecay = latencyDecay;
        this.health = health;
        this.outlierEjection = outlierEjection;
        this.reconnectPolicy = reconnectPolicy;
        this.retryPolicy = retryPolicy;
    }

    /** Reads one service; null when a problem was found (recorded in {@code v}). */
    static ServiceConfig read(String name, Values v, Lb4jConfig.Shared shared, Balancer validation) {
        String zone = shared.zone;
        int before = v.problems.size();
        BalancerBuilder bb;
        try {
            bb = Balancer.builder(name);
        } catch (IllegalArgumentException e) {
            v.problems.add(v.prefix.substring(0, v.prefix.length() - 1) + ": " + e.getMessage());
            return null;
        }
        DiscoveryConfig.Kind kind = DiscoveryConfig.Kind.STATIC;
        String d = v.string("discovery");
        if (d != null) {
            try {
                kind = DiscoveryConfig.Kind.valueOf(d.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                v.problem("discovery", "expected one of: static, etcd, dns, file, zookeeper");
                kind = null;
            }
        }
        List<Endpoint> endpoints = null;
        if (kind == DiscoveryConfig.Kind.STATIC) {
            if (!v.has("endpoints")) {
                v.problem("endpoints", "required with discovery=static: list host:port of each instance, or set discovery to etcd, dns, file or zookeeper");
            } else {
                endpoints = endpoints(v, bb);
            }
        } else if (kind != null && v.has("endpoints")) {
            v.problem("endpoints", "only with discovery=static (discovery is " + kind.configName() + ")");
        }
        DiscoveryConfig discovery = kind == null ? null : DiscoveryConfig.read(name, kind, v, shared.etcdEndpoints, shared.zookeeper);

        String strategyName = v.has("strategy") ? v.string("strategy") : "round-robin";
        Strategy strategy = strategyName == null ? null : strategy(strategyName, v);

        Double panic = v.decimal("panic-threshold");
        v.apply("panic-threshold", panic, bb::panicThreshold);
        Duration decay = v.duration("latency-decay");
        v.apply("latency-decay", decay, bb::latencyDecay);

        if (zone != null) {
            bb.localZone(zone);
        } else {
            v.onlyWith("failover-zones", false, "lb4j.zone");
            v.onlyWith("overprovisioning-factor", false, "lb4j.zone");
        }
        List<String> failover = v.list("failover-zones");
        if (failover != null && zone != null && failover.contains(zone)) {
            v.problem("failover-zones", "expected: zones other than the local zone " + zone);
        } else if (failover != null) {
            v.apply("failover-zones", failover, l -> bb.failoverZones(l.toArray(new String[0])));
        }
        Double overprovisioning = v.decimal("overprovisioning-factor");
        v.apply("overprovisioning-factor", overprovisioning, bb::overprovisioningFactor);
        Integer maxInFlight = v.integer("max-in-flight-per-endpoint");
        v.apply("max-in-flight-per-endpoint", maxInFlight, bb::maxInFlightPerEndpoint);
        Integer perEndpoint = v.has("metrics.per-endpoint-meters") ? v.integer("metrics.per-endpoint-meters") : shared.perEndpointMeters;
        if (v.has("metrics.per-endpoint-meters")) {
            v.apply("metrics.per-endpoint-meters", perEndpoint, bb::perEndpointMeters);
        }

        HealthConfig health = HealthConfig.read(v, validation);
        if (health == null && v.has("outlier.un-eject-on-healthy-probe") && !v.givenAs("outlier.enabled", "false")) { // else outliers() reports it
            v.problem("outlier.un-eject-on-healthy-probe", "only with health checking on: set health.path or health.probe");
        }
        Boolean unEject = v.bool("outlier.un-eject-on-healthy-probe");
        OutlierEjection outliers = outliers(v);
        ReconnectPolicy reconnect = reconnect(v);
        RetryPolicy retry = retry(v);
        if (v.problems.size() != before) {
            return null;
        }
        return new ServiceConfig(name, endpoints, discovery, strategyName, strategy, panic, decay, health, outliers, reconnect, retry,
                zone, failover, overprovisioning, maxInFlight, perEndpoint != null ? perEndpoint : 0, !Boolean.FALSE.equals(unEject));
    }

    private static List<Endpoint> endpoints(Values v, BalancerBuilder bb) {
        List<String> texts = v.list("endpoints");
        if (texts == null) {
            return null;
        }
        List<Endpoint> list = new ArrayList<>();
        boolean ok = true;
        for (String t : texts) {
            try {
                list.add(Endpoint.parse(t));
            } catch (IllegalArgumentException e) {
                v.problem("endpoints", e.getMessage());
                ok = false;
            }
        }
        if (ok && list.isEmpty()) {
            v.problem("endpoints", "expected: at least one host:port");
            return null;
        }
        return ok && v.apply("endpoints", list, bb::endpoints) ? List.copyOf(list) : null;
    }

    private static Strategy strategy(String name, Values v) {
        boolean choice = CHOICE.contains(name);
        boolean slow = SLOW_START.contains(name);
        boolean hash = name.equals("consistent-hash");
        boolean load = name.equals("load-weighted");
        if (!load) {
            v.onlyWith("load-weighted", false, "strategy load-weighted (strategy is " + name + ")");
        }
        if (!choice && v.has("choice-count")) {
            v.problem("choice-count", "only with strategy least-connections or peak-ewma (strategy is " + name + ")");
        }
        if (!slow) {
            v.onlyWith("slow-start", false, "strategy weighted-round-robin, weighted-random, least-connections or peak-ewma (strategy is " + name + ")");
        }
        if (!hash) {
            v.onlyWith("consistent-hash", false, "strategy consistent-hash (strategy is " + name + ")");
        }
        if (!name.equals("maglev")) {
            v.onlyWith("maglev", false, "strategy maglev (strategy is " + name + ")");
        }
        if (!name.equals("peak-ewma")) {
            v.onlyWith("peak-ewma", false, "strategy peak-ewma (strategy is " + name + ")");
        }
        if (!name.equals("least-connections")) {
            v.onlyWith("least-connections", false, "strategy least-connections (strategy is " + name + ")");
        }
        int before = v.problems.size();
        SlowStart slowStart = SlowStart.disabled();
        if (slow && v.hasGroup("slow-start")) {
            Duration window = v.duration("slow-start.window");
            Double minShare = v.decimal("slow-start.min-share");
            if (!v.has("slow-start.window")) {
                v.problem("slow-start.min-share", "only with slow-start.window");
            } else if (window != null && (minShare != null || !v.has("slow-start.min-share"))) {
                try {
                    slowStart = SlowStart.of(window, minShare != null ? minShare : SlowStart.DEFAULT_MIN_SHARE);
                } catch (IllegalArgumentException e) {
                    v.problem(e.getMessage().startsWith("minShare") ? "slow-start.min-share" : "slow-start.window", e.getMessage());
                }
            }
        }
        if (v.problems.size() != before) {
            return null;
        }
        SlowStart ramp = slowStart;
        switch (name) {
            case "weighted-round-robin":
            case "weighted-random": {
                WeightedBuilder b = name.equals("weighted-round-robin") ? Strategies.weightedRoundRobinBuilder() : Strategies.weightedRandomBuilder();
                return b.slowStart(ramp).build();
            }
            case "least-connections":
            case "peak-ewma": {
                ChoiceBuilder b = name.equals("peak-ewma") ? Strategies.peakEwmaBuilder() : Strategies.leastConnectionsBuilder();
                v.apply("choice-count", v.integer("choice-count"), b::choiceCount);
                if (name.equals("peak-ewma")) {
                    v.apply("peak-ewma.failure-penalty", v.decimal("peak-ewma.failure-penalty"), b::failurePenalty);
                } else {
                    v.apply("least-connections.stall-aware", v.bool("least-connections.stall-aware"), b::stallAware);
                }
                return v.problems.size() == before ? b.slowStart(ramp).build() : null;
            }
            case "consistent-hash": {
                ConsistentHashBuilder b = Strategies.consistentHashBuilder();
                v.apply("consistent-hash.virtual-nodes", v.integer("consistent-hash.virtual-nodes"), b::virtualNodes);
                v.apply("consistent-hash.bounded-load", v.bool("consistent-hash.bounded-load"), b::boundedLoad);
                v.apply("consistent-hash.balance-factor", v.decimal("consistent-hash.balance-factor"), b::balanceFactor);
                return v.problems.size() == before ? b.build() : null;
            }
            case "maglev": {
                io.lb4j.strategies.MaglevBuilder b = Strategies.maglevBuilder();
                v.apply("maglev.table-size-factor", v.integer("maglev.table-size-factor"), b::tableSizeFactor);
                v.apply("maglev.bounded-load", v.bool("maglev.bounded-load"), b::boundedLoad);
                v.apply("maglev.balance-factor", v.decimal("maglev.balance-factor"), b::balanceFactor);
                return v.problems.size() == before ? b.build() : null;
            }
            case "load-weighted": {
                io.lb4j.strategies.LoadWeightedBuilder b = Strategies.loadWeightedBuilder();
                v.apply("load-weighted.blackout", v.duration("load-weighted.blackout"), b::blackout);
                v.apply("load-weighted.expiration", v.duration("load-weighted.expiration"), b::expiration);
                v.apply("load-weighted.update-period", v.duration("load-weighted.update-period"), b::updatePeriod);
                v.apply("load-weighted.error-penalty", v.decimal("load-weighted.error-penalty"), b::errorPenalty);
                return v.problems.size() == before ? b.build() : null;
            }
            default:
                try {
                    return Strategies.named(name);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    v.problem("strategy", e.getMessage());
                    return null;
                }
        }
    }

    private static OutlierEjection outliers(Values v) {
        Boolean enabled = v.bool("outlier.enabled");
        if (Boolean.FALSE.equals(enabled)) {
            v.rejectGroup("outlier.", "outlier.enabled", "only with outlier.enabled=true");
            return OutlierEjection.disabled();
        }
        OutlierEjection.Builder b = OutlierEjection.builder();
        v.apply("outlier.consecutive-failures", v.integer("outlier.consecutive-failures"), b::consecutiveFailures);
        v.apply("outlier.base-ejection-time", v.duration("outlier.base-ejection-time"), b::baseEjectionTime);
        v.apply("outlier.max-ejection-time", v.duration("outlier.max-ejection-time"), b::maxEjectionTime);
        v.apply("outlier.jitter", v.duration("outlier.jitter"), b::jitter);
        v.apply("outlier.max-ejection-percent", v.integer("outlier.max-ejection-percent"), b::maxEjectionPercent);
        v.apply("outlier.interval", v.duration("outlier.interval"), b::interval);
        Integer threshold = v.integer("outlier.failure-percentage.threshold");
        Integer minimum = v.integer("outlier.failure-percentage.minimum-requests");
        if (!v.has("outlier.failure-percentage.threshold") && v.has("outlier.failure-percentage.minimum-requests")) {
            v.problem("outlier.failure-percentage.minimum-requests", "only with outlier.failure-percentage.threshold");
        } else if (threshold != null && (minimum != null || !v.has("outlier.failure-percentage.minimum-requests"))) {
            int min = minimum != null ? minimum : 50;
            try {
                b.failurePercentage(threshold, min);
            } catch (IllegalArgumentException e) {
                v.problem(e.getMessage().startsWith("thresholdPercent") ? "outlier.failure-percentage.threshold"
                        : "outlier.failure-percentage.minimum-requests", e.getMessage());
            }
        }
        return b.build();
    }

    private static ReconnectPolicy reconnect(Values v) {
        Boolean enabled = v.bool("reconnect.enabled");
        if (Boolean.FALSE.equals(enabled)) {
            v.rejectGroup("reconnect.", "reconnect.enabled", "only with reconnect.enabled=true");
            return ReconnectPolicy.disabled();
        }
        ReconnectPolicy.Builder b = ReconnectPolicy.builder();
        ReconnectPolicy defaults = ReconnectPolicy.ofDefaults();
        Duration initial = v.duration("reconnect.initial-backoff");
        Duration max = v.duration("reconnect.max-backoff");
        if (initial != null || max != null) {
            Duration i = initial != null ? initial : defaults.initialBackoff();
            Duration m = max != null ? max : defaults.maxBackoff();
            try {
                b.backoff(i, m);
            } catch (IllegalArgumentException e) {
                v.pairProblem("reconnect.initial-backoff", "reconnect.max-backoff", e.getMessage().startsWith("initialBackoff"), e.getMessage());
            }
        }
        v.apply("reconnect.multiplier", v.decimal("reconnect.multiplier"), b::multiplier);
        v.apply("reconnect.jitter", v.decimal("reconnect.jitter"), b::jitter);
        v.apply("reconnect.check-timeout", v.duration("reconnect.check-timeout"), t -> b.check(ConnectionCheck.tcp(t)));
        return b.build();
    }

    private static RetryPolicy retry(Values v) {
        RetryPolicy.Builder b = RetryPolicy.builder();
        RetryPolicy defaults = RetryPolicy.ofDefaults();
        v.apply("retry.max-attempts", v.integer("retry.max-attempts"), b::maxAttempts);
        List<String> statuses = v.list("retry.statuses");
        if (statuses != null) {
            int[] codes = new int[statuses.size()];
            boolean ok = true;
            for (int i = 0; i < codes.length; i++) {
                try {
                    codes[i] = Integer.parseInt(statuses.get(i));
                } catch (NumberFormatException e) {
                    v.problem("retry.statuses", "'" + statuses.get(i) + "' is not a status code (expected: 500-599)");
                    ok = false;
                }
            }
            if (ok) {
                v.apply("retry.statuses", codes, b::retryStatuses);
            }
        }
        v.apply("retry.per-attempt-timeout", v.duration("retry.per-attempt-timeout"), b::perAttemptTimeout);
        Duration base = v.duration("retry.backoff.base");
        Duration cap = v.duration("retry.backoff.cap");
        if (base != null || cap != null) {
            Duration bs = base != null ? base : defaults.backoffBase();
            Duration cp = cap != null ? cap : defaults.backoffCap();
            try {
                b.backoff(bs, cp);
            } catch (IllegalArgumentException e) {
                v.pairProblem("retry.backoff.base", "retry.backoff.cap", e.getMessage().startsWith("backoff base"), e.getMessage());
            }
        }
        v.apply("retry.retry-after-cap", v.duration("retry.retry-after-cap"), b::retryAfterCap);
        v.apply("retry.idempotency-key-header", v.string("retry.idempotency-key-header"), b::idempotencyKeyHeader);
        v.apply("retry.all-methods", v.bool("retry.all-methods"), b::retryAllMethods);
        v.apply("retry.hedge-after", v.duration("retry.hedge-after"), b::hedgeAfter);
        Boolean budgetOn = v.bool("retry.budget.enabled");
        if (Boolean.FALSE.equals(budgetOn)) {
            v.rejectGroup("retry.budget.", "retry.budget.enabled", "only with retry.budget.enabled=true");
            b.budget(RetryBudget.unlimited());
        } else if (v.hasGroup("retry.budget")) {
            RetryBudget d = RetryBudget.ofDefaults();
            Double ratio = v.decimal("retry.budget.ratio");
            Duration window = v.duration("retry.budget.window");
            Integer min = v.integer("retry.budget.min-retries-per-second");
            if ((ratio != null || !v.has("retry.budget.ratio")) && (window != null || !v.has("retry.budget.window"))
                    && (min != null || !v.has("retry.budget.min-retries-per-second"))) {
                try {
                    b.budget(RetryBudget.of(ratio != null ? ratio : d.ratio(), window != null ? window : d.window(),
                            min != null ? min : d.minRetriesPerSecond()));
                } catch (IllegalArgumentException e) {
                    String m = e.getMessage();
                    v.problem(m.startsWith("ratio") ? "retry.budget.ratio" : m.startsWith("window") ? "retry.budget.window"
                            : "retry.budget.min-retries-per-second", m);
                }
            }
        }
        return b.build();
    }

    /**
     * The service name: the host of request URIs ({@code http://users/...}).
     *
     * @return the name as configured
     */
    public String name() {
        return name;
    }

    /**
     * The static instances ({@code endpoints}).
     *
     * @return the list; empty unless discovery is {@link DiscoveryConfig.Kind#STATIC}
     */
    public List<Endpoint> endpoints() {
        return endpoints != null ? endpoints : List.of();
    }

    /**
     * Where the instances come from.
     *
     * @return the discovery settings
     */
    public DiscoveryConfig discovery() {
        return discovery;
    }

    /**
     * The strategy's name as configured.
     *
     * @return e.g. {@code peak-ewma}; {@code round-robin} by default
     */
    public String strategyName() {
        return strategyName;
    }

    /**
     * The strategy with its settings.
     *
     * @return the strategy
     */
    public Strategy strategy() {
        return strategy;
    }

    /**
     * The panic threshold.
     *
     * @return the share, or {@link BalancerBuilder#DEFAULT_PANIC_THRESHOLD} when not set
     */
    public double panicThreshold() {
        return panicThreshold != null ? panicThreshold : BalancerBuilder.DEFAULT_PANIC_THRESHOLD;
    }

    /**
     * The latency average's decay time.
     *
     * @return the time, or {@link BalancerBuilder#DEFAULT_LATENCY_DECAY} when not set
     */
    public Duration latencyDecay() {
        return latencyDecay != null ? latencyDecay : BalancerBuilder.DEFAULT_LATENCY_DECAY;
    }

    /**
     * Active health checking.
     *
     * @return the settings, empty when off
     */
    public Optional<HealthConfig> health() {
        return Optional.ofNullable(health);
    }

    /**
     * Passive outlier ejection.
     *
     * @return the configuration ({@link OutlierEjection#disabled()} when off)
     */
    public OutlierEjection outlierEjection() {
        return outlierEjection;
    }

    /**
     * What a connection failure does.
     *
     * @return the policy ({@link ReconnectPolicy#disabled()} when off)
     */
    public ReconnectPolicy reconnectPolicy() {
        return reconnectPolicy;
    }

    /**
     * The retry policy of this service's HTTP calls.
     *
     * @return the policy
     */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /**
     * The zone this application runs in ({@code lb4j.zone}).
     *
     * @return the zone, empty for none
     */
    public Optional<String> localZone() {
        return Optional.ofNullable(localZone);
    }

    /**
     * The most calls in flight to one endpoint.
     *
     * @return the limit; 0 for none
     */
    public int maxInFlightPerEndpoint() {
        return maxInFlightPerEndpoint != null ? maxInFlightPerEndpoint : 0;
    }

    /**
     * The cap of per-endpoint meters ({@code metrics.per-endpoint-meters}, else
     * {@code lb4j.metrics.per-endpoint-meters}). Not part of {@link #balancerBuilder()}, because
     * per-endpoint meters need a {@code MeterRegistry}: {@link Lb4jRuntime} sets it when it binds
     * meters.
     *
     * @return the cap; 0 for none
     */
    public int perEndpointMeters() {
        return perEndpointMeters;
    }

    /**
     * Whether a passing health probe ends an outlier ejection early ({@code outlier.un-eject-on-healthy-probe}).
     *
     * @return the flag, true by default
     */
    public boolean unEjectOnHealthyProbe() {
        return unEjectOnHealthyProbe;
    }

    /**
     * A balancer builder with this service's list or source, strategy and policies.
     *
     * @return a new builder; the caller may add more (a ticker, a scheduler) before {@code build()}
     */
    public BalancerBuilder balancerBuilder() {
        BalancerBuilder b = Balancer.builder(name).strategy(strategy).panicThreshold(panicThreshold()).latencyDecay(latencyDecay())
                .reconnectPolicy(reconnectPolicy).outlierEjection(outlierEjection);
        if (localZone != null) {
            b.localZone(localZone);
        }
        if (failoverZones != null) {
            b.failoverZones(failoverZones.toArray(new String[0]));
        }
        if (overprovisioningFactor != null) {
            b.overprovisioningFactor(overprovisioningFactor);
        }
        if (maxInFlightPerEndpoint != null) {
            b.maxInFlightPerEndpoint(maxInFlightPerEndpoint);
        }
        if (discovery.kind() == DiscoveryConfig.Kind.STATIC) {
            b.endpoints(endpoints);
        } else {
            b.source(discovery.newSource());
        }
        return b;
    }

    @Override
    public String toString() {
        return "ServiceConfig{" + name + ", " + (discovery.kind() == DiscoveryConfig.Kind.STATIC ? "endpoints=" + endpoints : "discovery=" + discovery)
                + ", strategy=" + strategyName + ", panicThreshold=" + panicThreshold() + ", latencyDecay=" + latencyDecay()
                + ", " + (health != null ? health : "health{off}") + ", " + outlierEjection + ", " + reconnectPolicy + ", " + retryPolicy + "}";
    }
}
