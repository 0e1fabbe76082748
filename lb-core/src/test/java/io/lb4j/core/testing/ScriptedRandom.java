package io.lb4j.core.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A {@link RandomGenerator} for tests: answers {@link #nextInt(int)} and {@link #nextDouble()}
 * from a script first, then from a seeded generator. Thread-safe (synchronized).
 */
public final class ScriptedRandom implements RandomGenerator {
    private final Deque<Integer> ints = new ArrayDeque<>();
    private final Deque<Double> doubles = new ArrayDeque<>();
    private final SplittableRandom fallback;

    public ScriptedRandom(long seed) {
        this.fallback = new SplittableRandom(seed);
    }

    /** Seed 42. */
    public ScriptedRandom() {
        this(42);
    }

    /** Queues answers for {@code nextInt()} and {@code nextInt(bound)} (taken modulo the bound). (Not named {@code ints}: that would be overloaded by {@code RandomGenerator.ints(long)}.) */
    public synchronized ScriptedRandom nextInts(int... values) {
        for (int v : values) {
            ints.add(v);
        }
        return this;
    }

    public synchronized ScriptedRandom nextDoubles(double... values) {
        for (double v : values) {
            doubles.add(v);
        }
        return this;
    }

    @Override
    public synchronized long nextLong() {
        return fallback.nextLong();
    }

    @Override
    public synchronized int nextInt() {
        return ints.isEmpty() ? fallback.nextInt() : ints.poll();
    }

    @Override
    public synchronized int nextInt(int bound) {
        if (ints.isEmpty()) {
            return fallback.nextInt(bound);
        }
        return Math.floorMod(ints.poll(), bound);
    }

    @Override
    public synchronized double nextDouble() {
        return doubles.isEmpty() ? fallback.nextDouble() : doubles.poll();
    }
}
