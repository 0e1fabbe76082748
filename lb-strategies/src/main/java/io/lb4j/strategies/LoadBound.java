package io.lb4j.strategies;

import io.lb4j.core.EndpointState;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded-load rule shared by the ring and the Maglev table (Mirrokni, Thorup, Zadimoghaddam
 * 2016): with the new call counted, an endpoint of weighted share {@code s} of {@code m} calls in
 * flight may hold {@code max(floor(balanceFactor * m * s), ceil(m * s))}. The floor keeps the
 * busiest endpoint within the balance factor of the mean; the ceiling guarantees room somewhere
 * when {@code m} is small.
 *
 * <p>The total in flight is an estimate that costs O(1) per pick: a full count every
 * {@code max(n, 32)} picks plus the picks made since, which can only overstate it (by the calls
 * completed since the count), so the bound errs on the loose side. Thread-safe.
 */
final class LoadBound {
    private final EndpointState[] endpoints;
    private final double[] shares;
    private final double balanceFactor;
    private final AtomicInteger picks = new AtomicInteger();
    private final int recountEvery;
    private volatile long base;

    /** Over {@code endpoints}, indexed as the picker indexes them; null entries (free slots) have no share. */
    LoadBound(EndpointState[] endpoints, double balanceFactor) {
        this.endpoints = endpoints;
        long totalWeight = 0;
        for (EndpointState s : endpoints) {
            totalWeight += s == null ? 0 : Math.max(1, s.weight());
        }
        this.shares = new double[endpoints.length];
        for (int i = 0; i < endpoints.length; i++) {
            shares[i] = endpoints[i] == null ? 0 : (double) Math.max(1, endpoints[i].weight()) / totalWeight;
        }
        this.balanceFactor = balanceFactor;
        this.recountEvery = Math.max(endpoints.length, 32);
        this.base = countInFlight();
    }

    private long countInFlight() {
        long sum = 0;
        for (EndpointState s : endpoints) {
            sum += s == null ? 0 : s.inFlight();
        }
        return sum;
    }

    /** The estimated calls in flight before this pick; call once per pick. */
    long total() {
        int count = picks.getAndIncrement() & Integer.MAX_VALUE;
        if (count % recountEvery == 0) {
            base = countInFlight() - count;
        }
        return Math.max(0, base + count);
    }

    /** Whether endpoint {@code i} has room for one more call when {@code total} are in flight. */
    boolean hasRoom(int i, long total) {
        double fair = (total + 1) * shares[i];
        double capacity = Math.max(Math.floor(balanceFactor * fair), Math.ceil(fair));
        return endpoints[i].inFlight() + 1 <= capacity;
    }
}
