package io.lb4j.health;

import io.lb4j.core.Balancer;

/**
 * What the health module counts. Without a registry it is {@link #NONE}; only with one is
 * {@link MicrometerMetrics} (and so any Micrometer class) loaded.
 */
interface Metrics {

    Metrics NONE = new Metrics() {
        @Override
        public void check(String result) {
        }

        @Override
        public void ejection() {
        }
    };

    /** A probe finished: {@code success}, {@code failure} or {@code timeout}. */
    void check(String result);

    /** The outlier detector ejected an endpoint. */
    void ejection();

    static Metrics of(Object meterRegistry, Balancer balancer) {
        return meterRegistry == null ? NONE : MicrometerMetrics.bind(meterRegistry, balancer);
    }
}
