package io.lb4j.core;

/**
 * How many selections of one endpoint were made and how they ended, over some span: the
 * endpoint's whole life in the balancer ({@link EndpointView#total()}) or the view's recent
 * window ({@link EndpointView#recent()}).
 *
 * <p>Immutable and thread-safe. The counts are read without a lock while calls complete, so a
 * view taken under load may be off by the calls completing while it is taken.
 */
public final class OutcomeCounts {
    private final long picks;
    private final long successes;
    private final long failures;
    private final long connectionFailures;
    private final long cancellations;

    OutcomeCounts(long picks, long successes, long failures, long connectionFailures, long cancellations) {
        this.picks = picks;
        this.successes = successes;
        this.failures = failures;
        this.connectionFailures = connectionFailures;
        this.cancellations = cancellations;
    }

    /**
     * Selections made: those completed in the span plus the change in the number in flight.
     *
     * @return the number of picks, {@code >= 0}
     */
    public long picks() {
        return picks;
    }

    /**
     * Selections completed with {@link Selection#success()}.
     *
     * @return the count
     */
    public long successes() {
        return successes;
    }

    /**
     * Selections completed as failures of the endpoint after it was reached (an error answer, a
     * timeout, a reset after the request was sent); connection failures are not included.
     *
     * @return the count
     */
    public long failures() {
        return failures;
    }

    /**
     * Selections completed as connection failures: the endpoint could not be reached
     * ({@link Selection.Outcome#CONNECTION_FAILURE}).
     *
     * @return the count
     */
    public long connectionFailures() {
        return connectionFailures;
    }

    /**
     * Selections completed with {@link Selection#cancel()}: the caller gave up, the endpoint was
     * not judged.
     *
     * @return the count
     */
    public long cancellations() {
        return cancellations;
    }

    /**
     * Selections completed in any way.
     *
     * @return successes + failures + connection failures + cancellations
     */
    public long completed() {
        return successes + failures + connectionFailures + cancellations;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutcomeCounts c && c.picks == picks && c.successes == successes && c.failures == failures
                && c.connectionFailures == connectionFailures && c.cancellations == cancellations;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(picks) * 31 * 31 * 31 * 31 + Long.hashCode(successes) * 31 * 31 * 31
                + Long.hashCode(failures) * 31 * 31 + Long.hashCode(connectionFailures) * 31 + Long.hashCode(cancellations);
    }

    @Override
    public String toString() {
        return "{picks=" + picks + ", successes=" + successes + ", failures=" + failures
                + ", connectionFailures=" + connectionFailures + ", cancellations=" + cancellations + "}";
    }
}
