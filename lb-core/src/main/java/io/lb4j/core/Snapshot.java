package io.lb4j.core;

import java.util.List;
import java.util.Map;

/**
 * An immutable view of a balancer at one moment: every known endpoint with its live state, the
 * eligible subset, whether the balancer is in panic, and the picker built for that moment.
 * A new snapshot replaces the old one with a single reference write on every list, health,
 * ejection or strategy change.
 *
 * <p>Immutable and thread-safe (the {@link EndpointState}s it lists are live objects).
 */
public final class Snapshot {

    private final long version;
    private final List<EndpointState> members;
    private final Map<Endpoint, EndpointState> byEndpoint;
    private final List<EndpointState> eligible;
    private final List<EndpointState> pickable;
    private final boolean panic;
    private final Strategy strategy;
    private final Picker picker;
    private final int unhealthy;
    private final int ejected;
    private final int drained;

    Snapshot(long version, List<EndpointState> members, Map<Endpoint, EndpointState> byEndpoint,
             List<EndpointState> eligible, List<EndpointState> pickable, boolean panic,
             Strategy strategy, Picker picker, int unhealthy, int ejected, int drained) {
        this.version = version;
        this.members = members;
        this.byEndpoint = byEndpoint;
        this.eligible = eligible;
        this.pickable = pickable;
        this.panic = panic;
        this.strategy = strategy;
        this.picker = picker;
        this.unhealthy = unhealthy;
        this.ejected = ejected;
        this.drained = drained;
    }

    /** {@return the version, increased by one with every published snapshot of a balancer} */
    public long version() {
        return version;
    }

    /** {@return every known endpoint, in list order} */
    public List<EndpointState> members() {
        return members;
    }

    /**
     * The live state of {@code endpoint} (matched by host and port), or null if not a member.
     *
     * @param endpoint the endpoint
     * @return its live state, or null
     */
    public EndpointState member(Endpoint endpoint) {
        return byEndpoint.get(endpoint);
    }

    /** {@return the members that are healthy, not ejected and of weight > 0} */
    public List<EndpointState> eligible() {
        return eligible;
    }

    /**
     * What picks choose from: the eligible members, or in panic every member of weight > 0
     * (every member if all are drained); empty only when nothing may be picked.
     *
     * @return the pickable members
     */
    public List<EndpointState> pickable() {
        return pickable;
    }

    /** {@return true when the eligible share fell under the panic threshold} */
    public boolean panic() {
        return panic;
    }

    /** {@return the strategy that built the picker} */
    public Strategy strategy() {
        return strategy;
    }

    /** {@return the picker over {@link #pickable()}; null when it is empty} */
    public Picker picker() {
        return picker;
    }

    /** {@return how many members failed their health checks} */
    public int unhealthyCount() {
        return unhealthy;
    }

    /** {@return how many members are ejected} */
    public int ejectedCount() {
        return ejected;
    }

    /** {@return how many members have weight 0} */
    public int drainedCount() {
        return drained;
    }

    /** This snapshot with nothing pickable: what a closed balancer publishes. */
    Snapshot closed(long nextVersion) {
        return new Snapshot(nextVersion, members, byEndpoint, eligible, List.of(), panic, strategy, null,
                unhealthy, ejected, drained);
    }

    @Override
    public String toString() {
        return "Snapshot{v" + version + ", " + members.size() + " known, " + eligible.size() + " eligible"
                + (panic ? ", PANIC" : "") + ", " + strategy.name() + "}";
    }
}
