package io.lb4j.strategies;

import io.lb4j.core.EndpointState;
import io.lb4j.core.PickContext;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The hash ring of {@link ConsistentHashStrategy}: one sorted {@code long[]} whose entries hold a
 * point's position in the top 40 bits and its endpoint's index in the low 24. A point's
 * position depends only on the endpoint's address and the point's number.
 *
 * <p>A ring remembers what it was built from, so that the next list of the same balancer can
 * reuse the points of every endpoint that stayed (with the same point count): those are
 * re-indexed in one pass, only the new endpoints' points are hashed and sorted, and the two
 * sorted runs are merged. At 10,000 endpoints this turns a ~150 ms rebuild (hash and sort a
 * million points) into a few milliseconds; the result is the same array a full build gives.
 */
final class Ring {
    static final int INDEX_BITS = 24;
    static final long INDEX_MASK = (1L << INDEX_BITS) - 1;
    /** Ring points at most: 8 MiB of ring; beyond it every endpoint gets proportionally fewer. */
    static final int MAX_POINTS = 1 << 20;
    private static final long GOLDEN64 = 0x9E3779B97F4A7C15L;

    final EndpointState[] states;
    final int[] counts;
    final long[] points;

    private Ring(EndpointState[] states, int[] counts, long[] points) {
        this.states = states;
        this.counts = counts;
        this.points = points;
    }

    /** A ring over {@code states}, reusing {@code previous} (may be null) where it can. */
    static Ring build(EndpointState[] states, int virtualNodes, Ring previous) {
        int[] counts = counts(states, virtualNodes);
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        if (previous != null) {
            Ring reused = reuse(states, counts, (int) total, previous);
            if (reused != null) {
                return reused;
            }
        }
        long[] points = new long[(int) total];
        int at = 0;
        for (int i = 0; i < states.length; i++) {
            at = addPoints(states[i], i, counts[i], points, at);
        }
        Arrays.sort(points);
        return new Ring(states, counts, points);
    }

    private static int[] counts(EndpointState[] states, int virtualNodes) {
        int maxWeight = 1;
        for (EndpointState s : states) {
            maxWeight = Math.max(maxWeight, s.weight());
        }
        double perWeight = (double) virtualNodes / maxWeight;
        long total = 0;
        for (EndpointState s : states) {
            total += count(s, perWeight);
        }
        if (total > MAX_POINTS) {
            perWeight *= (double) MAX_POINTS / total;
        }
        int[] counts = new int[states.length];
        for (int i = 0; i < states.length; i++) {
            counts[i] = count(states[i], perWeight);
        }
        return counts;
    }

    private static int count(EndpointState s, double perWeight) {
        // every endpoint keeps at least one point, so a tiny weight still gets some keys
        return (int) Math.max(1, Math.round(Math.max(1, s.weight()) * perWeight));
    }

    private static int addPoints(EndpointState state, int index, int count, long[] into, int at) {
        // the same stable string hash as a pick key: no JVM- or run-dependent hashCode
        long base = PickContext.ofHashKey(state.endpoint().authority()).hash();
        for (int k = 0; k < count; k++) {
            into[at++] = (mix(base + k * GOLDEN64) >>> INDEX_BITS) << INDEX_BITS | index;
        }
        return at;
    }

    /** Null when too little of the previous ring survives to be worth reusing. */
    private static Ring reuse(EndpointState[] states, int[] counts, int total, Ring previous) {
        Map<EndpointState, Integer> index = new IdentityHashMap<>(states.length * 2);
        for (int i = 0; i < states.length; i++) {
            index.put(states[i], i);
        }
        int[] remap = new int[previous.states.length];
        boolean[] kept = new boolean[states.length];
        long keptPoints = 0;
        for (int i = 0; i < previous.states.length; i++) {
            Integer j = index.get(previous.states[i]);
            if (j != null && counts[j] == previous.counts[i] && !kept[j]) {
                remap[i] = j;
                kept[j] = true;
                keptPoints += counts[j];
            } else {
                remap[i] = -1;
            }
        }
        if (keptPoints * 2 < total) {
            return null;
        }
        long[] fresh = new long[total - (int) keptPoints];
        int at = 0;
        for (int j = 0; j < states.length; j++) {
            if (!kept[j]) {
                at = addPoints(states[j], j, counts[j], fresh, at);
            }
        }
        Arrays.sort(fresh);
        // merge the surviving old points (re-indexed on the fly) with the fresh ones
        long[] old = previous.points;
        long[] merged = new long[total];
        int a = 0;
        int b = 0;
        long head = 0;
        boolean hasHead = false;
        for (int k = 0; k < total; k++) {
            while (!hasHead && a < old.length) {
                long p = old[a++];
                int j = remap[(int) (p & INDEX_MASK)];
                if (j >= 0) {
                    head = (p & ~INDEX_MASK) | j;
                    hasHead = true;
                }
            }
            if (hasHead && (b == fresh.length || head <= fresh[b])) {
                merged[k] = head;
                hasHead = false;
            } else {
                merged[k] = fresh[b++];
            }
        }
        // re-indexing can reorder points that share a position; a sorted array has none out of order
        for (int k = 1; k < total; k++) {
            for (int m = k; m > 0 && merged[m - 1] > merged[m]; m--) {
                long t = merged[m];
                merged[m] = merged[m - 1];
                merged[m - 1] = t;
            }
        }
        return new Ring(states, counts, merged);
    }

    /** SplittableRandom's mix64 (Stafford's variant 13): spreads the points of one endpoint. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
