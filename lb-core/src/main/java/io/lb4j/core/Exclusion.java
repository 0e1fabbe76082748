package io.lb4j.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Why one endpoint is out of rotation, as one owner said it: the owner's name (e.g.
 * {@code "health-check"}, {@code "outlier-ejection"}, {@code "connection"}, or a name a user
 * chose for a manual drain), the reason in words, since when, and until when the owner expects it
 * to last, if it said.
 *
 * <p>Immutable and thread-safe. Read from {@link Snapshot#exclusions(Endpoint)}.
 */
public final class Exclusion {
    private final String owner;
    private final String reason;
    private final Instant since;
    private final Instant until;

    Exclusion(String owner, String reason, Instant since, Instant until) {
        this.owner = owner;
        this.reason = reason;
        this.since = since;
        this.until = until;
    }

    /**
     * The name of the owner that excludes the endpoint.
     *
     * @return the owner's name, as given to {@link Balancer#newExclusions(String)}
     */
    public String owner() {
        return owner;
    }

    /**
     * Why the owner excludes the endpoint.
     *
     * @return a sentence such as {@code "3 consecutive probes failed, last: HTTP 503"}
     */
    public String reason() {
        return reason;
    }

    /**
     * When the owner excluded the endpoint, on the balancer's clock.
     *
     * @return the wall-clock instant of the exclusion
     */
    public Instant since() {
        return since;
    }

    /**
     * When the owner expects the exclusion to end; informational (the owner ends it).
     *
     * @return the expected end, or empty when the owner gave none
     */
    public Optional<Instant> until() {
        return Optional.ofNullable(until);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Exclusion)) {
            return false;
        }
        Exclusion e = (Exclusion) o;
        return owner.equals(e.owner) && reason.equals(e.reason) && since.equals(e.since) && Objects.equals(until, e.until);
    }

    @Override
    public int hashCode() {
        return Objects.hash(owner, reason, since, until);
    }

    @Override
    public String toString() {
        return owner + ": " + reason + " (since " + since + (until == null ? "" : ", until " + until) + ")";
    }
}
