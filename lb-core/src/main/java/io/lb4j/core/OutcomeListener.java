package io.lb4j.core;

/**
 * Sees every completed {@link Selection} of a balancer: the feed of passive outlier detection
 * and metrics. Called on the completing thread, after the endpoint's counters were updated;
 * must be fast and must not throw (a thrown exception is logged and ignored).
 */
@FunctionalInterface
public interface OutcomeListener {

    /**
     * @param selection the completed selection
     * @param outcome how it was completed
     * @param cause the failure's cause for {@link Selection.Outcome#FAILURE} and {@link Selection.Outcome#CONNECTION_FAILURE}, else null
     * @param latencyNanos ticker time from pick to completion
     */
    void onOutcome(Selection selection, Selection.Outcome outcome, Throwable cause, long latencyNanos);
}
