package io.lb4j.http;

import static io.lb4j.core.internal.Checks.inRange;
import static io.lb4j.core.internal.Checks.notNegative;
import static io.lb4j.core.internal.Checks.notNull;
import static io.lb4j.core.internal.Checks.positive;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * What {@link LoadBalancedHttpClient} retries, how often and how long it waits in between.
 *
 * <p>An attempt of which nothing left the client (connection refused, connect timeout, unknown
 * host, a pooled connection found closed before the request was written, a failed TLS
 * handshake) is <em>requeued</em>: sent at once to another endpoint whatever the method, from the
 * requeue allowance (see {@link RetryBudget}). Any other failed attempt (reset or closed after
 * the request was sent, a per-attempt timeout, an unchecked exception from the delegate, a
 * status in {@link Builder#retryStatuses retryStatuses}) is <em>retried</em> on another endpoint
 * after the backoff when the method is idempotent (GET, HEAD, OPTIONS, PUT, DELETE, TRACE), or
 * the request carries the configured {@linkplain Builder#idempotencyKeyHeader idempotency-key
 * header}, or the policy {@linkplain Builder#retryAllMethods retries all methods}. Either way the
 * body must be one that can be sent again, attempts must be left ({@link #maxAttempts()}, the
 * first and requeues included), the wait must fit in the request's deadline, and the service's
 * retry budget (retries) or requeue allowance (requeues) must have room. A response whose body
 * reached the caller's handler is never sent again.
 *
 * <p>Immutable and thread-safe.
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *         .maxAttempts(3)
 *         .perAttemptTimeout(Duration.ofMillis(500))
 *         .idempotencyKeyHeader("Idempotency-Key")
 *         .build();
 * }</pre>
 *
 * <p>Defaults ({@link #ofDefaults()}): 3 attempts; statuses 502, 503, 504; no per-attempt timeout
 * (the request's own timeout bounds the whole call); idempotent methods only, no idempotency-key
 * header; exponential backoff with full jitter, base 25 ms, cap 250 ms; {@code Retry-After}
 * honoured up to 3 s (a longer one is not waited for: the response is returned);
 * {@link RetryBudget#ofDefaults()}; no hedging ({@link Builder#hedgeAfter}).
 */
public final class RetryPolicy {

    /** Methods that may be sent twice without changing the outcome (RFC 9110, 9.2.2). */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");
    private static final RetryPolicy DEFAULTS = builder().build();
    private static final RetryPolicy NONE = builder().maxAttempts(1).build();

    private final int maxAttempts;
    private final boolean[] retryStatus = new boolean[600];
    private final Set<Integer> retryStatuses;
    private final Duration perAttemptTimeout;
    private final long backoffBaseNanos;
    private final long backoffCapNanos;
    private final Duration retryAfterCap;
    private final String idempotencyKeyHeader;
    private final boolean retryAllMethods;
    private final RetryBudget budget;
    private final Duration hedgeAfter;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.retryStatuses = Set.copyOf(b.retryStatuses);
        for (int s : retryStatuses) {
            retryStatus[s] = true;
        }
        this.perAttemptTimeout = b.perAttemptTimeout;
        this.backoffBaseNanos = b.backoffBase.toNanos();
        this.backoffCapNanos = b.backoffCap.toNanos();
        this.retryAfterCap = b.retryAfterCap;
        this.idempotencyKeyHeader = b.idempotencyKeyHeader;
        this.retryAllMethods = b.retryAllMethods;
        this.budget = b.budget;
        this.hedgeAfter = b.hedgeAfter;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the default policy: 3 attempts, 502/503/504 and connection failures, idempotent methods, default budget} */
    public static RetryPolicy ofDefaults() {
        return DEFAULTS;
    }

    /** {@return a policy of one attempt, no retry; the call still goes through the balancer} */
    public static RetryPolicy none() {
        return NONE;
    }

    /** {@return the attempts per call, the first included} */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** {@return the statuses that are retried} */
    public Set<Integer> retryStatuses() {
        return retryStatuses;
    }

    /** {@return the timeout of each attempt, or {@code null} for none} */
    public Duration perAttemptTimeout() {
        return perAttemptTimeout;
    }

    /** {@return the backoff before the first retry (see {@link Builder#backoff})} */
    public Duration backoffBase() {
        return Duration.ofNanos(backoffBaseNanos);
    }

    /** {@return the longest backoff} */
    public Duration backoffCap() {
        return Duration.ofNanos(backoffCapNanos);
    }

    /** {@return the longest {@code Retry-After} waited for} */
    public Duration retryAfterCap() {
        return retryAfterCap;
    }

    /** {@return the header whose presence makes any method retryable, or {@code null}} */
    public String idempotencyKeyHeader() {
        return idempotencyKeyHeader;
    }

    /** {@return whether every method is retried, POST and PATCH included} */
    public boolean retryAllMethods() {
        return retryAllMethods;
    }

    /** {@return the retry budget of each service} */
    public RetryBudget budget() {
        return budget;
    }

    /** {@return the delay after which a retryable call sends a hedged attempt, or {@code null} when hedging is off} */
    public Duration hedgeAfter() {
        return hedgeAfter;
    }

    boolean retriesStatus(int status) {
        return status >= 0 && status < retryStatus.length && retryStatus[status];
    }

    /** Whether the request's method (or its idempotency key) allows sending it again. */
    boolean allowsMethod(HttpRequest request) {
        if (retryAllMethods || IDEMPOTENT.contains(request.method())) {
            return true;
        }
        return idempotencyKeyHeader != null && Requests.firstHeader(request.headers(), idempotencyKeyHeader) != null;
    }

    /**
     * Full jitter: uniform in [0, min(cap, base * 2^(retry - 1))], so that clients that failed
     * together do not retry together.
     */
    long backoffNanos(int retry, RandomGenerator random) {
        if (backoffBaseNanos == 0) {
            return 0;
        }
        int shift = Math.min(retry - 1, 30);
        long ceiling = backoffBaseNanos > (backoffCapNanos >> shift) ? backoffCapNanos
                : Math.min(backoffCapNanos, backoffBaseNanos << shift);
        return (long) (random.nextDouble() * ceiling);
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxAttempts=" + maxAttempts + ", retryStatuses=" + new TreeSet<>(retryStatuses)
                + ", perAttemptTimeout=" + perAttemptTimeout + ", backoff=" + backoffBase() + ".." + backoffCap()
                + ", retryAfterCap=" + retryAfterCap + ", idempotencyKeyHeader=" + idempotencyKeyHeader
                + ", retryAllMethods=" + retryAllMethods + ", budget=" + budget
                + (hedgeAfter == null ? "" : ", hedgeAfter=" + hedgeAfter) + "}";
    }

    /** Builds a {@link RetryPolicy}; starts from the defaults. Not thread-safe. */
    public static final class Builder {
        private int maxAttempts = 3;
        private Set<Integer> retryStatuses = Set.of(502, 503, 504);
        private Duration perAttemptTimeout;
        private Duration backoffBase = Duration.ofMillis(25);
        private Duration backoffCap = Duration.ofMillis(250);
        private Duration retryAfterCap = Duration.ofSeconds(3);
        private String idempotencyKeyHeader;
        private boolean retryAllMethods;
        private RetryBudget budget = RetryBudget.ofDefaults();
        private Duration hedgeAfter;

        private Builder() {}

        /**
         * Attempts per call, the first included; 1 disables retries. Default 3.
         *
         * @param maxAttempts the attempts, 1 to 10
         * @return this builder
         * @throws IllegalArgumentException if outside 1-10
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = inRange(maxAttempts, 1, 10, "maxAttempts");
            return this;
        }

        /**
         * Statuses that are retried (the response is drained and discarded, unless it is the
         * last attempt's). Default 502, 503, 504.
         *
         * @param statuses the statuses, 500-599
         * @return this builder
         * @throws IllegalArgumentException if a status is outside 500-599: other statuses are
         *         the endpoint's answer, not its failure
         */
        public Builder retryStatuses(int... statuses) {
            Set<Integer> set = new TreeSet<>();
            for (int s : notNull(statuses, "retryStatuses")) {
                set.add(inRange(s, 500, 599, "retry status"));
            }
            this.retryStatuses = set;
            return this;
        }

        /**
         * The timeout of each attempt; a timed-out attempt is retried on another endpoint. The
         * request's own timeout stays the deadline of the whole call. Default: none.
         *
         * @param timeout the timeout
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder perAttemptTimeout(Duration timeout) {
            this.perAttemptTimeout = positive(timeout, "perAttemptTimeout");
            return this;
        }

        /**
         * Exponential backoff with full jitter: the n-th retry waits a uniform random time in
         * [0, min(cap, base * 2^(n-1))]. Zero base means retry at once. Default 25 ms, 250 ms.
         *
         * @param base the first retry's longest wait
         * @param cap the longest wait of any retry
         * @return this builder
         * @throws IllegalArgumentException if negative, or the cap is below the base
         */
        public Builder backoff(Duration base, Duration cap) {
            notNegative(base, "backoff base");
            notNegative(cap, "backoff cap");
            if (cap.compareTo(base) < 0) {
                throw new IllegalArgumentException("backoff cap: " + cap + " (expected: >= base " + base + ")");
            }
            this.backoffBase = base;
            this.backoffCap = cap;
            return this;
        }

        /**
         * The longest {@code Retry-After} waited for; a retryable response that asks for longer is
         * returned to the caller instead. Default 3 s.
         *
         * @param cap the longest wait
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder retryAfterCap(Duration cap) {
            this.retryAfterCap = notNegative(cap, "retryAfterCap");
            return this;
        }

        /**
         * A request header (e.g. {@code Idempotency-Key}) whose presence makes a non-idempotent
         * request retryable. Default: none.
         *
         * @param header the header name
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder idempotencyKeyHeader(String header) {
            notNull(header, "idempotencyKeyHeader");
            if (header.isBlank()) {
                throw new IllegalArgumentException("idempotencyKeyHeader: '' (expected: a header name)");
            }
            this.idempotencyKeyHeader = header.trim().toLowerCase(Locale.ROOT);
            return this;
        }

        /**
         * Retries every method, POST and PATCH included. Default false.
         *
         * @param retryAllMethods whether to retry every method
         * @return this builder
         */
        public Builder retryAllMethods(boolean retryAllMethods) {
            this.retryAllMethods = retryAllMethods;
            return this;
        }

        /**
         * The retry budget of each service. Default {@link RetryBudget#ofDefaults()}.
         *
         * @param budget the budget
         * @return this builder
         */
        public Builder budget(RetryBudget budget) {
            this.budget = notNull(budget, "budget");
            return this;
        }

        /**
         * Turns hedging on: when an attempt of a call this policy may retry (see the class doc)
         * has not answered after {@code delay}, another attempt goes to another endpoint while the
         * first keeps running; the first acceptable response wins and the others are cancelled.
         * Each hedged attempt counts against {@link #maxAttempts} and takes a retry from the
         * budget. Cuts tail latency at the price of extra load: pick a delay near the service's
         * p95. Default: off.
         *
         * @param delay the delay
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder hedgeAfter(Duration delay) {
            this.hedgeAfter = positive(delay, "hedgeAfter");
            return this;
        }

        /** {@return the policy} */
        public RetryPolicy build() {
            return new RetryPolicy(this);
        }
    }
}
