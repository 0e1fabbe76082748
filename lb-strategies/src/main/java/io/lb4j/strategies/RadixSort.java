package io.lb4j.strategies;

import java.util.Arrays;

/**
 * Sorts the points of a large ring: a least-significant-digit radix sort in signed order, four
 * passes of 16 bits (a pass whose digit is the same for every point is skipped). A ring of
 * 100,000 endpoints has about a million points, which {@link Arrays#sort(long[])} takes several
 * times as long to order; small arrays still go to {@code Arrays.sort}.
 */
final class RadixSort {
    /** Below this, {@link Arrays#sort(long[])}: the passes' 256 KB of counts would dominate. */
    static final int MIN_LENGTH = 1 << 14;
    private static final int DIGIT_BITS = 16;
    private static final int DIGIT_MASK = (1 << DIGIT_BITS) - 1;

    private RadixSort() {
    }

    /** Sorts {@code a} ascending, as {@link Arrays#sort(long[])} does. */
    static void sort(long[] a) {
        int n = a.length;
        if (n < MIN_LENGTH) {
            Arrays.sort(a);
            return;
        }
        long[] from = a;
        long[] to = new long[n];
        int[] start = new int[1 << DIGIT_BITS];
        for (int shift = 0; shift < Long.SIZE; shift += DIGIT_BITS) {
            Arrays.fill(start, 0);
            for (long v : from) {
                start[digit(v, shift)]++;
            }
            if (start[digit(from[0], shift)] == n) {
                continue; // one digit for all: this pass would not move anything
            }
            int sum = 0;
            for (int d = 0; d < start.length; d++) {
                int count = start[d];
                start[d] = sum;
                sum += count;
            }
            for (long v : from) {
                to[start[digit(v, shift)]++] = v; // stable: equal digits keep the previous passes' order
            }
            long[] swap = from;
            from = to;
            to = swap;
        }
        if (from != a) {
            System.arraycopy(from, 0, a, 0, n);
        }
    }

    /** The digit at {@code shift} of {@code v} with its sign bit flipped, so that unsigned digit order is signed order. */
    private static int digit(long v, int shift) {
        return (int) ((v ^ Long.MIN_VALUE) >>> shift) & DIGIT_MASK;
    }
}
