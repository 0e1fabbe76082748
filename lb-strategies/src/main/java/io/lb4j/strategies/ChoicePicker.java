package io.lb4j.strategies;

import io.lb4j.core.EndpointState;
import io.lb4j.core.PickContext;
import io.lb4j.core.Picker;
import io.lb4j.core.Ticker;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Power of d choices: samples {@code choices} distinct endpoints at random and takes the one with
 * the lowest load. Two choices are drawn exactly (the second uniform over the other n-1); more
 * choices walk from a random start with a random stride coprime to n, which keeps them distinct
 * without remembering what was drawn. Ties go to the earlier sample, which is itself random.
 */
abstract class ChoicePicker implements Picker {
    final EndpointState[] endpoints;
    final RandomGenerator random;
    final Ticker ticker;
    /** 1 / weight per endpoint, cached: weights only change with a new picker. */
    final double[] inverseWeights;
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
        for (int i = 0; i < n; i++) {
            inverseWeights[i] = 1.0 / Math.max(1, endpoints[i].weight());
        }
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
        return java.util.Arrays.copyOf(all, count);
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
        int first = random.nextInt(n);
        int best;
        int runnerUp;
        if (choices == 2) {
            int second = random.nextInt(n - 1);
            if (second >= first) {
                second++;
            }
            if (load(second, now) < load(first, now)) {
                best = second;
                runnerUp = first;
            } else {
                best = first;
                runnerUp = second;
            }
        } else {
            int stride = strides[random.nextInt(strides.length)];
            best = first;
            runnerUp = -1;
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
        }
        if (ramp != null && ramp.passOver(endpoints[best], random.nextDouble())) {
            return endpoints[runnerUp];
        }
        return endpoints[best];
    }
}
