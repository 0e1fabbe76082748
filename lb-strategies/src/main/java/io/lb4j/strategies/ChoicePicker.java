package io.lb4j.strategies;

import io.lb4j.core.EndpointState;
import io.lb4j.core.PickContext;
import io.lb4j.core.Picker;
import io.lb4j.core.Ticker;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Power of d choices: samples {@code choices} endpoints at random and takes the one with the
 * lowest load. With uniform sampling two choices are drawn exactly distinct (the second uniform
 * over the other n-1); more choices walk from a random start with a random stride coprime to n,
 * which keeps them distinct without remembering what was drawn. With weighted sampling (an
 * {@link AliasTable}) each choice is drawn in proportion to weight; two choices are kept distinct
 * by {@link #weightedSecond}, more may repeat (fewer distinct choices, rare unless one weight
 * dominates). Ties go to the earlier sample, which is itself random.
 *
 * <p>Latency-aware subclasses also get two hooks: {@link #claims} (a stale endpoint among the
 * samples takes the call, to be re-measured) and {@link #failurePenalty} (added to a sample's
 * load in proportion to the largest load sampled).
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
    /** Non-null when samples are drawn in proportion to weight. */
    private final AliasTable table;
    private final boolean latencyAware;

    /**
     * @param weights the endpoints' weights, in list order ({@code StrategyContext.weights})
     * @param weightedSampling draw samples in proportion to weight (ignored when weights are equal)
     * @param latencyAware whether {@link #claims} and {@link #failurePenalty} are consulted
     */
    ChoicePicker(List<EndpointState> list, int[] weights, int choices, RandomGenerator random, Ticker ticker, Ramp ramp,
                 boolean weightedSampling, boolean latencyAware) {
        this.endpoints = list.toArray(new EndpointState[0]);
        this.random = random;
        this.ticker = ticker;
        this.ramp = ramp;
        this.latencyAware = latencyAware;
        if (weightedSampling && latencyAware) {
            // the latency-aware walk in pickMany visits its samples twice, which random draws cannot
            throw new IllegalArgumentException("weighted sampling is for pickers that are not latency-aware");
        }
        int n = endpoints.length;
        this.choices = Math.min(choices, n);
        this.inverseWeights = new double[n];
        boolean uniform = true;
        for (int i = 0; i < n; i++) {
            inverseWeights[i] = 1.0 / Math.max(1, weights[i]);
            uniform &= inverseWeights[i] == inverseWeights[0];
        }
        this.uniformWeights = uniform;
        this.table = weightedSampling && !uniform ? AliasTable.of(weights) : null;
        this.strides = this.choices > 2 && table == null ? coprimes(n) : null;
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

    /** Latency-aware only: whether sample {@code i} is claimed for a re-measurement and takes the call. */
    boolean claims(int i, long nowNanos, PickContext context) {
        return false;
    }

    /** Latency-aware only: the share of the largest sampled load to add to sample {@code i}'s load; 0 for none. */
    double failurePenalty(int i, long nowNanos) {
        return 0;
    }

    @Override
    public final EndpointState pick(PickContext context) {
        return endpoints.length == 1 ? endpoints[0] : pick(context, now());
    }

    /** With the balancer's reading of the ticker, when it took one: no reading of the picker's own. */
    @Override
    public final EndpointState pick(PickContext context, long now) {
        int n = endpoints.length;
        if (n == 1) {
            return endpoints[0];
        }
        int first;
        int second;
        if (table != null) {
            first = table.draw(random.nextLong());
            if (choices > 2) {
                return pickMany(first, 0, now, context);
            }
            second = weightedSecond(table, random, n, first);
        } else {
            // one random long for both draws; multiply-shift instead of nextInt(bound) saves two
            // divisions, at a bias of at most n / 2^32
            long r = random.nextLong();
            first = first(r, n);
            if (choices > 2) {
                return pickMany(first, strides[(int) (((r >>> 32) * strides.length) >>> 32)], now, context);
            }
            second = second(r, n, first);
        }
        if (latencyAware) {
            // a claim is one successful CAS: each is asked at most once
            if (claims(first, now, context)) {
                return endpoints[first];
            }
            if (claims(second, now, context)) {
                return endpoints[second];
            }
        }
        double a = load(first, now);
        double b = load(second, now);
        if (latencyAware) {
            double pa = failurePenalty(first, now);
            double pb = failurePenalty(second, now);
            if (pa != 0 || pb != 0) {
                // MIN_NORMAL: a penalised endpoint loses even when both loads are 0
                double max = Math.max(Math.max(a, b), Double.MIN_NORMAL);
                a += pa * max;
                b += pb * max;
            }
        }
        if (b < a) {
            return ramp == null ? endpoints[second] : ramped(second, first);
        }
        return ramp == null ? endpoints[first] : ramped(first, second);
    }

    /**
     * A second weighted sample distinct from {@code first}: a weighted draw, once more if it
     * repeats the first, then (rarely, unless one weight dominates) a uniform draw over the others.
     */
    static int weightedSecond(AliasTable table, RandomGenerator random, int n, int first) {
        int second = table.draw(random.nextLong());
        if (second == first) {
            second = table.draw(random.nextLong());
            if (second == first) {
                second = second(random.nextLong(), n, first);
            }
        }
        return second;
    }

    /** The first sample: the low half of {@code r} mapped onto [0, n). */
    static int first(long r, int n) {
        return (int) (((r & MASK32) * n) >>> 32);
    }

    /** The second sample: the high half of {@code r} mapped onto the n - 1 endpoints other than {@code first}. */
    static int second(long r, int n, int first) {
        int second = (int) (((r >>> 32) * (n - 1)) >>> 32);
        // + 1 from first on, without a branch that a random draw would mispredict half the time:
        // ~(second - first) is negative exactly when second >= first (both in [0, n), no overflow)
        return second + (~(second - first) >>> 31);
    }

    /**
     * Choices beyond two: a walk from {@code first} by a stride coprime to n stays distinct; with
     * {@code stride} 0 every further choice is a weighted draw instead. Latency-aware pickers walk
     * twice: once for claims and the largest load (the reference of the failure penalty), once to
     * choose.
     */
    private EndpointState pickMany(int first, int stride, long now, PickContext context) {
        double max = Double.MIN_NORMAL;
        boolean penalised = false;
        if (latencyAware) {
            int index = first;
            for (int c = 0; c < choices; c++) {
                if (claims(index, now, context)) {
                    return endpoints[index];
                }
                max = Math.max(max, load(index, now));
                penalised |= failurePenalty(index, now) != 0;
                index = next(index, stride);
            }
        }
        int best = first;
        int runnerUp = -1;
        double bestLoad = load(first, now) + (penalised ? failurePenalty(first, now) * max : 0);
        double runnerUpLoad = Double.POSITIVE_INFINITY;
        int index = first;
        for (int c = 1; c < choices; c++) {
            index = next(index, stride);
            double l = load(index, now) + (penalised ? failurePenalty(index, now) * max : 0);
            if (l < bestLoad) {
                runnerUp = best;
                runnerUpLoad = bestLoad;
                best = index;
                bestLoad = l;
            } else if (l < runnerUpLoad && index != best) {
                runnerUp = index;
                runnerUpLoad = l;
            }
        }
        return ramp == null || runnerUp < 0 ? endpoints[best] : ramped(best, runnerUp);
    }

    private int next(int index, int stride) {
        if (stride == 0) {
            return table.draw(random.nextLong());
        }
        index += stride;
        return index >= endpoints.length ? index - endpoints.length : index;
    }

    /** Slow start: a ramping winner yields to the runner-up with probability 1 - its share. */
    private EndpointState ramped(int best, int runnerUp) {
        return ramp.passOver(endpoints[best], random.nextDouble()) ? endpoints[runnerUp] : endpoints[best];
    }
}
