package io.lb4j.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a person needs to see why a balancer picks as it does, at one moment: the
 * strategy and its settings, the snapshot version, whether it is in panic and why, how many
 * endpoints each owner excludes, and per endpoint its attributes, state, every exclusion
 * (owner, reason, since, until), in-flight count, recent and lifetime outcome counts, share of
 * the recent picks, latency estimate, slow-start share and latest outcome; plus the latest
 * {@linkplain BalancerEvent events}. Taken by {@link Balancer#view()}.
 *
 * <p><b>Recent window.</b> The recent counts are differences of the endpoints' lifetime counters
 * between now and a sample the balancer kept from an earlier view: the oldest sample at most
 * {@value #WINDOW_SECONDS} s old (samples are kept at most one per {@value #SAMPLE_SECONDS} s),
 * else the newest older one; the first view of a balancer counts from the start. So a caller that
 * takes a view every few seconds sees the last 50-60 s; {@link #windowStart()} says what was
 * covered. Taking views costs the request path nothing: no counter is added for them.
 *
 * <p>Immutable and thread-safe: a copy of the balancer's state, cheap enough to take every
 * second (a few small objects per endpoint). Times are {@link Instant}s on the balancer's
 * {@link Balancer#clock() clock}.
 * <pre>{@code
 * BalancerView v = users.view();
 * for (EndpointView e : v.endpoints()) {
 *     System.out.println(e.endpoint().authority() + " " + e.state() + " " + e.exclusions());
 * }
 * }</pre>
 */
public final class BalancerView {

    /** The longest span the recent counts aim to cover, in seconds. */
    public static final int WINDOW_SECONDS = 60;
    /** The spacing of the samples the recent window is measured from, in seconds. */
    public static final int SAMPLE_SECONDS = 10;
    /** How many of the latest events a view carries at most. */
    public static final int RECENT_EVENTS = 32;

    private final String service;
    private final Instant time;
    private final long version;
    private final boolean closed;
    private final String strategyName;
    private final Map<String, String> strategySettings;
    private final boolean panic;
    private final double panicThreshold;
    private final String panicReason;
    private final int eligibleCount;
    private final int excludedCount;
    private final int drainedCount;
    private final Map<String, Integer> excludedCountByOwner;
    private final long sourceErrorCount;
    private final Instant windowStart;
    private final List<EndpointView> endpoints;
    private final List<BalancerEvent> recentEvents;

    BalancerView(String service, Instant time, long version, boolean closed, String strategyName,
                 Map<String, String> strategySettings, boolean panic, double panicThreshold, String panicReason,
                 int eligibleCount, int excludedCount, int drainedCount, Map<String, Integer> excludedCountByOwner,
                 long sourceErrorCount, Instant windowStart, List<EndpointView> endpoints,
                 List<BalancerEvent> recentEvents) {
        this.service = service;
        this.time = time;
        this.version = version;
        this.closed = closed;
        this.strategyName = strategyName;
        this.strategySettings = strategySettings;
        this.panic = panic;
        this.panicThreshold = panicThreshold;
        this.panicReason = panicReason;
        this.eligibleCount = eligibleCount;
        this.excludedCount = excludedCount;
        this.drainedCount = drainedCount;
        this.excludedCountByOwner = excludedCountByOwner;
        this.sourceErrorCount = sourceErrorCount;
        this.windowStart = windowStart;
        this.endpoints = endpoints;
        this.recentEvents = recentEvents;
    }

    /**
     * The balancer's service name.
     *
     * @return the service, e.g. {@code "users"}
     */
    public String service() {
        return service;
    }

    /**
     * When the view was taken, on the balancer's clock.
     *
     * @return the wall-clock instant
     */
    public Instant time() {
        return time;
    }

    /**
     * The version of the snapshot the view shows ({@link Snapshot#version()}).
     *
     * @return the version
     */
    public long version() {
        return version;
    }

    /**
     * Whether the balancer was closed (then nothing is pickable).
     *
     * @return true once closed
     */
    public boolean closed() {
        return closed;
    }

    /**
     * The strategy's name.
     *
     * @return e.g. {@code "peak-ewma"} ({@link Strategy#name()})
     */
    public String strategyName() {
        return strategyName;
    }

    /**
     * The strategy's settings ({@link Strategy#settings()}).
     *
     * @return setting name to value, in the strategy's order, unmodifiable; empty when it has none
     */
    public Map<String, String> strategySettings() {
        return strategySettings;
    }

    /**
     * Whether the balancer is in panic: too few endpoints are eligible, so picks spread over
     * every endpoint of weight above 0.
     *
     * @return true in panic
     */
    public boolean panic() {
        return panic;
    }

    /**
     * The share of eligible endpoints under which the balancer panics ({@code panicThreshold}).
     *
     * @return 0-1; 0 means panic mode is disabled
     */
    public double panicThreshold() {
        return panicThreshold;
    }

    /**
     * Why the balancer is or is not in panic, e.g. {@code "1 of 4 endpoints of weight > 0
     * eligible, under the threshold 0.5: picking among all 4 (2 excluded by health-check, 1 by
     * connection for up to 3s more)"}; the same sentence as the panic log line.
     *
     * @return the explanation
     */
    public String panicReason() {
        return panicReason;
    }

    /**
     * Known endpoints.
     *
     * @return the number of {@link #endpoints()}
     */
    public int knownCount() {
        return endpoints.size();
    }

    /**
     * Endpoints no owner excludes, of weight above 0.
     *
     * @return the count
     */
    public int eligibleCount() {
        return eligibleCount;
    }

    /**
     * Endpoints at least one owner excludes (drained ones included).
     *
     * @return the count
     */
    public int excludedCount() {
        return excludedCount;
    }

    /**
     * Endpoints of weight 0.
     *
     * @return the count
     */
    public int drainedCount() {
        return drainedCount;
    }

    /**
     * How many endpoints each owner excludes (an endpoint excluded by two owners counts for both).
     *
     * @return owner name to count, only owners with at least one exclusion, unmodifiable
     */
    public Map<String, Integer> excludedCountByOwner() {
        return excludedCountByOwner;
    }

    /**
     * Errors the balancer's sources reported so far ({@link Balancer#sourceErrorCount()}).
     *
     * @return the count
     */
    public long sourceErrorCount() {
        return sourceErrorCount;
    }

    /**
     * The start of the recent window (see the class comment): {@link EndpointView#recent()}
     * counts what happened from here to {@link #time()}.
     *
     * @return the wall-clock instant, on the balancer's clock
     */
    public Instant windowStart() {
        return windowStart;
    }

    /**
     * The length of the recent window.
     *
     * @return {@code time() - windowStart()}
     */
    public Duration window() {
        return Duration.between(windowStart, time);
    }

    /**
     * Every known endpoint.
     *
     * @return the endpoints, in list order, unmodifiable
     */
    public List<EndpointView> endpoints() {
        return endpoints;
    }

    /**
     * One endpoint's view.
     *
     * @param endpoint the endpoint, matched by host and port
     * @return its view, or empty if it was not a member
     */
    public Optional<EndpointView> endpoint(Endpoint endpoint) {
        for (EndpointView e : endpoints) {
            if (e.endpoint().equals(endpoint)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /**
     * The balancer's latest events, oldest first: at most {@value #RECENT_EVENTS}, without
     * {@link BalancerEvent.Kind#EXCLUSION_CHANGED} (the exclusions show the current reasons).
     *
     * @return the events, unmodifiable
     */
    public List<BalancerEvent> recentEvents() {
        return recentEvents;
    }

    @Override
    public String toString() {
        return "BalancerView{" + service + " v" + version + ", " + strategyName + ", " + endpoints.size() + " known, "
                + eligibleCount + " eligible" + (panic ? ", PANIC" : "") + ", " + endpoints + "}";
    }
}
