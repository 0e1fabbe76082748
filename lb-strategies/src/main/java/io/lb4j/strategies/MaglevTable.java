package io.lb4j.strategies;

import io.lb4j.core.EndpointState;
import io.lb4j.core.PickContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The lookup table of {@link MaglevStrategy} (Eisenbud et al., "Maglev", NSDI 2016, section
 * 3.4): {@code table[slot]} is the index of the slot's endpoint in {@link #endpoints}.
 *
 * <p>Each endpoint prefers the slots {@code offset, offset + skip, offset + 2 skip, ...} (mod the
 * table size, a prime, so that every skip visits every slot), with offset and skip from two
 * hashes of its address. The endpoints take turns claiming their next free preferred slot until
 * the table is full; an endpoint of weight {@code w} takes a turn in {@code w / maxWeight} of the
 * rounds (the heaviest in every round), so its share of slots follows its weight. The endpoints
 * are sorted by the hash of their address first, so the table depends only on the set of
 * endpoints and weights, not on the order of the list.
 */
final class MaglevTable {
    /**
     * The largest table: the smallest prime at least 2^22, 16 MiB of {@code int}. Reached from
     * 41,944 endpoints at the default factor, which then get fewer than 100 slots each.
     */
    static final int MAX_SIZE = 4_194_319;
    private static final long SKIP_SALT = 0x9E3779B97F4A7C15L;

    /** The endpoints, sorted by the hash of their address (ties by address). */
    final EndpointState[] endpoints;
    /** The index in {@link #endpoints} of each slot's endpoint. */
    final int[] table;
    private final EndpointState[] input;
    private final int[] inputWeights;
    /** Where each input endpoint sits in {@link #endpoints} (sorted by hash). */
    private final int[] sortedIndex;
    private final int factor;

    private MaglevTable(EndpointState[] endpoints, int[] table, EndpointState[] input, int[] inputWeights,
                        int[] sortedIndex, int factor) {
        this.endpoints = endpoints;
        this.table = table;
        this.input = input;
        this.inputWeights = inputWeights;
        this.sortedIndex = sortedIndex;
        this.factor = factor;
    }

    /**
     * The table size for {@code n} endpoints: the smallest prime at least the power of two at
     * or above {@code factor * n}, at most {@link #MAX_SIZE}. A key's slot depends on the size,
     * so the size must not follow every change of {@code n} (each would move nearly every key):
     * it changes only where {@code factor * n} crosses a power of two. And it depends on nothing
     * but {@code n} and the factor, so that clients with different histories agree.
     */
    static int size(int n, int factor) {
        long target = Math.min((long) n * factor, MAX_SIZE);
        int power = 64 - Long.numberOfLeadingZeros(Math.max(1, target - 1));
        return Math.min(nextPrime(1 << power), MAX_SIZE);
    }

    /** The smallest prime at least {@code from}, by trial division (at most 5 million: a few thousand divisions). */
    static int nextPrime(int from) {
        for (int c = Math.max(2, from); ; c++) {
            if (isPrime(c)) {
                return c;
            }
        }
    }

    static boolean isPrime(int c) {
        if (c < 4) {
            return c >= 2;
        }
        if (c % 2 == 0) {
            return false;
        }
        for (int d = 3; (long) d * d <= c; d += 2) {
            if (c % d == 0) {
                return false;
            }
        }
        return true;
    }

    /** What this table lacks to serve {@code states} ({@link Gone#positions}, as positions in {@link #endpoints}); null if it cannot. */
    int[] missing(EndpointState[] states, int[] weights, int factor) {
        return this.factor != factor ? null : Gone.positions(input, inputWeights, sortedIndex, states, weights);
    }

    /**
     * A table over {@code states} (not empty, at most {@link #MAX_SIZE}) with {@code stateWeights} in the same order; a weight of 0 (a
     * drained endpoint picked in panic) counts as 1, as on the ring.
     */
    static MaglevTable build(EndpointState[] states, int[] stateWeights, int factor) {
        int n = states.length;
        int size = size(n, factor);
        long[] hashes = new long[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            // the same stable string hash as a pick key: no JVM- or run-dependent hashCode
            hashes[i] = PickContext.ofHashKey(states[i].endpoint().authority()).hash();
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingLong(i -> hashes[i])
                .thenComparing(i -> states[i].endpoint().authority()));
        EndpointState[] sorted = new EndpointState[n];
        int[] inputWeights = new int[n];
        int[] sortedIndex = new int[n];
        int[] weights = new int[n];
        int[] position = new int[n];
        int[] skip = new int[n];
        for (int k = 0; k < n; k++) {
            int i = order[k];
            sorted[k] = states[i];
            inputWeights[i] = stateWeights[i];
            sortedIndex[i] = k;
            weights[k] = Math.max(1, stateWeights[i]);
            position[k] = (int) Long.remainderUnsigned(Ring.mix(hashes[i]), size);
            skip[k] = (int) Long.remainderUnsigned(Ring.mix(hashes[i] ^ SKIP_SALT), size - 1) + 1;
        }
        int[] table = new int[size];
        fill(table, weights, position, skip);
        return new MaglevTable(sorted, table, states.clone(), inputWeights, sortedIndex, factor);
    }

    /** Endpoints of one weight, which take their turns together. */
    private static final class Turns {
        final int weight;
        final int[] members;
        long taken;
        long round;

        Turns(int weight, int[] members) {
            this.weight = weight;
            this.members = members;
        }
    }

    private static void fill(int[] table, int[] weights, int[] position, int[] skip) {
        int size = table.length;
        int maxWeight = Arrays.stream(weights).max().orElseThrow();
        // a turn queue by weight class: rounds in which no class is due cost nothing, so the
        // fill stays O(size) turns whatever the weights (a round that visited every endpoint
        // would cost n per round, and a weight ratio of a million means a million rounds)
        PriorityQueue<Turns> due = new PriorityQueue<>(Comparator.<Turns>comparingLong(t -> t.round)
                .thenComparing(t -> -t.weight));
        for (Turns t : byWeight(weights)) {
            due.add(t);
        }
        long[] taken = new long[(size + 63) >>> 6];
        int filled = 0;
        while (filled < size) {
            Turns t = due.poll();
            for (int m : t.members) {
                int p = position[m];
                while ((taken[p >>> 6] & 1L << p) != 0) {
                    p += skip[m];
                    if (p >= size) {
                        p -= size;
                    }
                }
                taken[p >>> 6] |= 1L << p;
                table[p] = m;
                p += skip[m];
                position[m] = p >= size ? p - size : p;
                if (++filled == size) {
                    return;
                }
            }
            // the k-th turn (from 0) of weight w falls in round ceil(k * maxWeight / w)
            t.taken++;
            t.round = (t.taken * maxWeight + t.weight - 1) / t.weight;
            due.add(t);
        }
    }

    private static List<Turns> byWeight(int[] weights) {
        Integer[] order = new Integer[weights.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // stable: within a weight, endpoints keep their (hash-sorted) order
        Arrays.sort(order, Comparator.comparingInt(i -> -weights[i]));
        List<Turns> out = new ArrayList<>();
        for (int from = 0; from < order.length; ) {
            int to = from;
            while (to < order.length && weights[order[to]] == weights[order[from]]) {
                to++;
            }
            int[] members = new int[to - from];
            for (int k = from; k < to; k++) {
                members[k - from] = order[k];
            }
            out.add(new Turns(weights[order[from]], members));
            from = to;
        }
        return out;
    }
}
