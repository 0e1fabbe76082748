package io.lb4j.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A {@link RandomGenerator} for tests: answers {@link #nextInt()}, {@link #nextInt(int)},
 * {@link #nextLong()} and {@link #nextDouble()} from a script first, then from a seeded
 * generator, so that a test decides exactly the draws it cares about and the rest stay
 * reproducible; made with {@link #strict()}, it fails on any draw the script does not cover, and
 * made with {@link #zeros()}, every unscripted draw is 0 (first endpoint, shortest jitter).
 * Everything else {@code RandomGenerator} offers is derived from those four.
 * Thread-safe (synchronized).
 *
 * <pre>{@code
 * // round-robin starts at its first endpoint; the first backoff jitter is the largest possible
 * ScriptedRandom random = new ScriptedRandom().nextInts(0).nextDoubles(0.999999);
 * Balancer users = Balancer.builder("users").endpoints(a, b).random(random).build();
 * }</pre>
 */
public final class ScriptedRandom implements RandomGenerator {
    private final Deque<Integer> ints = new ArrayDeque<>();
    private final Deque<Long> longs = new ArrayDeque<>();
    private final Deque<Double> doubles = new ArrayDeque<>();
    private final SplittableRandom fallback; // null: strict or zeros
    private final boolean zeros;

    /**
     * A source whose unscripted answers come from a generator seeded with {@code seed}.
     *
     * @param seed the seed of the fallback generator
     */
    public ScriptedRandom(long seed) {
        this(new SplittableRandom(seed), false);
    }

    /** A source whose unscripted answers come from a generator seeded with 42. */
    public ScriptedRandom() {
        this(42);
    }

    private ScriptedRandom(SplittableRandom fallback, boolean zeros) {
        this.fallback = fallback;
        this.zeros = zeros;
    }

    /**
     * A source with no fallback: a draw that the script does not cover throws, so a test also
     * checks that the code under test draws no more than it should.
     *
     * @return a new strict source
     */
    public static ScriptedRandom strict() {
        return new ScriptedRandom(null, false);
    }

    /**
     * A source whose unscripted draws are all 0: {@code nextInt(bound)} picks the first of
     * {@code bound}, round-robin starts at the first endpoint, a jitter is at its low end.
     *
     * @return a new source
     */
    public static ScriptedRandom zeros() {
        return new ScriptedRandom(null, true);
    }

    /**
     * Queues answers for {@code nextInt()} and {@code nextInt(bound)} (taken modulo the bound).
     * (Not named {@code ints}: that would overload {@code RandomGenerator.ints(long)}.)
     *
     * @param values the answers, in order
     * @return this source
     */
    public synchronized ScriptedRandom nextInts(int... values) {
        for (int v : values) {
            ints.add(v);
        }
        return this;
    }

    /**
     * Queues answers for {@code nextLong()}.
     *
     * @param values the answers, in order
     * @return this source
     */
    public synchronized ScriptedRandom nextLongs(long... values) {
        for (long v : values) {
            longs.add(v);
        }
        return this;
    }

    /**
     * Queues answers for {@code nextDouble()}.
     *
     * @param values the answers, in order; normally in [0, 1), though a test may pass 1.0 to
     *        probe the upper edge of the code under test
     * @return this source
     */
    public synchronized ScriptedRandom nextDoubles(double... values) {
        for (double v : values) {
            doubles.add(v);
        }
        return this;
    }

    /** {@return how many scripted answers are not used yet (a test can check that all were drawn)} */
    public synchronized int remaining() {
        return ints.size() + longs.size() + doubles.size();
    }

    private SplittableRandom fallback(String draw) {
        if (fallback == null) {
            throw new IllegalStateException("strict ScriptedRandom: no scripted " + draw + " left");
        }
        return fallback;
    }

    @Override
    public synchronized long nextLong() {
        if (!longs.isEmpty()) {
            return longs.poll();
        }
        return zeros ? 0 : fallback("nextLong").nextLong();
    }

    @Override
    public synchronized int nextInt() {
        if (!ints.isEmpty()) {
            return ints.poll();
        }
        return zeros ? 0 : fallback("nextInt").nextInt();
    }

    @Override
    public synchronized int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound: " + bound + " (expected: > 0)");
        }
        if (!ints.isEmpty()) {
            return Math.floorMod(ints.poll(), bound);
        }
        return zeros ? 0 : fallback("nextInt").nextInt(bound);
    }

    @Override
    public synchronized double nextDouble() {
        if (!doubles.isEmpty()) {
            return doubles.poll();
        }
        return zeros ? 0.0 : fallback("nextDouble").nextDouble();
    }
}
