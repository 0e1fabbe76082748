package io.lb4j.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One change a balancer made or saw: an endpoint added, removed or changed by a list update, an
 * owner excluding an endpoint or ending its exclusion, panic mode entered or left, a strategy
 * switch, a source failing or recovering. Each is logged once, as one line on logger
 * {@code io.lb4j.core.Balancer} (a list update is one line naming all of its changes), and
 * offered to every {@link BalancerEventListener}; the latest are kept in
 * {@link BalancerView#recentEvents()}.
 *
 * <p>Immutable and thread-safe.
 * <pre>{@code
 * balancer.addEventListener(e -> audit.send(e.service(), e.kind(), e.endpoint(), e.owner(), e.reason()));
 * }</pre>
 */
public final class BalancerEvent {

    /** What happened. */
    public enum Kind {
        /** A list update added an endpoint. */
        ADDED,
        /** A list update removed an endpoint (its exclusions and counters go with it). */
        REMOVED,
        /** A list update changed an endpoint's weight, zone or metadata (weight 0 drains it). */
        UPDATED,
        /** An owner took an endpoint out of rotation. */
        EXCLUDED,
        /** An owner that excludes an endpoint gave a new reason (logged at DEBUG). */
        EXCLUSION_CHANGED,
        /** An owner ended its exclusion of an endpoint (others may still exclude it). */
        INCLUDED,
        /** Too few endpoints became eligible: picks spread over all of weight above 0 (logged at WARN). */
        PANIC_ENTERED,
        /** Enough endpoints are eligible again (logged at WARN). */
        PANIC_LEFT,
        /** The strategy was switched. */
        STRATEGY_CHANGED,
        /** A source reported an error or a list the balancer rejected; the last good list stays (logged at WARN). */
        SOURCE_FAILED,
        /** A failing source delivered a list again. */
        SOURCE_RECOVERED
    }

    private final Kind kind;
    private final String service;
    private final Instant time;
    private final long version;
    private final Endpoint endpoint;
    private final String owner;
    private final String reason;
    private final Instant until;
    private final String message;

    BalancerEvent(Kind kind, String service, Instant time, long version, Endpoint endpoint, String owner, String reason,
                  Instant until, String message) {
        this.kind = kind;
        this.service = service;
        this.time = time;
        this.version = version;
        this.endpoint = endpoint;
        this.owner = owner;
        this.reason = reason;
        this.until = until;
        this.message = message;
    }

    /**
     * What happened.
     *
     * @return the kind of event
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The balancer's service name.
     *
     * @return the service, e.g. {@code "users"}
     */
    public String service() {
        return service;
    }

    /**
     * When the balancer published the change, on its clock.
     *
     * @return the wall-clock instant
     */
    public Instant time() {
        return time;
    }

    /**
     * The version of the first snapshot that shows the change ({@link Snapshot#version()}); for
     * source events, the version current when the source reported.
     *
     * @return the snapshot version
     */
    public long version() {
        return version;
    }

    /**
     * The endpoint concerned.
     *
     * @return the endpoint (with its attributes after the change); empty for panic, strategy and source events
     */
    public Optional<Endpoint> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    /**
     * The owner of the exclusion, for {@link Kind#EXCLUDED}, {@link Kind#EXCLUSION_CHANGED} and
     * {@link Kind#INCLUDED}.
     *
     * @return the owner's name (see {@link Exclusion#owner()}); empty for other kinds
     */
    public Optional<String> owner() {
        return Optional.ofNullable(owner);
    }

    /**
     * Why, in words: the owner's reason for an exclusion or its end, the attribute change of an
     * update, the breakdown of a panic transition, the source's error.
     *
     * @return the reason, never null (empty only when there is nothing to add, e.g. {@link Kind#ADDED})
     */
    public String reason() {
        return reason;
    }

    /**
     * Until when the owner expects an exclusion to last ({@link Exclusion#until()}).
     *
     * @return the expected end for {@link Kind#EXCLUDED} and {@link Kind#EXCLUSION_CHANGED}, if the owner gave one
     */
    public Optional<Instant> until() {
        return Optional.ofNullable(until);
    }

    /**
     * The event as one sentence, as logged after the service name, e.g.
     * {@code "10.0.0.7:8080 excluded by connection: connection failed: ConnectException: Connection refused"}.
     *
     * @return the message
     */
    public String message() {
        return message;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BalancerEvent e && e.kind == kind && e.version == version && e.service.equals(service)
                && e.time.equals(time) && Objects.equals(e.endpoint, endpoint) && Objects.equals(e.owner, owner)
                && e.reason.equals(reason) && Objects.equals(e.until, until) && e.message.equals(message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, service, time, version, endpoint, owner, reason, until);
    }

    @Override
    public String toString() {
        return "'" + service + "' v" + version + " " + kind + ": " + message;
    }
}
