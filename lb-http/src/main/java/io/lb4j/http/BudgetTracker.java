package io.lb4j.http;

import io.lb4j.core.Ticker;

/**
 * The running {@link RetryBudget} of one service: requests and retries counted in ten buckets
 * over the window, so that old traffic falls out in steps of a tenth of the window.
 * Thread-safe; one short lock per call, far cheaper than the HTTP exchange it guards.
 */
final class BudgetTracker {
    private static final int BUCKETS = 10;

    private final Ticker ticker;
    private final boolean unlimited;
    private final double ratio;
    private final double reserve;
    private final long bucketNanos;
    private final long[] epochs = new long[BUCKETS];
    private final long[] requests = new long[BUCKETS];
    private final long[] retries = new long[BUCKETS];

    BudgetTracker(RetryBudget budget, Ticker ticker) {
        this.ticker = ticker;
        this.unlimited = budget.isUnlimited();
        this.ratio = budget.ratio();
        long windowNanos = budget.window().toNanos();
        this.reserve = budget.minRetriesPerSecond() * (windowNanos / 1e9);
        this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
        java.util.Arrays.fill(epochs, Long.MIN_VALUE);
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
        if (unlimited) {
            return true;
        }
        synchronized (this) {
            int current = bucket(ticker.read());
            long reqs = 0;
            long rets = 0;
            for (int i = 0; i < BUCKETS; i++) {
                reqs += requests[i];
                rets += retries[i];
            }
            if (rets + 1 > ratio * reqs + reserve) {
                return false;
            }
            retries[current]++;
            return true;
        }
    }

    /** Index of the bucket for {@code now}, clearing buckets that fell out of the window. */
    private int bucket(long now) {
        long epoch = Math.floorDiv(now, bucketNanos);
        int i = (int) Math.floorMod(epoch, (long) BUCKETS);
        if (epochs[i] != epoch) {
            epochs[i] = epoch;
            requests[i] = 0;
            retries[i] = 0;
        }
        // a bucket not touched for a whole window still holds counts from an older round
        for (int k = 0; k < BUCKETS; k++) {
            if (epochs[k] != Long.MIN_VALUE && epoch - epochs[k] >= BUCKETS) {
                epochs[k] = Long.MIN_VALUE;
                requests[k] = 0;
                retries[k] = 0;
            }
        }
        return i;
    }
}
