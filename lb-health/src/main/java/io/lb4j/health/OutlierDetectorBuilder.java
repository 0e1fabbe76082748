package io.lb4j.health;

import static io.lb4j.core.internal.Checks.notNull;

import io.lb4j.core.Balancer;
import io.lb4j.core.OutlierEjection;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * Builds an {@link OutlierDetector}. Not thread-safe; each setter checks its argument at once.
 * <pre>{@code
 * OutlierDetector detector = OutlierDetector.builder(balancer)
 *         .consecutiveFailures(3)
 *         .failurePercentage(50, 20)
 *         .build();
 * }</pre>
 *
 * <p>Defaults (Envoy's, the same as the balancer's built-in {@link OutlierEjection#ofDefaults()}):
 * eject after 5 consecutive failures; base ejection time 30 s, max 300 s, no jitter; at most
 * 10 % ejected (at least one); interval 10 s (multiplier decay and the failure-percentage
 * window); no failure-percentage rule; no health checker (with one, a passing probe ends an
 * ejection); no metrics. Time, randomness and timers are the balancer's.
 */
public final class OutlierDetectorBuilder {

    /** Failures in a row that eject by default. */
    public static final int DEFAULT_CONSECUTIVE_FAILURES = OutlierEjection.DEFAULT_CONSECUTIVE_FAILURES;
    /** The first ejection's length by default. */
    public static final Duration DEFAULT_BASE_EJECTION_TIME = OutlierEjection.DEFAULT_BASE_EJECTION_TIME;
    /** The cap of an ejection's length by default. */
    public static final Duration DEFAULT_MAX_EJECTION_TIME = OutlierEjection.DEFAULT_MAX_EJECTION_TIME;
    /** The share of endpoints that may be ejected at once by default, in percent. */
    public static final int DEFAULT_MAX_EJECTION_PERCENT = OutlierEjection.DEFAULT_MAX_EJECTION_PERCENT;
    /** The interval of multiplier decay and of the failure-percentage rule by default. */
    public static final Duration DEFAULT_INTERVAL = OutlierEjection.DEFAULT_INTERVAL;

    final Balancer balancer;
    /** The rules themselves, validated where lb-core defines them. */
    private final OutlierEjection.Builder rules = OutlierEjection.builder();
    HealthChecker healthChecker;
    boolean unEjectOnHealthyProbe = true;
    /** A MeterRegistry, kept as Object so that no Micrometer class loads without one. */
    Object meterRegistry;

    OutlierDetectorBuilder(Balancer balancer) {
        this.balancer = notNull(balancer, "balancer");
    }

    /**
     * Failed calls in a row that eject an endpoint; 0 turns the rule off.
     *
     * @param consecutiveFailures the number of failed calls in a row, or 0
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public OutlierDetectorBuilder consecutiveFailures(int consecutiveFailures) {
        rules.consecutiveFailures(consecutiveFailures);
        return this;
    }

    /**
     * The first ejection's length; the n-th consecutive one lasts n times as long.
     *
     * @param baseEjectionTime the first ejection's length
     * @return this builder
     * @throws IllegalArgumentException unless positive
     */
    public OutlierDetectorBuilder baseEjectionTime(Duration baseEjectionTime) {
        rules.baseEjectionTime(baseEjectionTime);
        return this;
    }

    /**
     * The cap of an ejection's length (before jitter); when shorter than the base time, the base
     * time is used.
     *
     * @param maxEjectionTime the cap
     * @return this builder
     * @throws IllegalArgumentException unless positive
     */
    public OutlierDetectorBuilder maxEjectionTime(Duration maxEjectionTime) {
        rules.maxEjectionTime(maxEjectionTime);
        return this;
    }

    /**
     * A random extra of 0 to {@code jitter} added to each ejection, so that endpoints ejected
     * together do not all return in the same instant.
     *
     * @param jitter the largest random extra
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public OutlierDetectorBuilder jitter(Duration jitter) {
        rules.jitter(jitter);
        return this;
    }

    /**
     * The share of endpoints that may be ejected at once, in percent (rounded down, but never
     * under one endpoint).
     *
     * @param maxEjectionPercent the share in percent, 0 to 100
     * @return this builder
     * @throws IllegalArgumentException unless 0-100
     */
    public OutlierDetectorBuilder maxEjectionPercent(int maxEjectionPercent) {
        rules.maxEjectionPercent(maxEjectionPercent);
        return this;
    }

    /**
     * How often the multiplier decays (by one, for an endpoint back in service a whole interval)
     * and the failure-percentage rule is evaluated over the calls of the interval.
     *
     * @param interval the interval
     * @return this builder
     * @throws IllegalArgumentException unless positive
     */
    public OutlierDetectorBuilder interval(Duration interval) {
        rules.interval(interval);
        return this;
    }

    /**
     * Turns on the failure-percentage rule: an endpoint with at least {@code minimumRequests}
     * completed calls in an interval, of which at least {@code thresholdPercent} % failed, is
     * ejected at the end of the interval. Envoy's defaults are 85 % and 50 calls.
     *
     * @param thresholdPercent the failed share that ejects, in percent
     * @param minimumRequests the calls an endpoint needs in an interval to be judged
     * @return this builder
     * @throws IllegalArgumentException unless thresholdPercent is 1-100 and minimumRequests &gt;= 1
     */
    public OutlierDetectorBuilder failurePercentage(int thresholdPercent, int minimumRequests) {
        rules.failurePercentage(thresholdPercent, minimumRequests);
        return this;
    }

    /**
     * A checker probing the same balancer: a probe that passes after an endpoint's ejection began
     * ends it early (see {@link #unEjectOnHealthyProbe}). Its scheduler becomes the default one.
     *
     * @param healthChecker the checker
     * @return this builder
     * @throws IllegalArgumentException if it checks another balancer or was not built by lb4j
     */
    public OutlierDetectorBuilder healthChecker(HealthChecker healthChecker) {
        notNull(healthChecker, "healthChecker");
        if (!(healthChecker instanceof DefaultHealthChecker)) {
            throw new IllegalArgumentException("healthChecker: " + healthChecker + " (expected: one built by HealthChecker.builder)");
        }
        if (healthChecker.balancer() != balancer) {
            throw new IllegalArgumentException("healthChecker: checks '" + healthChecker.balancer().service()
                    + "' (expected: the detector's balancer '" + balancer.service() + "')");
        }
        this.healthChecker = healthChecker;
        return this;
    }

    /**
     * Whether a passing probe of the attached checker ends an ejection early; default true (as Envoy).
     *
     * @param unEjectOnHealthyProbe whether a passing probe ends an ejection
     * @return this builder
     */
    public OutlierDetectorBuilder unEjectOnHealthyProbe(boolean unEjectOnHealthyProbe) {
        this.unEjectOnHealthyProbe = unEjectOnHealthyProbe;
        return this;
    }

    /**
     * Binds {@code lb.ejections}, {@code lb.endpoints} and {@code lb.panic} (tagged with the
     * service) to {@code registry}; see docs/health.md.
     *
     * @param registry the registry
     * @return this builder
     */
    public OutlierDetectorBuilder meterRegistry(MeterRegistry registry) {
        this.meterRegistry = notNull(registry, "meterRegistry");
        return this;
    }

    /**
     * A detector, already watching the balancer: it replaces the balancer's built-in outlier
     * ejection settings until it is closed.
     *
     * @return the detector
     * @throws IllegalStateException if the attached health checker is closed, or the balancer
     *         already has an open detector
     * @throws IllegalArgumentException if the balancer was not built by {@code Balancer.builder}
     */
    public OutlierDetector build() {
        return new DefaultOutlierDetector(this);
    }

    /** The balancer-level configuration these settings describe. */
    OutlierEjection toConfig() {
        return rules.build();
    }
}
