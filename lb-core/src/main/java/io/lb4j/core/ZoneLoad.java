package io.lb4j.core;

import java.util.Optional;

/**
 * One priority level of a zone-aware balancer in one {@link Snapshot}: the local zone (priority
 * 0), each failover zone in order, then every other endpoint together. Tells how available the
 * level is and which share of picks it gets; see {@link BalancerBuilder#localZone(String)} for
 * the rules (Envoy's priority levels with an overprovisioning factor).
 *
 * <p>Immutable and thread-safe.
 */
public final class ZoneLoad {

    private final int priority;
    private final String zone;
    private final int known;
    private final int eligible;
    private final double health;
    private final double share;
    private final boolean panic;

    ZoneLoad(int priority, String zone, int known, int eligible, double health, double share, boolean panic) {
        this.priority = priority;
        this.zone = zone;
        this.known = known;
        this.eligible = eligible;
        this.health = health;
        this.share = share;
        this.panic = panic;
    }

    /**
     * The level's place in the failover order.
     *
     * @return 0 for the local zone, 1 for the first zone picks spill or fail over to, ...
     */
    public int priority() {
        return priority;
    }

    /**
     * The zone of this level.
     *
     * @return the zone name; empty for the last level, which holds every endpoint of a zone not
     *     named in the failover order (or of none)
     */
    public Optional<String> zone() {
        return Optional.ofNullable(zone);
    }

    /**
     * Endpoints of the level whose weight is above 0 (drained ones do not count).
     *
     * @return the count
     */
    public int knownCount() {
        return known;
    }

    /**
     * Eligible endpoints of the level (no exclusion, weight above 0).
     *
     * @return the count
     */
    public int eligibleCount() {
        return eligible;
    }

    /**
     * The level's health: {@code min(1, overprovisioningFactor * eligible / known)}, 0 for an
     * empty level.
     *
     * @return 0-1
     */
    public double health() {
        return health;
    }

    /**
     * The share of picks this level gets.
     *
     * @return 0-1; the shares of all levels add up to 1 (unless nothing is pickable at all)
     */
    public double share() {
        return share;
    }

    /**
     * Whether picks in this level spread over all of its endpoints of weight above 0, eligible
     * or not (panic, decided per level, and only when the levels together are not healthy enough).
     *
     * @return true in panic
     */
    public boolean panic() {
        return panic;
    }

    @Override
    public String toString() {
        return "ZoneLoad{P" + priority + " " + (zone == null ? "(other zones)" : zone) + ", " + eligible + "/" + known
                + " eligible, health " + String.format(java.util.Locale.ROOT, "%.3f", health) + ", share "
                + String.format(java.util.Locale.ROOT, "%.3f", share) + (panic ? ", PANIC" : "") + "}";
    }
}
