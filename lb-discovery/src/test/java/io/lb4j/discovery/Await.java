package io.lb4j.discovery;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling with a deadline, for waits on real servers, files and processes. */
public final class Await {
    private Await() {}

    /**
     * Polls until {@code condition} holds.
     *
     * @param timeout how long at most
     * @param what what is awaited, for the failure message
     * @param condition the condition
     * @throws AssertionError after the timeout
     */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            pause();
        }
    }

    /**
     * Polls {@code value} until {@code ok} accepts it; the failure message shows the last value seen.
     *
     * @param <T> the value's type
     * @param timeout how long at most
     * @param what what is awaited, for the failure message
     * @param value reads the value
     * @param ok the test
     * @return the accepted value
     * @throws AssertionError after the timeout
     */
    public static <T> T until(Duration timeout, String what, Supplier<T> value, java.util.function.Predicate<T> ok) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T v = value.get();
        while (!ok.test(v)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last seen: " + v);
            }
            pause();
            v = value.get();
        }
        return v;
    }

    private static void pause() {
        try {
            Thread.sleep(10); // a poll step, not a wait for a schedule
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * The names of live threads starting with {@code prefix}.
     *
     * @param prefix the name prefix
     * @return the sorted names
     */
    public static java.util.List<String> threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith(prefix))
                .sorted()
                .toList();
    }
}
