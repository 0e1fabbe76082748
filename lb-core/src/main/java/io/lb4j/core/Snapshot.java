package io.lb4j.core;

import java.util.List;
import java.util.Map;

/**
 * An immutable view of a balancer at one moment: every known endpoint with its live state, the
 * exclusions that keep some out of rotation and who holds them, the eligible subset, whether the
 * balancer is in panic, and the picker built for that moment. A new snapshot replaces the old one
 * with a single reference write on every list, exclusion or strategy change.
 *
 * <p>An endpoint is <em>eligible</em> when no owner excludes it and its weight is above 0;
 * weight 0 means <em>drained</em>: known, never picked (not even in panic) and not counted as
 * unavailable for the panic threshold.
 *
 * <p>Immutable and thread-safe (the {@link EndpointState}s it lists are live objects).
 */
public final class Snapshot {

    private final long version;
    private final List<EndpointState> members;
    /** The members as an array (see {@link #memberArray()}). */
    private final EndpointState[] memberArray;
    /** Each member's position in {@link #members}, by host and port. */
    private final Map<Endpoint, Integer> positions;
    /** Each member's endpoint as this snapshot was built, in member order (what its picker was built from). */
    private final Endpoint[] endpoints;
    /** Each member's weight (in member order) as this snapshot was built; 0 is drained. */
    private final int[] weights;
    private final Map<Endpoint, List<Exclusion>> exclusions;
    private final Map<String, Integer> excludedByOwner;
    private final List<EndpointState> eligible;
    private final List<EndpointState> pickable;
    private final boolean panic;
    private final Strategy strategy;
    private final Picker picker;
    private final int drained;
    private final List<ZoneLoad> zones;
    /** Where each priority level's endpoints end in {@link #pickable}: fallback scans go level by level. */
    private final int[] levelEnds;

    Snapshot(long version, List<EndpointState> members, EndpointState[] memberArray, Map<Endpoint, Integer> positions, Endpoint[] endpoints,
             int[] weights, Map<Endpoint, List<Exclusion>> exclusions, Map<String, Integer> excludedByOwner,
             List<EndpointState> eligible, List<EndpointState> pickable, boolean panic,
             Strategy strategy, Picker picker, int drained, List<ZoneLoad> zones, int[] levelEnds) {
        this.version = version;
        this.members = members;
        this.memberArray = memberArray;
        this.positions = positions;
        this.endpoints = endpoints;
        this.weights = weights;
        this.exclusions = exclusions;
        this.excludedByOwner = excludedByOwner;
        this.eligible = eligible;
        this.pickable = pickable;
        this.panic = panic;
        this.strategy = strategy;
        this.picker = picker;
        this.drained = drained;
        this.zones = zones;
        this.levelEnds = levelEnds;
    }

    /**
     * The members' positions by host and port, their endpoints and whether each has weight: what
     * the next snapshot reuses when the members stay the same (an exclusion change, a strategy
     * switch or rebuild), so that it finds its eligible members without reading every member's
     * state (at 100,000 endpoints, a cache miss each).
     */
    Map<Endpoint, Integer> memberIndex() {
        return positions;
    }

    /** The members in member order, for the next snapshot with the same members; not to be modified. */
    EndpointState[] memberArray() {
        return memberArray;
    }

    /** See {@link #memberIndex()}; not to be modified. */
    Endpoint[] memberEndpoints() {
        return endpoints;
    }

    /** See {@link #memberIndex()}; not to be modified. */
    int[] memberWeights() {
        return weights;
    }

    /** The excluded members' exclusions, only those: a change of exclusions is found from these keys. */
    Map<Endpoint, List<Exclusion>> exclusionMap() {
        return exclusions;
    }

    /**
     * The snapshot's number.
     *
     * @return a number that increases by one with every published snapshot of a balancer
     */
    public long version() {
        return version;
    }

    /**
     * Every known endpoint.
     *
     * @return the members, in list order, unmodifiable
     */
    public List<EndpointState> members() {
        return members;
    }

    /**
     * The live state of a member.
     *
     * @param endpoint the endpoint, matched by host and port
     * @return its state, or null if it is not a member
     */
    public EndpointState member(Endpoint endpoint) {
        Integer position = positions.get(endpoint);
        return position == null ? null : members.get(position);
    }

    /**
     * Why a member is out of rotation: one entry per owner that excludes it, in the order the
     * owners were created.
     *
     * @param endpoint the endpoint, matched by host and port
     * @return the exclusions, empty when none (or not a member), unmodifiable
     */
    public List<Exclusion> exclusions(Endpoint endpoint) {
        List<Exclusion> list = exclusions.get(endpoint);
        return list == null ? List.of() : list;
    }

