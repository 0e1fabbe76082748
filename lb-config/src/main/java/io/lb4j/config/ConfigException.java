package io.lb4j.config;

import java.util.List;

/**
 * Thrown when lb4j configuration has bad keys or values: every problem found, each naming the
 * key, the value and the rule it breaks, e.g.
 * {@code lb4j.services.users.retry.max-attempts: '11' (maxAttempts: 11 (expected: 1-10))}.
 * Unknown keys are problems too: a typo never passes silently.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    /**
     * An exception listing {@code problems}.
     *
     * @param problems one message per problem, in key order; at least one
     * @throws IllegalArgumentException if there is none
     */
    public ConfigException(List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    private static String message(List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems: [] (expected: at least one)");
        }
        if (problems.size() == 1) {
            return "lb4j configuration: " + problems.get(0);
        }
        StringBuilder sb = new StringBuilder("lb4j configuration: ").append(problems.size()).append(" problems");
        for (String p : problems) {
            sb.append("\n  ").append(p);
        }
        return sb.toString();
    }

    /**
     * Every problem, one message each, in key order.
     *
     * @return an unmodifiable list, never empty
     */
    public List<String> problems() {
        return problems;
    }
}
