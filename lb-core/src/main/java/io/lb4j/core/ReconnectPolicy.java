package io.lb4j.core;

import static io.lb4j.core.internal.Checks.inRange;
import static io.lb4j.core.internal.Checks.notNull;
import static io.lb4j.core.internal.Checks.positive;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * What a {@link Balancer} does when an endpoint cannot be connected to (refused, connect timeout,
 * unresolvable host: {@link Selection#connectionFailure}): it takes the endpoint out at once
 * (owner {@code "connection"}), like gRPC's TRANSIENT_FAILURE, and brings it back in the
 * background: after a jittered backoff of {@code initialBackoff x multiplier^k} (k counts the
 * failed checks in a row, capped at {@code maxBackoff}) it runs the {@link ConnectionCheck}; the
 * endpoint returns when the check passes, otherwise the next wait is longer. A successful call
 * to the endpoint resets k.
 *
 * <p>Immutable and thread-safe.
 * <pre>{@code
 * Balancer b = Balancer.builder("users")
 *         .reconnectPolicy(ReconnectPolicy.builder().backoff(Duration.ofMillis(200), Duration.ofSeconds(10)).build())
 *         .build();
 * }</pre>
 *
 * <p>Defaults ({@link #ofDefaults()}, gRPC's connection backoff with a lower cap): initial backoff
 * 1 s, multiplier 1.6, jitter +-20 %, max 30 s; a TCP connect check with a 1 s timeout.
 */
public final class ReconnectPolicy {

    private static final ReconnectPolicy DEFAULTS = builder().build();
    private static final ReconnectPolicy DISABLED = new ReconnectPolicy(builder(), false);

    private final boolean enabled;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final double multiplier;
    private final double jitter;
    private final ConnectionCheck check;

    private ReconnectPolicy(Builder b, boolean enabled) {
        this.enabled = enabled;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.multiplier = b.multiplier;
        this.jitter = b.jitter;
        this.check = b.check;
    }

    /**
     * The defaults: 1 s x 1.6^k, +-20 %, max 30 s, TCP connect check.
     *
     * @return the default policy
     */
    public static ReconnectPolicy ofDefaults() {
        return DEFAULTS;
    }

    /**
     * Connection failures take nothing out by themselves; they count as ordinary failures for
     * {@link OutlierEjection} instead.
     *
     * @return the disabled policy
     */
    public static ReconnectPolicy disabled() {
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
     * Whether connection failures take an endpoint out.
     *
     * @return false for {@link #disabled()}
     */
    public boolean enabled() {
        return enabled;
    }

    /**
     * The first wait before a check.
     *
     * @return the initial backoff
     */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /**
     * The longest wait before a check, before jitter.
     *
     * @return the maximum backoff
     */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * The growth of the wait per failed check.
     *
     * @return the multiplier, at least 1
     */
    public double multiplier() {
        return multiplier;
    }

    /**
     * The random spread of each wait, as a share of it.
     *
     * @return 0-1; 0.2 means +-20 %
     */
    public double jitter() {
        return jitter;
    }

    /**
     * What decides that an endpoint is reachable again.
     *
     * @return the check
     */
    public ConnectionCheck check() {
        return check;
    }

    /** The wait before check number {@code k + 1} (k failed checks so far), jittered. */
    long backoffNanos(int k, RandomGenerator random) {
        double base = initialBackoff.toNanos() * Math.pow(multiplier, Math.min(k, 64));
        double capped = Math.min(base, (double) maxBackoff.toNanos());
        double spread = jitter == 0 ? 1 : 1 + jitter * (2 * random.nextDouble() - 1);
        return Math.max(1, (long) (capped * spread));
    }

    @Override
    public String toString() {
        return enabled ? "ReconnectPolicy{backoff=" + initialBackoff + " x " + multiplier + "^k, max " + maxBackoff
                + ", jitter=" + jitter + ", check=" + check + "}" : "ReconnectPolicy{disabled}";
    }

    /** Builds a {@link ReconnectPolicy}; starts from the defaults. Not thread-safe; setters validate at once. */
    public static final class Builder {
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private double multiplier = 1.6;
        private double jitter = 0.2;
        private ConnectionCheck check = ConnectionCheck.tcp(Duration.ofSeconds(1));

        private Builder() {}

        /**
         * The first wait and the cap of the wait before a check. Default 1 s and 30 s.
         *
         * @param initial the first wait
         * @param max the cap
         * @return this builder
         * @throws IllegalArgumentException unless both are positive and the cap is at least the first wait
         */
        public Builder backoff(Duration initial, Duration max) {
            positive(initial, "initialBackoff");
            positive(max, "maxBackoff");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("maxBackoff: " + max + " (expected: >= initialBackoff " + initial + ")");
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /**
         * The growth of the wait per failed check. Default 1.6.
         *
         * @param multiplier the factor
         * @return this builder
         * @throws IllegalArgumentException unless 1-10
         */
        public Builder multiplier(double multiplier) {
            this.multiplier = inRange(multiplier, 1.0, 10.0, "multiplier");
            return this;
        }

        /**
         * The random spread of each wait as a share of it. Default 0.2 (+-20 %).
         *
         * @param jitter the share
         * @return this builder
         * @throws IllegalArgumentException unless 0-1
         */
        public Builder jitter(double jitter) {
            this.jitter = inRange(jitter, 0.0, 1.0, "jitter");
            return this;
        }

        /**
         * What decides that an endpoint is reachable again. Default
         * {@link ConnectionCheck#tcp(Duration) tcp(1 s)}.
         *
         * @param check the check
         * @return this builder
         */
        public Builder check(ConnectionCheck check) {
            this.check = notNull(check, "check");
            return this;
        }

        /**
         * The policy.
         *
         * @return an immutable policy
         */
        public ReconnectPolicy build() {
            return new ReconnectPolicy(this, true);
        }
    }
}
