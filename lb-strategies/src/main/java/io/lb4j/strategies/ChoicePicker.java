package io.lb4j.strategies;

import io.lb4j.core.EndpointState;
import io.lb4j.core.PickContext;
import io.lb4j.core.Picker;
import io.lb4j.core.Ticker;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Power of d choices: samples {@code choices} distinct endpoints at random and takes the one with
 * the lowest load. Two choices are drawn exactly (the second uniform over the other n-1); more
 * choices walk from a random start with a random stride coprime to n, which keeps them distinct
 * without remembering what was drawn. Ties go to the earlier sample, which is itself random.
 */
abstract class ChoicePicker implements Picker {
    private static final long MASK32 = 0xFFFF_FFFFL;

    final EndpointState[] endpoints;
    final RandomGenerator random;
    final Ticker ticker;
    /** 1 / weight per endpoint, cached: weights only change with a new picker. */
    final double[] inverseWeights;
    /** All weights equal: loads compare on in-flight counts alone. */
    final boolean uniformWeights;
    private final int choices;
    private final int[] strides;
    private final Ramp ramp;

    ChoicePicker(List<EndpointState> list, int choices, RandomGenerator random, Ticker ticker, Ramp ramp) {
        this.endpoints = list.toArray(new EndpointState[0]);
        this.random = random;
        this.ticker = ticker;
        this.ramp = ramp;
        int n = endpoints.length;
        this.choices = Math.min(choices, n);
        this.inverseWeights = new double[n];
        boolean uniform = true;
        for (int i = 0; i < n; i++) {
            inverseWeights[i] = 1.0 / Math.max(1, endpoints[i].weight());
            uniform &= inverseWeights[i] == inverseWeights[0];
        }
        this.uniformWeights = uniform;
        this.strides = this.choices > 2 ? coprimes(n) : null;
    }

    private static int[] coprimes(int n) {
        int[] all = new int[n];
        int count = 0;
        for (int s = 1; s < n; s++) {
            if (gcd(s, n) == 1) {
                all[count++] = s;
            }
        }
        return Arrays.copyOf(all, count);
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** The load of endpoint {@code i} at {@code nowNanos}; lower wins. */
    abstract double load(int i, long nowNanos);

    /** The time to pass to {@link #load}; read once per pick, and only by strategies that need it. */
    long now() {
        return 0;
    }

    @Override
    public final EndpointState pick(PickContext context) {
        int n = endpoints.length;
        if (n == 1) {
            return endpoints[0];
        }
        long now = now();
        // one random long for both draws; multiply-shift instead of nextInt(bound) saves two
        // divisions, at a bias of at most n / 2^32
        long r = random.nextLong();
        int first = first(r, n);
        if (choices > 2) {
            return pickMany(first, strides[(int) (((r >>> 32) * strides.length) >>> 32)], now);
        }
        int second = second(r, n, first);
        if (load(second, now) < load(first, now)) {
            return ramp == null ? endpoints[second] : ramped(second, first);
        }
        return ramp == null ? endpoints[first] : ramped(first, second);
    }

    /** The first sample: the low half of {@code r} mapped onto [0, n). */
    static int first(long r, int n) {
        return (int) (((r & MASK32) * n) >>> 32);
    }

    /** The second sample: the high half of {@code r} mapped onto the n - 1 endpoints other than {@code first}. */
    static int second(long r, int n, int first) {
        int second = (int) (((r >>> 32) * (n - 1)) >>> 32);
        return second >= first ? second + 1 : second;
    }

    /** Choices beyond two: a walk from {@code first} by a stride coprime to n stays distinct. */
    private EndpointState pickMany(int first, int stride, long now) {
        int n = endpoints.length;
        int best = first;
        int runnerUp = -1;
        double bestLoad = load(first, now);
        double runnerUpLoad = Double.POSITIVE_INFINITY;
        int index = first;
        for (int c = 1; c < choices; c++) {
            index += stride;
            if (index >= n) {
                index -= n;
            }
            double l = load(index, now);
            if (l < bestLoad) {
                runnerUp = best;
                runnerUpLoad = bestLoad;
                best = index;
                bestLoad = l;
            } else if (l < runnerUpLoad) {
                runnerUp = index;
                runnerUpLoad = l;
            }
        }
        return ramp == null || runnerUp < 0 ? endpoints[best] : ramped(best, runnerUp);
    }

    /** Slow start: a ramping winner yields to the runner-up with probability 1 - its share. */
    private EndpointState ramped(int best, int runnerUp) {
        return ramp.passOver(endpoints[best], random.nextDouble()) ? endpoints[runnerUp] : endpoints[best];
    }
}
