package io.lb4j.core;

/**
 * What a balancer tells its meters. Without a registry it is {@link #NONE}; only with one is
 * {@link MicrometerMeters} (and so any Micrometer class) loaded.
 */
interface Meters {

    Meters NONE = new Meters() {
        @Override
        public void published(Snapshot snapshot) {
        }

        @Override
        public void close() {
        }
    };

    /** A snapshot was published; on the control executor. */
    void published(Snapshot snapshot);

    /** The balancer closed: its meters leave the registry; on the control executor. */
    void close();

    static Meters of(Object meterRegistry, int perEndpoint, DefaultBalancer balancer) {
        return meterRegistry == null ? NONE : MicrometerMeters.bind(meterRegistry, perEndpoint, balancer);
    }
}
