package io.lb4j.strategies;

import io.lb4j.core.EndpointState;
import io.lb4j.core.PickContext;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The hash ring of {@link ConsistentHashStrategy}: one sorted {@code long[]} whose entries hold a
 * point's position in the top 40 bits and its endpoint's slot in the low 24. A point's position
 * depends only on the endpoint's address and the point's number.
 *
 * <p>An endpoint keeps its slot for as long as it stays in the list (with the same point
 * count), so the next list of the same balancer reuses the ring as it is: the points of
 * endpoints that left are cut out and those of new endpoints spliced in with block copies. At
 * 10,000 endpoints that replaces a ~150 ms rebuild (hash and sort a million points) by a copy.
 * Slots freed by departures are handed to newcomers; the slot table is rebuilt dense when it
 * grows past twice the list or when most points would change anyway.
 */
final class Ring {
    static final int SLOT_BITS = 24;
    static final long SLOT_MASK = (1L << SLOT_BITS) - 1;
    /** Ring points at most: 8 MiB of ring; beyond it every endpoint gets proportionally fewer. */
    static final int MAX_POINTS = 1 << 20;
    private static final long GOLDEN64 = 0x9E3779B97F4A7C15L;

    /** The endpoint of each slot; null for a free slot. */
    final EndpointState[] bySlot;
    /** The point count of each slot's endpoint. */
    final int[] countBySlot;
    final long[] points;
    /** The states the ring was built from, in their order, with their weights and slots. */
    private final EndpointState[] input;
    private final int[] inputWeights;
    private final int[] inputSlot;
    private final int virtualNodes;

    private Ring(EndpointState[] bySlot, int[] countBySlot, long[] points, EndpointState[] input, int[] inputWeights,
                 int[] inputSlot, int virtualNodes) {
        this.bySlot = bySlot;
        this.countBySlot = countBySlot;
        this.points = points;
        this.input = input;
        this.inputWeights = inputWeights;
        this.inputSlot = inputSlot;
        this.virtualNodes = virtualNodes;
    }

    /** A ring over {@code states} with {@code weights} (same order), reusing {@code previous} (may be null) where it can. */
    static Ring build(EndpointState[] states, int[] weights, int virtualNodes, Ring previous) {
        int[] counts = counts(weights, virtualNodes);
        if (previous != null) {
            Ring reused = reuse(states, weights, counts, virtualNodes, previous);
            if (reused != null) {
                return reused;
            }
        }
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        long[] points = new long[(int) total];
        int at = 0;
        for (int i = 0; i < states.length; i++) {
            at = addPoints(states[i], i, counts[i], points, at);
        }
        RadixSort.sort(points);
        int[] slots = new int[states.length];
        Arrays.setAll(slots, i -> i);
        EndpointState[] copy = states.clone(); // slot i is state i: one array serves as both
        return new Ring(copy, counts, points, copy, weights.clone(), slots, virtualNodes);
    }

    /** What this ring lacks to serve {@code states} ({@link Gone#positions}, as slots); null if it cannot. */
    int[] missing(EndpointState[] states, int[] weights, int virtualNodes) {
        return this.virtualNodes != virtualNodes ? null : Gone.positions(input, inputWeights, inputSlot, states, weights);
    }

    private static int[] counts(int[] weights, int virtualNodes) {
        int maxWeight = 1;
        for (int w : weights) {
            maxWeight = Math.max(maxWeight, w);
        }
        double perWeight = (double) virtualNodes / maxWeight;
        long total = 0;
        for (int w : weights) {
            total += count(w, perWeight);
        }
        if (total > MAX_POINTS) {
            perWeight *= (double) MAX_POINTS / total;
        }
        int[] counts = new int[weights.length];
        for (int i = 0; i < weights.length; i++) {
            counts[i] = count(weights[i], perWeight);
        }
        return counts;
    }

    private static int count(int weight, double perWeight) {
        // every endpoint keeps at least one point, so a tiny weight still gets some keys
        return (int) Math.max(1, Math.round(Math.max(1, weight) * perWeight));
    }

    private static int addPoints(EndpointState state, int slot, int count, long[] into, int at) {
        // the same stable string hash as a pick key: no JVM- or run-dependent hashCode
        long base = PickContext.ofHashKey(state.endpoint().authority()).hash();
        for (int k = 0; k < count; k++) {
            into[at++] = (mix(base + k * GOLDEN64) >>> SLOT_BITS) << SLOT_BITS | slot;
        }
        return at;
    }

