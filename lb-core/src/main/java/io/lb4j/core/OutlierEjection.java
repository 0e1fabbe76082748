package io.lb4j.core;

import static io.lb4j.core.internal.Checks.atLeast;
import static io.lb4j.core.internal.Checks.inRange;
import static io.lb4j.core.internal.Checks.notNegative;
import static io.lb4j.core.internal.Checks.notNull;
import static io.lb4j.core.internal.Checks.positive;

import java.time.Duration;

/**
 * Passive outlier ejection, built into every {@link Balancer}: endpoints whose real calls fail
 * are taken out for a while (owner {@code "outlier-ejection"}), judged from the outcomes that
 * {@link Selection}s report. On by default with Envoy's defaults; lb-health's
 * {@code OutlierDetector} configures the same mechanism and links it to active health checks.
 *
 * <p>Rules: {@code consecutiveFailures} failures in a row ({@link Selection#failure} — lb-http
 * reports 5xx statuses and per-attempt timeouts that way — and, when the balancer's
 * {@link ReconnectPolicy} is disabled, connection failures) eject the endpoint at once; the
 * optional failure-percentage rule ejects, at the end of each {@code interval}, an endpoint with
 * at least {@code minimumRequests} calls of which at least {@code thresholdPercent} % failed. An
 * ejection lasts {@code baseEjectionTime} times the endpoint's multiplier (one more for each
 * ejection, one less for each interval it then stays in), capped at {@code maxEjectionTime},
 * plus up to {@code jitter}; at most {@code maxEjectionPercent} % of the endpoints (never fewer
 * than one) are ejected at once.
 *
 * <p>Immutable and thread-safe.
 * <pre>{@code
 * Balancer b = Balancer.builder("users")
 *         .outlierEjection(OutlierEjection.builder().consecutiveFailures(3).baseEjectionTime(Duration.ofSeconds(10)).build())
 *         .build();
 * }</pre>
 *
 * <p>Defaults ({@link #ofDefaults()}, Envoy's): 5 consecutive failures; base ejection time 30 s,
 * max 300 s, no jitter; at most 10 % ejected (at least one); interval 10 s; no failure-percentage
 * rule.
 */
public final class OutlierEjection {

    /** Failures in a row that eject an endpoint by default. */
    public static final int DEFAULT_CONSECUTIVE_FAILURES = 5;
    /** The first ejection's length by default. */
    public static final Duration DEFAULT_BASE_EJECTION_TIME = Duration.ofSeconds(30);
    /** The cap of an ejection's length by default. */
    public static final Duration DEFAULT_MAX_EJECTION_TIME = Duration.ofSeconds(300);
    /** The share of endpoints that may be ejected at once by default, in percent. */
    public static final int DEFAULT_MAX_EJECTION_PERCENT = 10;
    /** The interval of multiplier decay and of the failure-percentage rule by default. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    private static final OutlierEjection DEFAULTS = builder().build();
    private static final OutlierEjection DISABLED = new OutlierEjection(builder().consecutiveFailures(0), false);

    private final boolean enabled;
    private final int consecutiveFailures;
    private final Duration baseEjectionTime;
    private final Duration maxEjectionTime;
    private final Duration jitter;
    private final int maxEjectionPercent;
    private final Duration interval;
    private final int failurePercentageThreshold;
    private final int failurePercentageMinimumRequests;

    private OutlierEjection(Builder b, boolean enabled) {
        this.enabled = enabled && (b.consecutiveFailures > 0 || b.failurePercentageThreshold > 0);
        this.consecutiveFailures = b.consecutiveFailures;
        this.baseEjectionTime = b.baseEjectionTime;
        this.maxEjectionTime = b.maxEjectionTime;
        this.jitter = b.jitter;
        this.maxEjectionPercent = b.maxEjectionPercent;
        this.interval = b.interval;
        this.failurePercentageThreshold = b.failurePercentageThreshold;
        this.failurePercentageMinimumRequests = b.failurePercentageMinimumRequests;
    }

    /**
     * Envoy's defaults: 5 consecutive failures, 30 s base, 300 s max, 10 % max ejected.
     *
     * @return the default configuration
     */
    public static OutlierEjection ofDefaults() {
        return DEFAULTS;
    }

