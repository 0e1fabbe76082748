package io.lb4j.strategies;

import io.lb4j.core.EndpointState;

/**
 * Which of the endpoints a Maglev table or a hash ring was built from are gone from the next
 * list, so that the strategy can keep the table (a key of a gone endpoint passes to the next
 * slot's or point's endpoint, no other key moves, and it comes back with its endpoint) instead
 * of refilling it: at 100,000 endpoints a refill costs tens to hundreds of milliseconds, this a
 * pass over two arrays.
 */
final class Gone {
    private Gone() {
    }

    /**
     * How many of the endpoints a table was built from may be gone before it is rebuilt: a tenth
     * (as many as outlier ejection takes out by default), at least one.
     */
    static int maxMissing(int builtFrom) {
        return Math.max(1, builtFrom / 10);
    }

    /**
     * The positions ({@code positionOf}, by input index) of the {@code input} endpoints that
     * {@code states} lacks, empty if none; null if {@code states} is not {@code input} with at
     * most {@link #maxMissing} left out, in the same order and with the same weights. Compares
     * references and weights from arrays only, in one pass: no endpoint state is read.
     */
    static int[] positions(EndpointState[] input, int[] inputWeights, int[] positionOf, EndpointState[] states,
                           int[] weights) {
        if (states.length > input.length || input.length - states.length > maxMissing(input.length)) {
            return null;
        }
        int[] gone = new int[input.length - states.length];
        int g = 0;
        int j = 0;
        for (int i = 0; i < input.length; i++) {
            if (j < states.length && input[i] == states[j]) {
                if (weights[j] != inputWeights[i]) {
                    return null;
                }
                j++;
            } else if (g == gone.length) {
                return null; // states holds one the table was not built from, or another order
            } else {
                gone[g++] = positionOf[i];
            }
        }
        return gone;
    }

    /** A mask over {@code size} positions with {@code gone} set, or null when nothing is gone. */
    static boolean[] mask(int size, int[] gone) {
        if (gone.length == 0) {
            return null;
        }
        boolean[] missing = new boolean[size];
        for (int g : gone) {
            missing[g] = true;
        }
        return missing;
    }

    /** {@code endpoints} with those {@code missing} marks as null, for {@link LoadBound}: no share of the load. */
    static EndpointState[] present(EndpointState[] endpoints, boolean[] missing) {
        if (missing == null) {
            return endpoints;
        }
        EndpointState[] present = endpoints.clone();
        for (int i = 0; i < present.length; i++) {
            if (missing[i]) {
                present[i] = null;
            }
        }
        return present;
    }
}
