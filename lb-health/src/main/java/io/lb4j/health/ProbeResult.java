package io.lb4j.health;

import static io.lb4j.core.internal.Checks.notNull;

/**
 * The answer of one {@link Probe}: healthy or not, and why.
 *
 * <p>Immutable and thread-safe.
 * <pre>{@code
 * Probe p = endpoint -> query(endpoint).thenApply(lag ->
 *         lag < 10 ? ProbeResult.healthy() : ProbeResult.unhealthy("replication lag " + lag + "s"));
 * }</pre>
 */
public final class ProbeResult {

    private static final ProbeResult HEALTHY = new ProbeResult(true, "ok");

    private final boolean healthy;
    private final String reason;

    private ProbeResult(boolean healthy, String reason) {
        this.healthy = healthy;
        this.reason = reason;
    }

    /** {@return a passing result} */
    public static ProbeResult healthy() {
        return HEALTHY;
    }

    /**
     * A failing result with its reason, e.g. {@code "HTTP 503"}.
     *
     * @param reason why the probe failed
     * @return the result
     * @throws NullPointerException if reason is null
     */
    public static ProbeResult unhealthy(String reason) {
        return new ProbeResult(false, notNull(reason, "reason"));
    }

    /** {@return whether the probe passed} */
    public boolean isHealthy() {
        return healthy;
    }

    /** {@return why: {@code "ok"} when healthy, else the failure's description} */
    public String reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof ProbeResult && ((ProbeResult) o).healthy == healthy
                && ((ProbeResult) o).reason.equals(reason));
    }

    @Override
    public int hashCode() {
        return reason.hashCode() * 31 + (healthy ? 1 : 0);
    }

    @Override
    public String toString() {
        return healthy ? "healthy" : "unhealthy: " + reason;
    }
}
