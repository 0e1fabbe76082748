package io.lb4j.core;

import java.time.Duration;
import java.util.Set;

/**
 * One owner's handle on the endpoints it takes out of a {@link Balancer}'s rotation. Every
 * component that can take endpoints out (each health checker, the built-in outlier ejection and
 * connection tracker, a user's manual drain) holds its own handle; an endpoint is eligible when no
 * owner excludes it and its weight is above 0. An owner sees and clears only its own exclusions,
 * so two owners can never undo each other's.
 *
 * <p>Thread-safe and non-blocking: {@code exclude} and {@code include} record the change at once
 * (the return value says whether it changed anything) and the balancer publishes a new
 * {@link Snapshot} shortly after, on its control executor; {@link Balancer#flush()} waits for
 * that. Exclusions of an endpoint that leaves the list are forgotten with it.
 * <pre>{@code
 * Exclusions drain = users.newExclusions("maintenance");
 * drain.exclude(Endpoint.parse("10.0.0.3:8080"), "kernel upgrade", Duration.ofMinutes(10));
 * ...
 * drain.include(Endpoint.parse("10.0.0.3:8080"));
 * }</pre>
 */
public interface Exclusions extends AutoCloseable {

    /**
     * The owner's name, shown in {@link Exclusion#owner()}, views and messages.
     *
     * @return the name given to {@link Balancer#newExclusions(String)}
     */
    String owner();

    /**
     * Takes a member out of rotation, or changes the reason of this owner's exclusion of it.
     *
     * @param endpoint the member (matched by host and port)
     * @param reason why, in words; shown in views, logs and {@link NoAvailableEndpointException}s
     * @return true if this owner's exclusions changed; false for a non-member, an exclusion with
     *         the same reason (its times stay as they were), or a closed handle or balancer
     * @throws NullPointerException if an argument is null
     */
    boolean exclude(Endpoint endpoint, String reason);

    /**
     * Like {@link #exclude(Endpoint, String)}, saying how long the owner expects the exclusion
     * to last (informational: the owner still ends it with {@link #include}).
     *
     * @param endpoint the member (matched by host and port)
     * @param reason why, in words
     * @param expected the expected length, shown as {@link Exclusion#until()}
     * @return true if this owner's exclusions changed
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code expected} is negative
     */
    boolean exclude(Endpoint endpoint, String reason, Duration expected);

    /**
     * Ends this owner's exclusion of an endpoint; other owners' exclusions stay.
     *
     * @param endpoint the endpoint (matched by host and port)
     * @return true if this owner excluded it
     * @throws NullPointerException if the endpoint is null
     */
    boolean include(Endpoint endpoint);

    /**
     * Whether this owner currently excludes an endpoint.
     *
     * @param endpoint the endpoint (matched by host and port)
     * @return true if this owner excludes it
     */
    boolean excludes(Endpoint endpoint);

    /**
     * The endpoints this owner currently excludes.
     *
     * @return an unmodifiable copy
     */
    Set<Endpoint> excluded();

    /** Ends every exclusion of this owner and retires the handle; later calls change nothing. Idempotent. */
    @Override
    void close();
}