    /**
     * Whether a member may be picked outside panic: no exclusion and weight above 0.
     *
     * @param endpoint the endpoint, matched by host and port
     * @return true if it is an eligible member
     */
    public boolean isEligible(Endpoint endpoint) {
        Integer position = positions.get(endpoint);
        return position != null && weights[position] > 0 && !exclusions.containsKey(endpoint);
    }

    /**
     * Members that no owner excludes and whose weight is above 0.
     *
     * @return the eligible members, in list order, unmodifiable
     */
    public List<EndpointState> eligible() {
        return eligible;
    }

    /**
     * What picks choose from: the eligible members, or in panic every member of weight above 0.
     * With zones ({@link BalancerBuilder#localZone}), the pickable members of every level, level
     * by level (local zone first), each level's own panic deciding which of its members count.
     *
     * @return the pickable members; empty only when nothing may be picked
     */
    public List<EndpointState> pickable() {
        return pickable;
    }

    /**
     * Whether the balancer is in panic: the eligible share of the members of weight above 0 fell
     * under the panic threshold, so picks spread over all of them. With zones: whether some level
     * that gets picks is in panic (see {@link ZoneLoad#panic()}).
     *
     * @return true in panic
     */
    public boolean panic() {
        return panic;
    }

    /**
     * The strategy whose picker this snapshot holds.
     *
     * @return the strategy
     */
    public Strategy strategy() {
        return strategy;
    }

    /**
     * The picker over {@link #pickable()}.
     *
     * @return the picker, or null when nothing is pickable
     */
    public Picker picker() {
        return picker;
    }

    /**
     * Members that at least one owner excludes.
     *
     * @return the count
     */
    public int excludedCount() {
        return exclusions.size();
    }

    /**
     * How many members each owner excludes (a member excluded by two owners counts for both).
     *
     * @return owner name to count, only owners with at least one exclusion, unmodifiable
     */
    public Map<String, Integer> excludedCountByOwner() {
        return excludedByOwner;
    }

    /**
     * Members of weight 0 (drained).
     *
     * @return the count
     */
    public int drainedCount() {
        return drained;
    }

    /**
     * The priority levels of a zone-aware balancer ({@link BalancerBuilder#localZone}): the local
     * zone, each failover zone, then every other endpoint, with their health and share of picks.
     *
     * @return the levels in priority order, unmodifiable; empty when no local zone is configured
     */
    public List<ZoneLoad> zones() {
        return zones;
    }

    /**
     * The share of picks that stays in the local zone: {@link ZoneLoad#share()} of priority 0.
     *
     * @return 0-1, or {@code NaN} when no local zone is configured
     */
    public double localZoneShare() {
        return zones.isEmpty() ? Double.NaN : zones.get(0).share();
    }

    /** Where each level ends in {@link #pickable()}: one entry (the size) without zones. */
    int[] levelEnds() {
        return levelEnds;
    }

    /** Whether the owners' current exclusions of members are exactly this snapshot's. */
    boolean sameExclusions(List<ExclusionSet> owners) {
        int[] seen = {0};
        boolean[] same = {true};
        for (ExclusionSet set : owners) {
            set.forEach((e, x) -> {
                if (!same[0] || !positions.containsKey(e)) {
                    return;
                }
                seen[0]++;
                List<Exclusion> mine = exclusions.get(e);
                if (mine == null || !mine.contains(x)) {
                    same[0] = false;
                }
            });
            if (!same[0]) {
                return false;
            }
        }
        int total = 0;
        for (List<Exclusion> list : exclusions.values()) {
            total += list.size();
        }
        return total == seen[0];
    }

    /** This snapshot with nothing pickable: what a closed balancer publishes. */
    Snapshot closed(long nextVersion) {
        return new Snapshot(nextVersion, members, memberArray, positions, endpoints, weights, exclusions, excludedByOwner, eligible, List.of(), panic,
                strategy, null, drained, zones, new int[] {0});
    }

    @Override
    public String toString() {
        return "Snapshot{v" + version + ", " + members.size() + " known, " + eligible.size() + " eligible"
                + (exclusions.isEmpty() ? "" : ", excluded " + excludedByOwner)
                + (drained == 0 ? "" : ", " + drained + " drained")
                + (panic ? ", PANIC" : "") + (zones.isEmpty() ? "" : ", local share " + zones.get(0).share())
                + ", " + strategy.name() + "}";
    }
}
