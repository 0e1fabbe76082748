package io.lb4j.strategies;

import io.lb4j.core.EndpointState;
import io.lb4j.core.Ticker;
import java.util.List;

/**
 * The slow-start part of one picker: decides whether a ramping endpoint that a pick landed on is
 * passed over. Exists only while some endpoint of the picker's list is younger than the window,
 * and stops reading the ticker once the last one has grown up.
 */
final class Ramp {
    private final SlowStart slowStart;
    private final Ticker ticker;
    private final long endNanos;
    // a racy flag is enough: a thread that still sees false reads the ticker once more
    private volatile boolean over;

    private Ramp(SlowStart slowStart, Ticker ticker, long endNanos) {
        this.slowStart = slowStart;
        this.ticker = ticker;
        this.endNanos = endNanos;
    }

    /** A ramp for these endpoints, or null when slow start is off or nobody is young enough to ramp. */
    static Ramp of(SlowStart slowStart, List<EndpointState> endpoints, Ticker ticker) {
        if (!slowStart.enabled()) {
            return null;
        }
        long now = ticker.read();
        long end = Long.MIN_VALUE;
        boolean any = false;
        for (EndpointState s : endpoints) {
            long e = s.firstSeenNanos() + slowStart.windowNanos();
            if (e - now > 0) {
                end = any ? (e - end > 0 ? e : end) : e;
                any = true;
            }
        }
        return any ? new Ramp(slowStart, ticker, end) : null;
    }

    /**
     * Whether a pick that landed on {@code state} should go elsewhere; {@code u} is uniform in
     * [0, 1). A ramping endpoint is kept with probability equal to its current share.
     */
    boolean passOver(EndpointState state, double u) {
        if (over) {
            return false;
        }
        long now = ticker.read();
        if (now - endNanos >= 0) {
            over = true;
            return false;
        }
        return u >= slowStart.share(now - state.firstSeenNanos());
    }
}
