package io.lb4j.health;

import io.lb4j.core.Balancer;

/**
 * What the health checker counts. Without a registry it is {@link #NONE}; only with one is
 * {@link MicrometerMetrics} (and so any Micrometer class) loaded. The balancer-level meters
 * (endpoints by state, panic, ejections) are lb-core's, bound by {@code BalancerBuilder.meterRegistry}.
 */
interface Metrics {

    Metrics NONE = result -> {
    };

    /** A probe finished: {@code success}, {@code failure} or {@code timeout}. */
    void check(String result);

    static Metrics of(Object meterRegistry, Balancer balancer) {
        return meterRegistry == null ? NONE : MicrometerMetrics.bind(meterRegistry, balancer);
    }
}
