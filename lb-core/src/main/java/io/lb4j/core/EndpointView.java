package io.lb4j.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One endpoint as a {@link BalancerView} saw it: its attributes, whether it is in rotation and
 * every reason it is not, and what its calls did (in flight, recent and lifetime outcome counts,
 * share of the recent picks, latency estimate, slow-start share, latest outcome).
 *
 * <p>Immutable and thread-safe: a copy, not a live object.
 */
public final class EndpointView {

    /** Whether an endpoint is in rotation. */
    public enum State {
        /** No owner excludes it and its weight is above 0: picks may go to it. */
        ELIGIBLE,
        /** At least one owner excludes it (picks reach it only in panic). */
        EXCLUDED,
        /** Its weight is 0: known, never picked, not counted for panic (whether excluded or not). */
        DRAINED
    }

    private final Endpoint endpoint;
    private final State state;
    private final boolean pickable;
    private final List<Exclusion> exclusions;
    private final int inFlight;
    private final double pickShare;
    private final OutcomeCounts recent;
    private final OutcomeCounts total;
    private final Duration latency;
    private final double slowStartShare;
    private final LastOutcome lastOutcome;
    private final Instant firstSeen;

    EndpointView(Endpoint endpoint, State state, boolean pickable, List<Exclusion> exclusions, int inFlight,
                 double pickShare, OutcomeCounts recent, OutcomeCounts total, Duration latency, double slowStartShare,
                 LastOutcome lastOutcome, Instant firstSeen) {
        this.endpoint = endpoint;
        this.state = state;
        this.pickable = pickable;
        this.exclusions = exclusions;
        this.inFlight = inFlight;
        this.pickShare = pickShare;
        this.recent = recent;
        this.total = total;
        this.latency = latency;
        this.slowStartShare = slowStartShare;
        this.lastOutcome = lastOutcome;
        this.firstSeen = firstSeen;
    }

    /**
     * The endpoint with the attributes it had when the view was taken.
     *
     * @return host, port, weight, zone and metadata
     */
    public Endpoint endpoint() {
        return endpoint;
    }

    /**
     * Whether it is in rotation: {@link State#DRAINED} for weight 0, else {@link State#EXCLUDED}
     * when an owner excludes it, else {@link State#ELIGIBLE}.
     *
     * @return the state
     */
    public State state() {
        return state;
    }

    /**
     * Whether picks may go to it now: eligible, or in panic of weight above 0; never once the
     * balancer is closed.
     *
     * @return true if the current picker may choose it
     */
    public boolean pickable() {
        return pickable;
    }

    /**
     * Why it is out of rotation: one entry per owner that excludes it.
     *
     * @return the exclusions, empty when none, unmodifiable
     */
    public List<Exclusion> exclusions() {
        return exclusions;
    }

    /**
     * Selections picked and not yet completed.
     *
     * @return the count when the view was taken
     */
    public int inFlight() {
        return inFlight;
    }

    /**
     * Its share of the balancer's picks in the recent window.
     *
     * @return {@code recent().picks()} over the sum of every endpoint's, 0-1; 0 when there was no pick
     */
    public double pickShare() {
        return pickShare;
    }

    /**
     * What its calls did in the view's recent window ({@link BalancerView#windowStart()} to
     * {@link BalancerView#time()}), or since it was first seen if that is later.
     *
     * @return the counts of the window
     */
    public OutcomeCounts recent() {
        return recent;
    }

    /**
     * What its calls did since the balancer first saw it.
     *
     * @return the lifetime counts
     */
    public OutcomeCounts total() {
        return total;
    }

    /**
     * The peak-EWMA estimate of its successful call latency ({@link EndpointState#latencyEwmaNanos}).
     *
     * @return the estimate, or empty when no call has been measured
     */
    public Optional<Duration> latency() {
        return Optional.ofNullable(latency);
    }

    /**
     * The share of its full traffic the strategy's slow start gives it now
     * ({@link Strategy#slowStartShare}).
     *
     * @return 0-1; 1 without slow start or once its ramp is over
     */
    public double slowStartShare() {
        return slowStartShare;
    }

    /**
     * Its latest completed selection.
     *
     * @return the latest outcome, or empty when none was completed
     */
    public Optional<LastOutcome> lastOutcome() {
        return Optional.ofNullable(lastOutcome);
    }

    /**
     * When the balancer first saw it (its live state, and so its counts, start there).
     *
     * @return the wall-clock instant, on the balancer's clock
     */
    public Instant firstSeen() {
        return firstSeen;
    }

    @Override
    public String toString() {
        return endpoint.authority() + "{" + state + (exclusions.isEmpty() ? "" : ", " + exclusions)
                + ", inFlight=" + inFlight + ", recent=" + recent + "}";
    }
}
