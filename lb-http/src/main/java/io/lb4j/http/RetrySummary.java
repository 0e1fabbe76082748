package io.lb4j.http;

import java.util.List;

/**
 * Attached as a suppressed exception to the exception a call finally fails with, when the call
 * made more than one attempt or was refused a retry by the budget: its message lists each
 * attempt with its endpoint and outcome, e.g.
 * {@code 3 attempts to 'users' failed: #1 127.0.0.1:8081 ConnectException, #2 127.0.0.1:8082 status 503, #3 ...}.
 * It is never thrown itself and has no stack trace.
 *
 * <pre>{@code
 * catch (IOException e) {
 *     for (Throwable s : e.getSuppressed()) {
 *         if (s instanceof RetrySummary) log.warn(s.getMessage());
 *     }
 * }
 * }</pre>
 * Immutable and thread-safe.
 */
public final class RetrySummary extends Exception {
    private static final long serialVersionUID = 1L;

    /** The service called. */
    private final String service;
    /** One line per attempt. */
    private final List<String> attempts;
    /** Whether the budget refused a retry. */
    private final boolean budgetExhausted;

    RetrySummary(String service, List<String> attempts, boolean budgetExhausted) {
        super(message(service, attempts, budgetExhausted), null, false, false);
        this.service = service;
        this.attempts = List.copyOf(attempts);
        this.budgetExhausted = budgetExhausted;
    }

    private static String message(String service, List<String> attempts, boolean budgetExhausted) {
        StringBuilder sb = new StringBuilder().append(attempts.size()).append(attempts.size() == 1 ? " attempt" : " attempts")
                .append(" to '").append(service).append("' failed: ").append(String.join(", ", attempts));
        if (budgetExhausted) {
            sb.append("; no retry: the retry budget of '").append(service).append("' is exhausted");
        }
        return sb.toString();
    }

    /** {@return the service called} */
    public String service() {
        return service;
    }

    /** {@return one line per attempt: {@code #n host:port outcome}} */
    public List<String> attempts() {
        return attempts;
    }

    /** {@return whether a further retry was refused because the service's retry budget was spent} */
    public boolean budgetExhausted() {
        return budgetExhausted;
    }
}
