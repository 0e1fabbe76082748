package io.lb4j.testing;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polling with a deadline, for what real sockets, servers, files and threads make true in their
 * own time. Not for schedules: code that takes a ticker or a scheduler is tested with
 * {@link FakeTicker} and {@link FakeScheduler}, which need no waiting at all. The deadline only
 * bounds a failing test; a passing one returns as soon as the condition holds (polled every
 * 1 ms at first, backing off to every 10 ms). Failures are {@link AssertionError}s naming what
 * was awaited.
 *
 * <pre>{@code
 * Await.until("the new instance to be listed", () -> balancer.endpoints().size() == 3);
 * Endpoint first = Await.until(Duration.ofSeconds(5), "a list", balancer::endpoints, l -> !l.isEmpty()).get(0);
 * Await.until("lb4j threads to stop", () -> Await.threads("lb4j-etcd-").isEmpty());
 * }</pre>
 */
public final class Await {
    /** The deadline of the methods that take none: 10 s, generous for a busy 2-core CI machine. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final long FIRST_PAUSE_NANOS = 1_000_000L;
    private static final long MAX_PAUSE_NANOS = 10_000_000L;

    private Await() {}

    /**
     * Polls {@code condition} until it is true, for at most {@link #DEFAULT_TIMEOUT}.
     *
     * @param what what is awaited, for the failure message
     * @param condition the condition
     * @throws AssertionError if it is still false at the deadline, or the thread is interrupted
     */
    public static void until(String what, BooleanSupplier condition) {
        until(DEFAULT_TIMEOUT, what, condition);
    }

    /**
     * Polls {@code condition} until it is true, for at most {@code timeout}.
     *
     * @param timeout the deadline, from now
     * @param what what is awaited, for the failure message
     * @param condition the condition
     * @throws AssertionError if it is still false at the deadline, or the thread is interrupted
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        Objects.requireNonNull(condition, "condition");
        until(timeout, what, condition::getAsBoolean, Boolean::booleanValue);
    }

    /**
     * Polls {@code value} until {@code ok} accepts it, for at most {@code timeout}, and returns
     * the accepted value. A failure shows the last value seen.
     *
     * @param <T> the value's type
     * @param timeout the deadline, from now
     * @param what what is awaited, for the failure message
     * @param value reads the current value
     * @param ok decides whether a value is the one awaited
     * @return the first accepted value
     * @throws AssertionError if no value was accepted by the deadline, or the thread is interrupted
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public static <T> T until(Duration timeout, String what, Supplier<T> value, Predicate<? super T> ok) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(ok, "ok");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        T v = value.get();
        while (!ok.test(v)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last seen: " + v);
            }
            LockSupport.parkNanos(pause); // a poll step, not a wait for a schedule
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
            pause = Math.min(MAX_PAUSE_NANOS, pause * 2);
            v = value.get();
        }
        return v;
    }

    /**
     * The names of the live threads whose name starts with {@code prefix}, sorted: to check that
     * a component stopped its threads on close (lb4j names each of its threads {@code lb4j-...}).
     *
     * @param prefix the start of the names
     * @return the names, sorted
     */
    public static List<String> threads(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith(prefix))
                .sorted()
                .toList();
    }
}
