package io.lb4j.health;

import io.lb4j.core.Endpoint;

/** Sees every probe result of a checker (not only changes): how the outlier detector learns of a passing probe. */
@FunctionalInterface
interface ProbeObserver {

    /**
     * @param endpoint the endpoint probed
     * @param healthy whether the probe passed
     * @param startNanos ticker reading when the probe started
     */
    void onProbe(Endpoint endpoint, boolean healthy, long startNanos);
}
