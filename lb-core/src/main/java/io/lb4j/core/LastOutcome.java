package io.lb4j.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The latest completed selection of one endpoint: how it ended, when, and for a failure, why.
 *
 * <p>Immutable and thread-safe. Read from {@link EndpointView#lastOutcome()}.
 */
public final class LastOutcome {
    private final Selection.Outcome outcome;
    private final Instant time;
    private final String cause;

    LastOutcome(Selection.Outcome outcome, Instant time, String cause) {
        this.outcome = outcome;
        this.time = time;
        this.cause = cause;
    }

    /**
     * How the selection was completed.
     *
     * @return the outcome
     */
    public Selection.Outcome outcome() {
        return outcome;
    }

    /**
     * When it was completed, on the balancer's clock.
     *
     * @return the wall-clock instant of the completion
     */
    public Instant time() {
        return time;
    }

    /**
     * Why it failed, as {@code "SimpleName: message"} of the cause the caller reported.
     *
     * @return the cause of a failure or connection failure; empty for a success or cancellation
     */
    public Optional<String> cause() {
        return Optional.ofNullable(cause);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LastOutcome l && l.outcome == outcome && l.time.equals(time) && Objects.equals(l.cause, cause);
    }

    @Override
    public int hashCode() {
        return Objects.hash(outcome, time, cause);
    }

    @Override
    public String toString() {
        return outcome + " at " + time + (cause == null ? "" : ": " + cause);
    }
}
