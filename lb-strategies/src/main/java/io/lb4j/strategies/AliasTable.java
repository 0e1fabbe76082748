package io.lb4j.strategies;

import io.lb4j.core.EndpointState;
import java.util.List;

/**
 * Vose's alias table over endpoint weights: n columns of equal height, column {@code c} split
 * between endpoint {@code c} (a share {@code T/2^32} of the column) and one alias endpoint.
 * Picking a column and a 32-bit value gives an endpoint in O(1), exactly in proportion to the
 * weights up to the 2^-32 rounding of each split.
 *
 * <p>Each column is one {@code long}: the split in the high 32 bits, the alias index in the low
 * 32, so a pick touches one array slot. A column that is all its own endpoint has itself as alias.
 */
final class AliasTable {
    static final long MASK32 = 0xFFFF_FFFFL;

    private final long[] columns;

    private AliasTable(long[] columns) {
        this.columns = columns;
    }

    static AliasTable of(int[] weights) {
        long[] wide = new long[weights.length];
        for (int i = 0; i < wide.length; i++) {
            wide[i] = weights[i];
        }
        return of(wide);
    }

    /** A table over these weights; each counts as at least 1. */
    static AliasTable of(long[] weights) {
        int n = weights.length;
        long[] scaled = new long[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            // at least 1: in panic mode a drained endpoint can be pickable, and must not break the table
            long w = Math.max(1, weights[i]);
            scaled[i] = w * n;
            total += w;
        }
        // a column holds 'total'; integer arithmetic keeps the splits exact until the final rounding
        int[] small = new int[n];
        int[] large = new int[n];
        int ns = 0;
        int nl = 0;
        for (int i = 0; i < n; i++) {
            if (scaled[i] < total) {
                small[ns++] = i;
            } else {
                large[nl++] = i;
            }
        }
        long[] columns = new long[n];
        while (ns > 0 && nl > 0) {
            int s = small[--ns];
            int l = large[nl - 1];
            columns[s] = split(scaled[s], total) << 32 | l;
            scaled[l] -= total - scaled[s];
            if (scaled[l] < total) {
                nl--;
                small[ns++] = l;
            }
        }
        // what is left is full up to rounding: its own endpoint only
        while (nl > 0) {
            int l = large[--nl];
            columns[l] = MASK32 << 32 | l;
        }
        while (ns > 0) {
            int s = small[--ns];
            columns[s] = MASK32 << 32 | s;
        }
        return new AliasTable(columns);
    }

    private static long split(long part, long whole) {
        return Math.min(MASK32, (long) ((double) part / whole * 4294967296.0));
    }

    int size() {
        return columns.length;
    }

    /**
     * The column's own endpoint when {@code u32 < split}, else its alias. Without a branch: the
     * comparison of a random value with the split goes either way (a mispredicted branch a pick
     * in two or so, about a fifth of weighted least-connections' pick + success), so the
     * answer is selected by the sign of {@code u32 - split} (both below 2^32, so the difference
     * is negative exactly when {@code u32 < split}).
     */
    int resolve(int column, long u32) {
        long c = columns[column];
        int alias = (int) c;
        int own = (int) ((u32 - (c >>> 32)) >> 63); // -1 when u32 < split, else 0
        return alias ^ ((column ^ alias) & own);
    }

    /** The column's own share of the column, out of 2^32 (2^32 - 1 for a full column). */
    long split(int column) {
        return columns[column] >>> 32;
    }

    int alias(int column) {
        return (int) columns[column];
    }

    /**
     * An endpoint drawn in proportion to weight from one random long: the low 32 bits pick a
     * column by multiply-shift (bias <= n/2^32), the high 32 bits its side.
     */
    int draw(long r) {
        return resolve((int) (((r & MASK32) * columns.length) >>> 32), r >>> 32);
    }
}
