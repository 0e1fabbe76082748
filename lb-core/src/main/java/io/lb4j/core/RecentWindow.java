package io.lb4j.core;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The samples of lifetime counters that {@link BalancerView}'s recent counts are measured from.
 * Fed only by views (nothing on the request path): each view takes the oldest sample inside the
 * window as its base and leaves a new sample when the newest is at least a slot old. Guarded by
 * its own lock, which only view takers contend for.
 */
final class RecentWindow {
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(BalancerView.WINDOW_SECONDS);
    static final long SLOT_NANOS = TimeUnit.SECONDS.toNanos(BalancerView.SAMPLE_SECONDS);

    // counters of one endpoint in a sample
    static final int SUCCESSES = 0;
    static final int FAILURES = 1;
    static final int CONNECTION_FAILURES = 2;
    static final int CANCELS = 3;
    static final int IN_FLIGHT = 4;

    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    /** Lifetime counters of every endpoint at one ticker reading. */
    static final class Sample {
        final long nanos;
        final Map<EndpointState, long[]> counters;

        Sample(long nanos, Map<EndpointState, long[]> counters) {
            this.nanos = nanos;
            this.counters = counters;
        }
    }

    static long[] read(EndpointState st) {
        long[] c = new long[5];
        c[IN_FLIGHT] = st.inFlight();
        c[SUCCESSES] = st.successCount();
        c[FAILURES] = st.failureCount();
        c[CONNECTION_FAILURES] = st.connectionFailureCount();
        c[CANCELS] = st.cancelCount();
        return c;
    }

    /**
     * The base of a view taken at {@code nowNanos} with these counters (null: count from the
     * start), recording them as a new sample when one is due.
     */
    synchronized Sample advance(Map<EndpointState, long[]> current, long nowNanos) {
        Sample base = null;
        for (Sample s : samples) {
            if (nowNanos - s.nanos <= WINDOW_NANOS) {
                base = s;
                break;
            }
        }
        if (base == null && !samples.isEmpty()) {
            base = samples.peekLast(); // nothing inside the window: the newest, older one
        }
        if (samples.isEmpty() || nowNanos - samples.peekLast().nanos >= SLOT_NANOS) {
            samples.addLast(new Sample(nowNanos, current));
        }
        // keep at most one sample older than the window: the base of a view that comes late
        while (samples.size() > 1) {
            Sample first = samples.pollFirst();
            Sample second = samples.peekFirst();
            if (nowNanos - second.nanos < WINDOW_NANOS) {
                samples.addFirst(first);
                break;
            }
        }
        return base;
    }

    /** Counters of the members now, keyed by live state. */
    static Map<EndpointState, long[]> readAll(List<EndpointState> members) {
        Map<EndpointState, long[]> m = new IdentityHashMap<>(members.size() * 2);
        for (EndpointState st : members) {
            m.put(st, read(st));
        }
        return m;
    }
}
