package io.lb4j.health;

import static io.lb4j.core.internal.Checks.atLeast;
import static io.lb4j.core.internal.Checks.inRange;
import static io.lb4j.core.internal.Checks.notNull;
import static io.lb4j.core.internal.Checks.positive;

import io.lb4j.core.Balancer;
import io.lb4j.core.Ticker;
import io.lb4j.core.internal.ThreadLocalRandomGenerator;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/**
 * Builds a {@link HealthChecker}. Not thread-safe; each setter checks its argument at once.
 * <pre>{@code
 * HealthChecker checker = HealthChecker.builder(balancer)
 *         .probe(Probe.http("/healthz"))
 *         .interval(Duration.ofSeconds(2))
 *         .unhealthyThreshold(2)
 *         .build()
 *         .start();
 * }</pre>
 *
 * <p>Defaults: {@link Probe#tcp()}; interval 5 s with jitter 0.1 (each delay uniform within
 * &plusmn;10 % of the interval); timeout 1 s; unhealthy after 3 consecutive failures, healthy after 2
 * consecutive passes (the first probe of a new endpoint decides at once); at most 16 probes at
 * once; the balancer's ticker; its own scheduler (one named daemon thread, shut down on close);
 * a thread-local random source; no listener; no metrics.
 */
public final class HealthCheckerBuilder {

    /** Default of {@link #interval}: 5 s. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    /** Default of {@link #jitter}: 0.1 (&plusmn;10 % of the interval). */
    public static final double DEFAULT_JITTER = 0.1;
    /** Default of {@link #timeout}: 1 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    /** Default of {@link #unhealthyThreshold}: 3 failed probes in a row. */
    public static final int DEFAULT_UNHEALTHY_THRESHOLD = 3;
    /** Default of {@link #healthyThreshold}: 2 passed probes in a row. */
    public static final int DEFAULT_HEALTHY_THRESHOLD = 2;
    /** Default of {@link #maxConcurrentProbes}: 16. */
    public static final int DEFAULT_MAX_CONCURRENT_PROBES = 16;

    final Balancer balancer;
    Probe probe = Probe.tcp();
    Duration interval = DEFAULT_INTERVAL;
    double jitter = DEFAULT_JITTER;
    Duration timeout = DEFAULT_TIMEOUT;
    int unhealthyThreshold = DEFAULT_UNHEALTHY_THRESHOLD;
    int healthyThreshold = DEFAULT_HEALTHY_THRESHOLD;
    int maxConcurrentProbes = DEFAULT_MAX_CONCURRENT_PROBES;
    ScheduledExecutorService scheduler;
    Ticker ticker;
    RandomGenerator random = ThreadLocalRandomGenerator.INSTANCE;
    final List<HealthListener> listeners = new ArrayList<>();
    /** A MeterRegistry, kept as Object so that no Micrometer class loads without one. */
    Object meterRegistry;

    HealthCheckerBuilder(Balancer balancer) {
        this.balancer = notNull(balancer, "balancer");
    }

    /**
     * How to check an endpoint.
     *
     * @param probe the probe
     * @return this builder
     */
    public HealthCheckerBuilder probe(Probe probe) {
        this.probe = notNull(probe, "probe");
        return this;
    }

    /**
     * Time from the end of one probe of an endpoint to the start of its next.
     *
     * @param interval the interval
     * @return this builder
     * @throws IllegalArgumentException unless positive
     */
    public HealthCheckerBuilder interval(Duration interval) {
        this.interval = positive(interval, "interval");
        return this;
    }

    /**
     * Spread of each delay as a share of the interval: a delay is uniform in
     * {@code interval * (1 +- jitter)}, so that probes of many clients do not arrive in lockstep.
     *
     * @param jitter the share, 0 to 1
     * @return this builder
     * @throws IllegalArgumentException unless 0-1
     */
    public HealthCheckerBuilder jitter(double jitter) {
        this.jitter = inRange(jitter, 0.0, 1.0, "jitter");
        return this;
    }

    /**
     * How long a probe may take before it counts as failed (also the HTTP probe's connect timeout).
     *
     * @param timeout the timeout
     * @return this builder
     * @throws IllegalArgumentException unless positive
     */
    public HealthCheckerBuilder timeout(Duration timeout) {
        this.timeout = positive(timeout, "timeout");
        return this;
    }

    /**
     * Consecutive failed probes that make a healthy endpoint unhealthy.
     *
     * @param unhealthyThreshold the number of failed probes in a row
     * @return this builder
     * @throws IllegalArgumentException unless &gt;= 1
     */
    public HealthCheckerBuilder unhealthyThreshold(int unhealthyThreshold) {
        this.unhealthyThreshold = atLeast(unhealthyThreshold, 1, "unhealthyThreshold");
        return this;
    }

    /**
     * Consecutive passed probes that make an unhealthy endpoint healthy.
     *
     * @param healthyThreshold the number of passed probes in a row
     * @return this builder
     * @throws IllegalArgumentException unless &gt;= 1
     */
    public HealthCheckerBuilder healthyThreshold(int healthyThreshold) {
        this.healthyThreshold = atLeast(healthyThreshold, 1, "healthyThreshold");
        return this;
    }

    /**
     * Probes in flight at once, over all endpoints; a due probe beyond it waits for a free slot.
     *
     * @param maxConcurrentProbes the limit
     * @return this builder
     * @throws IllegalArgumentException unless &gt;= 1
     */
    public HealthCheckerBuilder maxConcurrentProbes(int maxConcurrentProbes) {
        this.maxConcurrentProbes = atLeast(maxConcurrentProbes, 1, "maxConcurrentProbes");
        return this;
    }

    /**
     * Runs the schedules and timeouts; the checker does not shut it down. Tasks run on it must
     * not be delayed by long work elsewhere.
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public HealthCheckerBuilder scheduler(ScheduledExecutorService scheduler) {
        this.scheduler = notNull(scheduler, "scheduler");
        return this;
    }

    /**
     * The time source for probe durations; default the balancer's.
     *
     * @param ticker the ticker
     * @return this builder
     */
    public HealthCheckerBuilder ticker(Ticker ticker) {
        this.ticker = notNull(ticker, "ticker");
        return this;
    }

    /**
     * The random source of the jitter; must be thread-safe.
     *
     * @param random the random source
     * @return this builder
     */
    public HealthCheckerBuilder random(RandomGenerator random) {
        this.random = notNull(random, "random");
        return this;
    }

    /**
     * Adds a listener for health changes.
     *
     * @param listener called on each health change
     * @return this builder
     */
    public HealthCheckerBuilder listener(HealthListener listener) {
        listeners.add(notNull(listener, "listener"));
        return this;
    }

    /**
     * Binds {@code lb.endpoints}, {@code lb.health.checks} and {@code lb.panic} (tagged with the
     * service) to {@code registry}; see docs/health.md.
     *
     * @param registry the registry
     * @return this builder
     */
    public HealthCheckerBuilder meterRegistry(MeterRegistry registry) {
        this.meterRegistry = notNull(registry, "meterRegistry");
        return this;
    }

    /**
     * A checker that does nothing until {@link HealthChecker#start()}.
     *
     * @return the checker
     */
    public HealthChecker build() {
        return new DefaultHealthChecker(this);
    }
}
