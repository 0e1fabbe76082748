package io.lb4j.health;

/** What active health checking knows about one endpoint. */
public enum HealthState {
    /** Not probed yet; the balancer treats it as healthy. The first probe decides either way. */
    UNKNOWN,
    /** Passing: picks may go to it. */
    HEALTHY,
    /** Failing: the balancer leaves it out of picks (unless it panics). */
    UNHEALTHY
}
