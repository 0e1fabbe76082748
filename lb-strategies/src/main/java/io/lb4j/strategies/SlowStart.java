package io.lb4j.strategies;

import static io.lb4j.core.internal.Checks.inRange;
import static io.lb4j.core.internal.Checks.notNegative;

import java.time.Duration;

/**
 * Slow start: an endpoint that a balancer has seen for less than {@link #window()} gets only a
 * share of the traffic it would otherwise get, growing linearly from {@link #minShare()} to
 * full over the window. Age is measured with the balancer's ticker from
 * {@link io.lb4j.core.EndpointState#firstSeenNanos()}, the moment this balancer first saw the
 * endpoint, so a list update that merely re-lists it does not restart its ramp.
 *
 * <p>Endpoints of the balancer's first list ramp too, but all together, which leaves their
 * relative shares as they were. Used by the weighted, least-connections and peak-EWMA strategies.
 *
 * <p>Immutable and thread-safe.
 * <pre>{@code
 * Strategy s = Strategies.leastConnectionsBuilder().slowStart(SlowStart.of(Duration.ofSeconds(30))).build();
 * }</pre>
 *
 * <p>Defaults: {@link #disabled()} (window 0); minimum share {@value #DEFAULT_MIN_SHARE}.
 */
public final class SlowStart {

    /** The share a new endpoint starts with unless told otherwise. */
    public static final double DEFAULT_MIN_SHARE = 0.1;

    private static final SlowStart DISABLED = new SlowStart(Duration.ZERO, DEFAULT_MIN_SHARE);

    private final Duration window;
    private final double minShare;
    private final long windowNanos;

    private SlowStart(Duration window, double minShare) {
        this.window = window;
        this.minShare = minShare;
        this.windowNanos = window.toNanos();
    }

    /**
     * No slow start: every endpoint gets its full share at once. The default.
     *
     * @return the disabled ramp
     */
    public static SlowStart disabled() {
        return DISABLED;
    }

    /**
     * A ramp over {@code window} starting at {@value #DEFAULT_MIN_SHARE} of the full share.
     *
     * @param window how long an endpoint ramps
     * @return the ramp
     * @throws IllegalArgumentException if the window is negative
     */
    public static SlowStart of(Duration window) {
        return of(window, DEFAULT_MIN_SHARE);
    }

    /**
     * A ramp over {@code window} starting at {@code minShare} of the full share; a zero window
     * disables slow start.
     *
     * @param window how long an endpoint ramps
     * @param minShare the share a new endpoint starts with, 0 to 1
     * @return the ramp
     * @throws IllegalArgumentException if the window is negative or minShare is not 0-1
     */
    public static SlowStart of(Duration window, double minShare) {
        notNegative(window, "window");
        inRange(minShare, 0.0, 1.0, "minShare");
        return window.isZero() ? DISABLED : new SlowStart(window, minShare);
    }

    /** {@return how long an endpoint ramps; zero when disabled} */
    public Duration window() {
        return window;
    }

    /** {@return the share a new endpoint starts with} */
    public double minShare() {
        return minShare;
    }

    /** {@return false for {@link #disabled()}: a zero window} */
    public boolean enabled() {
        return windowNanos > 0;
    }

    long windowNanos() {
        return windowNanos;
    }

    /** The share for an endpoint of this age: minShare at 0, rising linearly to 1 at the window. */
    double share(long ageNanos) {
        if (ageNanos >= windowNanos) {
            return 1.0;
        }
        if (ageNanos <= 0) {
            return minShare;
        }
        return minShare + (1.0 - minShare) * ((double) ageNanos / windowNanos);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlowStart other && other.windowNanos == windowNanos
                && (windowNanos == 0 || Double.compare(other.minShare, minShare) == 0);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(windowNanos) * 31 + (windowNanos == 0 ? 0 : Double.hashCode(minShare));
    }

    @Override
    public String toString() {
        return enabled() ? "SlowStart{window=" + window + ", minShare=" + minShare + "}" : "SlowStart{disabled}";
    }
}