    /**
     * No passive ejection at all.
     *
     * @return a configuration that never ejects
     */
    public static OutlierEjection disabled() {
        return DISABLED;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether any rule is on.
     *
     * @return false for {@link #disabled()} or when both rules are off
     */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Failures in a row that eject an endpoint.
     *
     * @return the count; 0 when the rule is off
     */
    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    /**
     * The first ejection's length.
     *
     * @return the base ejection time
     */
    public Duration baseEjectionTime() {
        return baseEjectionTime;
    }

    /**
     * The cap of an ejection's length before jitter (never shorter than the base time).
     *
     * @return the maximum ejection time
     */
    public Duration maxEjectionTime() {
        return maxEjectionTime;
    }

    /**
     * The random extra added to each ejection.
     *
     * @return the jitter bound; zero for none
     */
    public Duration jitter() {
        return jitter;
    }

    /**
     * The share of endpoints that may be ejected at once, in percent (never fewer than one).
     *
     * @return 0-100
     */
    public int maxEjectionPercent() {
        return maxEjectionPercent;
    }

    /**
     * The interval of multiplier decay and of the failure-percentage rule.
     *
     * @return the interval
     */
    public Duration interval() {
        return interval;
    }

    /**
     * The failure percentage that ejects at the end of an interval.
     *
     * @return 1-100, or 0 when the rule is off
     */
    public int failurePercentageThreshold() {
        return failurePercentageThreshold;
    }

    /**
     * The calls an endpoint needs in an interval before the failure-percentage rule judges it.
     *
     * @return the minimum; 0 when the rule is off
     */
    public int failurePercentageMinimumRequests() {
        return failurePercentageMinimumRequests;
    }

    @Override
    public String toString() {
        if (!enabled) {
            return "OutlierEjection{disabled}";
        }
        return "OutlierEjection{consecutiveFailures=" + consecutiveFailures + ", baseEjectionTime=" + baseEjectionTime
                + ", maxEjectionTime=" + maxEjectionTime + ", jitter=" + jitter + ", maxEjectionPercent=" + maxEjectionPercent
                + ", interval=" + interval
                + (failurePercentageThreshold > 0 ? ", failurePercentage=" + failurePercentageThreshold + "% of >= "
                        + failurePercentageMinimumRequests : "") + "}";
    }

    /** Builds an {@link OutlierEjection}; starts from the defaults. Not thread-safe; setters validate at once. */
    public static final class Builder {
        private int consecutiveFailures = DEFAULT_CONSECUTIVE_FAILURES;
        private Duration baseEjectionTime = DEFAULT_BASE_EJECTION_TIME;
        private Duration maxEjectionTime = DEFAULT_MAX_EJECTION_TIME;
        private Duration jitter = Duration.ZERO;
        private int maxEjectionPercent = DEFAULT_MAX_EJECTION_PERCENT;
        private Duration interval = DEFAULT_INTERVAL;
        private int failurePercentageThreshold;
        private int failurePercentageMinimumRequests;

        private Builder() {}

        /**
         * Failed calls in a row that eject an endpoint; 0 turns the rule off. Default 5.
         *
         * @param consecutiveFailures the count
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder consecutiveFailures(int consecutiveFailures) {
            this.consecutiveFailures = atLeast(consecutiveFailures, 0, "consecutiveFailures");
            return this;
        }

        /**
         * The first ejection's length; the n-th in a row lasts n times as long. Default 30 s.
         *
         * @param baseEjectionTime the base time
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder baseEjectionTime(Duration baseEjectionTime) {
            this.baseEjectionTime = positive(baseEjectionTime, "baseEjectionTime");
            return this;
        }

        /**
         * The cap of an ejection's length before jitter; a cap under the base time means the base
         * time. Default 300 s.
         *
         * @param maxEjectionTime the cap
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder maxEjectionTime(Duration maxEjectionTime) {
            this.maxEjectionTime = positive(maxEjectionTime, "maxEjectionTime");
            return this;
        }

        /**
         * A random extra of 0 to {@code jitter} added to each ejection, so that endpoints ejected
         * together do not all return in the same instant. Default none.
         *
         * @param jitter the bound
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder jitter(Duration jitter) {
            this.jitter = notNegative(jitter, "jitter");
            return this;
        }

        /**
         * The share of endpoints that may be ejected at once, in percent, rounded down but never
         * under one endpoint. Default 10.
         *
         * @param maxEjectionPercent the share
         * @return this builder
         * @throws IllegalArgumentException unless 0-100
         */
        public Builder maxEjectionPercent(int maxEjectionPercent) {
            this.maxEjectionPercent = inRange(maxEjectionPercent, 0, 100, "maxEjectionPercent");
            return this;
        }

        /**
         * How often the multiplier decays (by one for each interval an endpoint stays in) and the
         * failure-percentage rule is evaluated. Default 10 s.
         *
         * @param interval the interval
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder interval(Duration interval) {
            this.interval = positive(interval, "interval");
            return this;
        }

        /**
         * Turns on the failure-percentage rule: an endpoint with at least {@code minimumRequests}
         * completed calls in an interval, of which at least {@code thresholdPercent} % failed, is
         * ejected at the end of the interval. Envoy's defaults are 85 % and 50 calls. Default off.
         *
         * @param thresholdPercent the failure share that ejects
         * @param minimumRequests the calls needed before judging
         * @return this builder
         * @throws IllegalArgumentException unless thresholdPercent is 1-100 and minimumRequests is at least 1
         */
        public Builder failurePercentage(int thresholdPercent, int minimumRequests) {
            this.failurePercentageThreshold = inRange(thresholdPercent, 1, 100, "thresholdPercent");
            this.failurePercentageMinimumRequests = atLeast(minimumRequests, 1, "minimumRequests");
            return this;
        }

        /**
         * The configuration.
         *
         * @return an immutable configuration
         */
        public OutlierEjection build() {
            notNull(baseEjectionTime, "baseEjectionTime");
            return new OutlierEjection(this, true);
        }
    }
}