    /** Null when a dense rebuild is better: too much changes, or the slot table got sparse. */
    private static Ring reuse(EndpointState[] states, int[] weights, int[] counts, int virtualNodes, Ring previous) {
        int oldSlots = previous.bySlot.length;
        Map<EndpointState, Integer> slotOf = new IdentityHashMap<>(oldSlots * 2);
        for (int s = 0; s < oldSlots; s++) {
            if (previous.bySlot[s] != null) {
                slotOf.put(previous.bySlot[s], s);
            }
        }
        boolean[] stays = new boolean[oldSlots];
        int[] slotOfIndex = new int[states.length];
        int newcomers = 0;
        long keptPoints = 0;
        long total = 0;
        for (int i = 0; i < states.length; i++) {
            total += counts[i];
            Integer s = slotOf.get(states[i]);
            if (s != null && previous.countBySlot[s] == counts[i] && !stays[s]) {
                stays[s] = true;
                slotOfIndex[i] = s;
                keptPoints += counts[i];
            } else {
                slotOfIndex[i] = -1;
                newcomers++;
            }
        }
        if (keptPoints * 2 < total) {
            return null;
        }
        // slots of endpoints that left are free once their points are cut out
        int[] free = new int[oldSlots];
        int freeCount = 0;
        int leftPoints = 0;
        for (int s = oldSlots - 1; s >= 0; s--) {
            if (!stays[s]) {
                free[freeCount++] = s;
                if (previous.bySlot[s] != null) {
                    leftPoints += previous.countBySlot[s];
                }
            }
        }
        int slots = oldSlots + Math.max(0, newcomers - freeCount);
        if (slots > 2 * states.length + 64 || slots > (1 << SLOT_BITS)) {
            return null;
        }
        long[] left = new long[leftPoints];
        int at = 0;
        for (int s = 0; s < oldSlots; s++) {
            if (!stays[s] && previous.bySlot[s] != null) {
                at = addPoints(previous.bySlot[s], s, previous.countBySlot[s], left, at);
            }
        }
        EndpointState[] bySlot = new EndpointState[slots];
        int[] countBySlot = new int[slots];
        long[] fresh = new long[(int) (total - keptPoints)];
        int next = oldSlots;
        at = 0;
        for (int i = 0; i < states.length; i++) {
            int s = slotOfIndex[i];
            if (s < 0) {
                s = freeCount > 0 ? free[--freeCount] : next++;
                at = addPoints(states[i], s, counts[i], fresh, at);
                slotOfIndex[i] = s;
            }
            bySlot[s] = states[i];
            countBySlot[s] = counts[i];
        }
        RadixSort.sort(left);
        RadixSort.sort(fresh);
        return new Ring(bySlot, countBySlot, splice(previous.points, left, fresh), states.clone(), weights.clone(),
                slotOfIndex, virtualNodes);
    }

    /**
     * {@code old} without the values in {@code remove} and with those in {@code insert} (all
     * three sorted), by block copies between the cut and splice positions.
     */
    static long[] splice(long[] old, long[] remove, long[] insert) {
        long[] out = new long[old.length - remove.length + insert.length];
        int o = 0;
        int m = 0;
        int r = 0;
        int f = 0;
        while (o < old.length || f < insert.length) {
            int nextCut = r < remove.length ? Arrays.binarySearch(old, o, old.length, remove[r]) : old.length;
            if (nextCut < 0) {
                r++; // not in the ring (cannot happen for points it was built with); nothing to cut
                continue;
            }
            int nextSplice = f < insert.length ? insertionPoint(old, o, insert[f]) : old.length;
            int stop = Math.min(nextCut, nextSplice);
            System.arraycopy(old, o, out, m, stop - o);
            m += stop - o;
            o = stop;
            if (f < insert.length && nextSplice <= nextCut) {
                out[m++] = insert[f++];
            } else if (r < remove.length && o == nextCut && o < old.length) {
                o++;
                r++;
            }
        }
        return out;
    }

    /** The first index at or after {@code from} whose value is greater than {@code value}. */
    private static int insertionPoint(long[] sorted, int from, long value) {
        int lo = from;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** SplittableRandom's mix64 (Stafford's variant 13): spreads the points of one endpoint. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
