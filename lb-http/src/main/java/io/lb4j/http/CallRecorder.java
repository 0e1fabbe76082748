package io.lb4j.http;

import io.lb4j.core.Endpoint;

/**
 * Receives what one service's calls did. Implemented by the always-on {@link StatsCounters} and,
 * only when a MeterRegistry was given, by the Micrometer binding; this interface keeps Micrometer
 * types out of every class that runs without it.
 */
interface CallRecorder {

    /** Outcome tag values of {@code lb.requests}. */
    String SUCCESS = "success";
    String SERVER_ERROR = "server_error";
    String FAILURE = "failure";
    String CANCELLED = "cancelled";

    CallRecorder NOOP = new CallRecorder() {};

    default void attempt(Endpoint endpoint) {}

    default void attemptFailed(Endpoint endpoint) {}

    default void retried(String reason) {}

    default void budgetExhausted() {}

    default void finished(String outcome, long nanos) {}
}
