package io.lb4j.testing;

import io.lb4j.core.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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

    /**
     * A wall clock that follows this ticker (the epoch plus the reading), for code that takes a
     * {@link Clock} beside a ticker, so that exclusion times and {@code Retry-After} dates are exact.
     *
     * @return a clock in UTC reading {@code Instant.EPOCH} plus {@link #read()} nanoseconds
     */
    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException("a fake clock has one zone");
            }

            @Override
            public Instant instant() {
                return Instant.EPOCH.plusNanos(read());
            }
        };
    }
}
