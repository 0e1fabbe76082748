package io.lb4j.testing;

import io.lb4j.core.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that moves only when told to, for code that takes a ticker (a balancer, a
 * health checker, the HTTP client's deadlines). Thread-safe.
 *
 * <pre>{@code
 * FakeTicker ticker = new FakeTicker();
 * Balancer users = Balancer.builder("users").endpoints("127.0.0.1:8081").ticker(ticker).build();
 * ticker.advance(Duration.ofSeconds(30));
 * }</pre>
 */
public final class FakeTicker implements Ticker {
    private final AtomicLong nanos;

    /** A ticker reading 1 s (not 0, so that "never" and "at start" differ). */
    public FakeTicker() {
        this(1_000_000_000L); // not 0, so that "never" and "at start" differ
    }

    /**
     * A ticker starting at {@code startNanos}.
     *
     * @param startNanos the first reading, in nanoseconds
     */
    public FakeTicker(long startNanos) {
        this.nanos = new AtomicLong(startNanos);
    }

    @Override
    public long read() {
        return nanos.get();
    }

    /**
     * Moves the reading forward.
     *
     * @param d how far
     * @return this ticker
     */
    public FakeTicker advance(Duration d) {
        nanos.addAndGet(d.toNanos());
        return this;
    }

    /**
     * Moves the reading forward.
     *
     * @param amount how far, in {@code unit}
     * @param unit the unit of {@code amount}
     * @return this ticker
     */
    public FakeTicker advance(long amount, TimeUnit unit) {
        nanos.addAndGet(unit.toNanos(amount));
        return this;
    }

    /**
     * Sets the reading (backwards too, to test code against a clock that jumps).
     *
     * @param value the new reading, in nanoseconds
     */
    public void set(long value) {
        nanos.set(value);
    }
}
