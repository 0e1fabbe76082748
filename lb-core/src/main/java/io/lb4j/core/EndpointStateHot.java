package io.lb4j.core;

/**
 * The fields of {@link EndpointState} that calls read and write, kept apart from the neighbouring
 * endpoints' ones: {@link EndpointStatePad} puts one cache line before them, the success
 * cells ({@link SuccessStripes}, a line each) and the cold fields of {@code EndpointState} come after, so two threads completing calls
 * to two different endpoints never write the same cache line (false sharing). Superclass fields
 * come first in HotSpot's layout, hence the hierarchy.
 */
abstract class EndpointStateHot extends EndpointStatePad {
    // read by every pick and completion, written rarely (a weight change; a failed reconnect
    // check): kept with the fields written per call, so that a round-robin call touches this line
    // and its thread's success cell (SuccessStripes)
    volatile Endpoint endpoint;
    // connection tracking (ConnectionTracker): failed reconnect checks in a row, read by every success
    volatile int reconnectAttempts;
    volatile int inFlight;
    // calls in flight picked under a strategy that reads their age (Bookkeeping.PENDING_TIMES):
    // how many, and the sum of their start times; the age of them all is count * now - sum
    volatile int pendingCount;
    volatile long pendingStartSum;
    // passive outlier ejection: read by every success, written by failures (and the first success after)
    volatile int consecutiveFailures;
    // peak-EWMA (Bookkeeping.LATENCY): opaque accesses, written by completions without a lock; two
    // racing completions may each write some of the fields, which costs at most one sample
    double cost;
    double failureLevel;
    long costStamp;
    volatile boolean sampled;
    // the view's record: the ticker reading of the latest timed success (opaque)
    long lastSuccessNanos;
    // set once by the constructor, read with the latency fields above by every decay and
    // re-measurement check: here, not among the cold fields, so that a latency-aware pick
    // touches no cold line per sample (at 10,000 endpoints each such line is a cache miss)
    double inverseDecayNanos;
    long remeasureNanos;
}
