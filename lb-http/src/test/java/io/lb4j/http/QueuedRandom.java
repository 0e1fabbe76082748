package io.lb4j.http;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

/**
 * A random source that answers {@code nextDouble()} from a queue and everything else with 0
 * (so a round-robin balancer starts at its first endpoint). Kept here rather than scripting
 * lb-core's ScriptedRandom, whose scripting method names are still moving. Thread-safe.
 */
final class QueuedRandom implements RandomGenerator {
    private final Deque<Double> doubles = new ArrayDeque<>();

    QueuedRandom(double... values) {
        for (double v : values) {
            doubles.add(v);
        }
    }

    @Override
    public long nextLong() {
        return 0;
    }

    @Override
    public synchronized double nextDouble() {
        Double d = doubles.poll();
        if (d == null) {
            throw new IllegalStateException("QueuedRandom: no double left");
        }
        return d;
    }
}
