package io.lb4j.http;

import java.util.Map;

/**
 * What a {@link LoadBalancedHttpClient} did for one service since it was built: calls, attempts,
 * retries and failed attempts per endpoint. Available without Micrometer.
 *
 * <p>An immutable snapshot; thread-safe.
 * <pre>{@code
 * ServiceStats s = client.stats("users");
 * System.out.println(s.retries() + " retries, failed attempts by endpoint: " + s.failedAttemptsByEndpoint());
 * }</pre>
 */
public final class ServiceStats {
    private final String service;
    private final long requests;
    private final long succeeded;
    private final long failed;
    private final long cancelled;
    private final long attempts;
    private final long failedAttempts;
    private final long retries;
    private final long requeues;
    private final long budgetExhausted;
    private final Map<String, Long> retriesByReason;
    private final Map<String, Long> failedAttemptsByEndpoint;

    ServiceStats(String service, long requests, long succeeded, long failed, long cancelled, long attempts,
            long failedAttempts, long retries, long requeues, long budgetExhausted, Map<String, Long> retriesByReason,
            Map<String, Long> failedAttemptsByEndpoint) {
        this.service = service;
        this.requests = requests;
        this.succeeded = succeeded;
        this.failed = failed;
        this.cancelled = cancelled;
        this.attempts = attempts;
        this.failedAttempts = failedAttempts;
        this.retries = retries;
        this.requeues = requeues;
        this.budgetExhausted = budgetExhausted;
        this.retriesByReason = Map.copyOf(retriesByReason);
        this.failedAttemptsByEndpoint = Map.copyOf(failedAttemptsByEndpoint);
    }

    /**
     * The service these counts are of.
     *
     * @return the service name as the balancer spells it
     */
    public String service() {
        return service;
    }

    /**
     * Calls finished (success, failure or cancelled).
     *
     * @return the number of calls
     */
    public long requests() {
        return requests;
    }

    /**
     * Calls that returned a response below 500.
     *
     * @return the number of calls
     */
    public long succeeded() {
        return succeeded;
    }

    /**
     * Calls that failed with an exception or returned a 5xx response.
     *
     * @return the number of calls
     */
    public long failed() {
        return failed;
    }

    /**
     * Calls their caller cancelled (or interrupted).
     *
     * @return the number of calls
     */
    public long cancelled() {
        return cancelled;
    }

    /**
     * Attempts sent to an endpoint, first attempts and retries.
     *
     * @return the number of attempts
     */
    public long attempts() {
        return attempts;
    }

    /**
     * Attempts that failed: connection errors, timeouts, 5xx, exceptions.
     *
     * @return the number of attempts
     */
    public long failedAttempts() {
        return failedAttempts;
    }

    /**
     * Attempts after the first of a call, requeues and hedges included.
     *
     * @return the number of retries
     */
    public long retries() {
        return retries;
    }

    /**
     * The retries that were requeues: the previous attempt never left the client (refused, connect
     * timeout, unresolved host, a pooled connection found closed before writing), so the request
     * was sent again whatever its method, without taking from the retry budget. Included in
     * {@link #retries()}.
     *
     * @return the number of requeues
     */
    public long requeues() {
        return requeues;
    }

    /**
     * Retries or requeues the policy allowed but the service's retry budget or requeue allowance
     * refused.
     *
     * @return the number of refusals
     */
    public long budgetExhausted() {
        return budgetExhausted;
    }

    /**
     * Retries by reason: {@code connect}, {@code connect_timeout}, {@code unresolved}, {@code closed}
     * (requeues); {@code timeout}, {@code io}, {@code exception}, {@code status_503}, ... (retries);
     * {@code hedge}.
     *
     * @return retry counts by reason
     */
    public Map<String, Long> retriesByReason() {
        return retriesByReason;
    }

    /**
     * Failed attempts by endpoint authority ({@code host:port}).
     *
     * @return counts by authority
     */
    public Map<String, Long> failedAttemptsByEndpoint() {
        return failedAttemptsByEndpoint;
    }

    @Override
    public String toString() {
        return "ServiceStats{" + service + ": requests=" + requests + ", succeeded=" + succeeded + ", failed=" + failed
                + ", cancelled=" + cancelled + ", attempts=" + attempts + ", failedAttempts=" + failedAttempts
                + ", retries=" + retries + " " + retriesByReason + ", requeues=" + requeues + ", budgetExhausted=" + budgetExhausted
                + ", failedAttemptsByEndpoint=" + failedAttemptsByEndpoint + "}";
    }
}
