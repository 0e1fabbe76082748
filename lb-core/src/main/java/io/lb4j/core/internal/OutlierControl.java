package io.lb4j.core.internal;

import io.lb4j.core.Endpoint;
import io.lb4j.core.OutlierEjection;

/**
 * What lb-health's {@code OutlierDetector} needs of a balancer built by lb4j: the built-in
 * outlier ejection engine, reconfigured and observed rather than duplicated. Not API.
 */
public interface OutlierControl {

    /**
     * The engine's configuration.
     *
     * @return the current configuration
     */
    OutlierEjection outlierEjection();

    /**
     * Replaces the engine's configuration, waiting until it is applied; running ejections keep
     * their end unless the new configuration is disabled.
     *
     * @param config the new configuration
     */
    void outlierEjection(OutlierEjection config);

    /**
     * Ends an ejection early if it began before {@code probeStartNanos}; asynchronous.
     *
     * @param endpoint the endpoint
     * @param probeStartNanos ticker reading when the evidence (a passing probe) was gathered
     * @param reason why, for the log
     */
    void endEjection(Endpoint endpoint, long probeStartNanos, String reason);

    /**
     * Ejections so far.
     *
     * @return the count
     */
    long ejectionCount();

    /**
     * Returns from ejection so far.
     *
     * @return the count
     */
    long returnCount();

    /**
     * Ejections refused by the max-ejection-percent guard so far.
     *
     * @return the count
     */
    long skippedEjectionCount();

    /**
     * Endpoints ejected now.
     *
     * @return the count
     */
    int ejectedCount();

    /**
     * An endpoint's current ejection multiplier.
     *
     * @param endpoint the endpoint
     * @return the multiplier, 0 if never ejected or fully decayed
     */
    int ejectionMultiplier(Endpoint endpoint);

    /**
     * Calls {@code observer} on the control executor after every ejection.
     *
     * @param observer the observer
     */
    void addEjectionObserver(Runnable observer);

    /**
     * Registers the one front (lb-health's detector) allowed to reconfigure the engine.
     *
     * @param front the front
     * @return false if another front is attached
     */
    boolean attachFront(Object front);

    /**
     * Releases the front registered by {@link #attachFront}.
     *
     * @param front the front
     */
    void detachFront(Object front);

    /**
     * Stops calling an observer.
     *
     * @param observer the observer
     */
    void removeEjectionObserver(Runnable observer);
}
