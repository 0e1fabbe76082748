package io.lb4j.http;

import static io.lb4j.core.internal.Checks.inRange;
import static io.lb4j.core.internal.Checks.notNull;
import static io.lb4j.core.internal.Checks.positive;

import java.time.Duration;

/**
 * How many retries a service may receive on top of its first attempts: at most {@code ratio} of
 * the requests of the last {@code window}, plus a reserve of {@code minRetriesPerSecond} for
 * every second of the window (so that a quiet service can still retry). A sick cluster therefore
 * sees at most about {@code 1 + ratio} times its normal load, not {@code maxAttempts} times.
 *
 * <p>Requeues do not take from this budget: an attempt of which nothing left the client (the
 * connection was refused or timed out, the host did not resolve, a pooled connection was found
 * closed before the request was written) is sent again on another endpoint whatever the method,
 * and adds no load to any server. Requeues have an allowance of their own over the same window:
 * one per request plus 10 per second, so that a client cut off from every instance does not
 * multiply its connection attempts; {@link #unlimited()} lifts both. Every call still makes at
 * most {@link RetryPolicy#maxAttempts()} attempts, requeues included.
 *
 * <p>This is the configuration; each {@link LoadBalancedHttpClient} keeps one running budget per
 * service. Immutable and thread-safe.
 * <pre>{@code
 * RetryPolicy p = RetryPolicy.builder().budget(RetryBudget.of(0.1, Duration.ofSeconds(10), 1)).build();
 * }</pre>
 * Defaults ({@link #ofDefaults()}): ratio 0.2, window 10 s, 10 retries per second (Finagle's
 * defaults: the floor lets a service that loses an instance retry the calls caught in flight).
 */
public final class RetryBudget {

    private static final RetryBudget DEFAULTS = new RetryBudget(0.2, Duration.ofSeconds(10), 10);
    private static final RetryBudget UNLIMITED = new RetryBudget(Double.POSITIVE_INFINITY, Duration.ofSeconds(1), 0);

    private final double ratio;
    private final Duration window;
    private final int minRetriesPerSecond;

    private RetryBudget(double ratio, Duration window, int minRetriesPerSecond) {
        this.ratio = ratio;
        this.window = window;
        this.minRetriesPerSecond = minRetriesPerSecond;
    }

    /**
     * A budget of {@code ratio} retries per request over {@code window}, plus
     * {@code minRetriesPerSecond} per second of the window.
     *
     * @param ratio retries allowed per request of the window, e.g. 0.2
     * @param window how long a request counts, 1 ns to 1 h
     * @param minRetriesPerSecond the reserve: retries allowed per second of the window on top of the ratio
     * @return the budget
     * @throws IllegalArgumentException if the ratio is outside 0-1000, the window is not positive
     *         or longer than one hour, or the minimum is outside 0-1,000,000
     */
    public static RetryBudget of(double ratio, Duration window, int minRetriesPerSecond) {
        inRange(ratio, 0, 1000, "ratio");
        positive(window, "window");
        if (window.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("window: " + window + " (expected: <= PT1H)");
        }
        inRange(minRetriesPerSecond, 0, 1_000_000, "minRetriesPerSecond");
        return new RetryBudget(ratio, notNull(window, "window"), minRetriesPerSecond);
    }

    /**
     * 20 % of the requests of the last 10 s, plus 10 retries per second.
     *
     * @return the default budget
     */
    public static RetryBudget ofDefaults() {
        return DEFAULTS;
    }

    /**
     * No budget: every retry (and requeue) the policy allows is made.
     *
     * @return the unlimited budget
     */
    public static RetryBudget unlimited() {
        return UNLIMITED;
    }

    /**
     * Retries allowed per request of the window.
     *
     * @return the ratio; infinite for {@link #unlimited()}
     */
    public double ratio() {
        return ratio;
    }

    /**
     * How long a request (and a retry) counts.
     *
     * @return the window
     */
    public Duration window() {
        return window;
    }

    /**
     * The reserve: retries allowed per second of the window on top of the ratio.
     *
     * @return retries per second
     */
    public int minRetriesPerSecond() {
        return minRetriesPerSecond;
    }

    /**
     * Whether this is {@link #unlimited()}.
     *
     * @return true when no retry is ever refused
     */
    public boolean isUnlimited() {
        return ratio == Double.POSITIVE_INFINITY;
    }

    @Override
    public String toString() {
        return isUnlimited() ? "RetryBudget{unlimited}"
                : "RetryBudget{ratio=" + ratio + ", window=" + window + ", minRetriesPerSecond=" + minRetriesPerSecond + "}";
    }
}
