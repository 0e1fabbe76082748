package io.lb4j.core;

/**
 * A source of nanosecond time, injected wherever lb4j measures or schedules, so that tests can
 * drive time by hand. Only differences between two readings are meaningful.
 *
 * <p>Implementations must be thread-safe.
 * <pre>{@code
 * Balancer b = Balancer.builder("users").ticker(Ticker.system()).build();
 * }</pre>
 */
@FunctionalInterface
public interface Ticker {

    /**
     * Returns the current reading in nanoseconds.
     *
     * @return the reading in nanoseconds
     */
    long read();

    /**
     * The default ticker, backed by {@link System#nanoTime()}.
     *
     * @return the system ticker
     */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}

enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long read() {
        return System.nanoTime();
    }
}
