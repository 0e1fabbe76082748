package io.lb4j.http;

import io.lb4j.core.Ticker;
import java.util.Arrays;

/**
 * The running {@link RetryBudget} of one service: requests, retries and requeues counted in ten
 * buckets over the window, so that old traffic falls out in steps of a tenth of the window.
 *
 * <p>Requeues (attempts of which nothing left the client) have an allowance of their own, over
 * the same window and requests: {@value #REQUEUE_RATIO} per request plus
 * {@value #REQUEUES_PER_SECOND} per second of the window. They never take from the retry
 * budget, which stays for attempts that reached a server and so add to its load. One requeue per
 * request lets every call of a 3-attempt policy find the live instance while two of three refuse;
 * the cap still stops a client whose network is gone from multiplying its connection attempts.
 *
 * <p>Thread-safe; one short lock per call, far cheaper than the HTTP exchange it guards.
 */
final class BudgetTracker {
    private static final int BUCKETS = 10;
    static final double REQUEUE_RATIO = 1.0;
    static final int REQUEUES_PER_SECOND = 10;

    private final Ticker ticker;
    private final boolean unlimited;
    private final double ratio;
    private final double reserve;
    private final double requeueReserve;
    private final long bucketNanos;
    private final long[] epochs = new long[BUCKETS];
    private final long[] requests = new long[BUCKETS];
    private final long[] retries = new long[BUCKETS];
    private final long[] requeues = new long[BUCKETS];

    BudgetTracker(RetryBudget budget, Ticker ticker) {
        this.ticker = ticker;
        this.unlimited = budget.isUnlimited();
        this.ratio = budget.ratio();
        long windowNanos = budget.window().toNanos();
        double windowSeconds = windowNanos / 1e9;
        this.reserve = budget.minRetriesPerSecond() * windowSeconds;
        this.requeueReserve = REQUEUES_PER_SECOND * windowSeconds;
        this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
        Arrays.fill(epochs, Long.MIN_VALUE);
    }

    void onRequest() {
        if (unlimited) {
            return;
        }
        synchronized (this) {
            requests[bucket(ticker.read())]++;
        }
    }

    /** Takes one retry from the budget; false when it is spent. */
    boolean tryRetry() {
        return unlimited || take(retries, ratio, reserve);
    }

    /** Takes one requeue from the requeue allowance; false when it is spent. */
    boolean tryRequeue() {
        return unlimited || take(requeues, REQUEUE_RATIO, requeueReserve);
    }

    private synchronized boolean take(long[] spent, double perRequest, double floor) {
        int current = bucket(ticker.read());
        long reqs = 0;
        long used = 0;
        for (int i = 0; i < BUCKETS; i++) {
            reqs += requests[i];
            used += spent[i];
        }
        if (used + 1 > perRequest * reqs + floor) {
            return false;
        }
        spent[current]++;
        return true;
    }

    /** Index of the bucket for {@code now}, clearing buckets that fell out of the window. */
    private int bucket(long now) {
        long epoch = Math.floorDiv(now, bucketNanos);
        int i = (int) Math.floorMod(epoch, (long) BUCKETS);
        if (epochs[i] != epoch) {
            clear(i, epoch);
        }
        // a bucket not touched for a whole window still holds counts from an older round
        for (int k = 0; k < BUCKETS; k++) {
            if (epochs[k] != Long.MIN_VALUE && epoch - epochs[k] >= BUCKETS) {
                clear(k, Long.MIN_VALUE);
            }
        }
        return i;
    }

    private void clear(int i, long epoch) {
        epochs[i] = epoch;
        requests[i] = 0;
        retries[i] = 0;
        requeues[i] = 0;
    }
}
