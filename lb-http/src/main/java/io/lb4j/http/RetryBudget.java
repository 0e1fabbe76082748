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
 * <p>This is the configuration; each {@link LoadBalancedHttpClient} keeps one running budget per
 * service. Immutable and thread-safe.
 * <pre>{@code
 * RetryPolicy p = RetryPolicy.builder().budget(RetryBudget.of(0.1, Duration.ofSeconds(10), 1)).build();
 * }</pre>
 * Defaults ({@link #ofDefaults()}): ratio 0.2, window 10 s, 3 retries per second.
 */
public final class RetryBudget {

    private static final RetryBudget DEFAULTS = new RetryBudget(0.2, Duration.ofSeconds(10), 3);
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
     * @param ratio retries per request, 0 to 1000
     * @param window the sliding window, up to one hour
     * @param minRetriesPerSecond retries per second allowed on top of the ratio
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

    /** {@return a budget of 20 % of the requests of the last 10 s, plus 3 retries per second} */
    public static RetryBudget ofDefaults() {
        return DEFAULTS;
    }

    /** {@return no budget: every retry the policy allows is made} */
    public static RetryBudget unlimited() {
        return UNLIMITED;
    }

    /** {@return retries allowed per request} */
    public double ratio() {
        return ratio;
    }

    /** {@return the window over which requests and retries are counted} */
    public Duration window() {
        return window;
    }

    /** {@return retries per second allowed on top of the ratio} */
    public int minRetriesPerSecond() {
        return minRetriesPerSecond;
    }

    /** {@return whether this is {@link #unlimited()}} */
    public boolean isUnlimited() {
        return ratio == Double.POSITIVE_INFINITY;
    }

    @Override
    public String toString() {
        return isUnlimited() ? "RetryBudget{unlimited}"
                : "RetryBudget{ratio=" + ratio + ", window=" + window + ", minRetriesPerSecond=" + minRetriesPerSecond + "}";
    }
}
