package io.lb4j.core;

/**
 * The fields of {@link EndpointState} that calls write, kept apart from the neighbouring
 * endpoints' ones: {@link EndpointStatePad} puts one cache line before them, the cold fields of
 * {@code EndpointState} (more than a line of them) come after, so two threads completing calls
 * to two different endpoints never write the same cache line (false sharing). Superclass fields
 * come first in HotSpot's layout, hence the hierarchy.
 */
abstract class EndpointStateHot extends EndpointStatePad {
    volatile int inFlight;
    // calls in flight picked under a strategy that reads their age (Bookkeeping.PENDING_TIMES):
    // how many, and the sum of their start times; the age of them all is count * now - sum
    volatile int pendingCount;
    volatile long pendingStartSum;
    volatile long successes;
    // passive outlier ejection: read by every success, written by failures (and the first success after)
    volatile int consecutiveFailures;
    volatile long windowSuccesses;
    // peak-EWMA (Bookkeeping.LATENCY): opaque accesses, written by completions without a lock; two
    // racing completions may each write some of the fields, which costs at most one sample
    double cost;
    double failureLevel;
    long costStamp;
    volatile boolean sampled;
    // the view's record: the ticker reading of the latest timed success (opaque)
    long lastSuccessNanos;
}
