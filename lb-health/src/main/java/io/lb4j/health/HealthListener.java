package io.lb4j.health;

import io.lb4j.core.Endpoint;

/**
 * Told of every change of an endpoint's {@link HealthState} found by a {@link HealthChecker}.
 * Called on a checker thread after the balancer took the change; calls for one endpoint come in
 * order, calls for different endpoints may overlap. Must be fast; an exception is logged and ignored.
 * <pre>{@code
 * HealthChecker.builder(balancer)
 *         .listener((endpoint, from, to, reason) -> events.add(endpoint + " " + to + ": " + reason))
 *         .build();
 * }</pre>
 */
@FunctionalInterface
public interface HealthListener {

    /**
     * @param endpoint the endpoint whose state changed
     * @param oldState the state before
     * @param newState the state now
     * @param reason why: the failing probe's reason, or a short note for a recovery
     */
    void onHealthChange(Endpoint endpoint, HealthState oldState, HealthState newState, String reason);
}
