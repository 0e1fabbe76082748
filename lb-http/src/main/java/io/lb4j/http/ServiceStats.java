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
    private final long budgetExhausted;
    private final Map<String, Long> retriesByReason;
    private final Map<String, Long> failedAttemptsByEndpoint;

    ServiceStats(String service, long requests, long succeeded, long failed, long cancelled, long attempts,
            long failedAttempts, long retries, long budgetExhausted, Map<String, Long> retriesByReason,
            Map<String, Long> failedAttemptsByEndpoint) {
        this.service = service;
        this.requests = requests;
        this.succeeded = succeeded;
        this.failed = failed;
        this.cancelled = cancelled;
        this.attempts = attempts;
        this.failedAttempts = failedAttempts;
        this.retries = retries;
        this.budgetExhausted = budgetExhausted;
        this.retriesByReason = Map.copyOf(retriesByReason);
        this.failedAttemptsByEndpoint = Map.copyOf(failedAttemptsByEndpoint);
    }

    /** {@return the service name} */
    public String service() {
        return service;
    }

    /** {@return how many calls finished (success, failure or cancelled)} */
    public long requests() {
        return requests;
    }

    /** {@return how many calls returned a response below 500} */
    public long succeeded() {
        return succeeded;
    }

    /** {@return how many calls failed with an exception or returned a 5xx response} */
    public long failed() {
        return failed;
    }

    /** {@return how many calls were cancelled} */
    public long cancelled() {
        return cancelled;
    }

    /** {@return how many attempts were sent to an endpoint, first attempts and retries} */
    public long attempts() {
        return attempts;
    }

    /** {@return how many attempts failed: connection errors, timeouts, 5xx} */
    public long failedAttempts() {
        return failedAttempts;
    }

    /** {@return how many retries were sent} */
    public long retries() {
        return retries;
    }

    /** {@return how many retries the policy allowed but the budget refused} */
    public long budgetExhausted() {
        return budgetExhausted;
    }

    /** {@return the retries by reason: {@code connect}, {@code connect_timeout}, {@code timeout}, {@code io}, {@code status_503}, ...} */
    public Map<String, Long> retriesByReason() {
        return retriesByReason;
    }

    /** {@return the failed attempts by endpoint authority ({@code host:port})} */
    public Map<String, Long> failedAttemptsByEndpoint() {
        return failedAttemptsByEndpoint;
    }

    @Override
    public String toString() {
        return "ServiceStats{" + service + ": requests=" + requests + ", succeeded=" + succeeded + ", failed=" + failed
                + ", cancelled=" + cancelled + ", attempts=" + attempts + ", failedAttempts=" + failedAttempts
                + ", retries=" + retries + " " + retriesByReason + ", budgetExhausted=" + budgetExhausted
                + ", failedAttemptsByEndpoint=" + failedAttemptsByEndpoint + "}";
    }
}
