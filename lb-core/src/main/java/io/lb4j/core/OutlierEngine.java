package io.lb4j.core;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive outlier ejection ({@link OutlierEjection}), owner {@code "outlier-ejection"}. The
 * outcome path touches only per-endpoint atomics in {@link EndpointState}; when a run of failures
 * reaches the threshold it hands the endpoint to the control executor, where every decision
 * (the max-ejection-percent guard, the ejection, its end) is made one at a time: the fields below
 * the line are touched only there.
 */
final class OutlierEngine {
    static final String OWNER = "outlier-ejection";
    private static final Logger log = LoggerFactory.getLogger(Balancer.class);

    private final DefaultBalancer balancer;
    private final ExclusionSet exclusions;
    private volatile OutlierEjection config;
    /** Whether connection failures count (only when the connection tracker does not take them). */
    private volatile boolean countConnectionFailures;

    // ---- control executor only
    private final Map<EndpointState, Record> records = new HashMap<>();
    private Future<?> sweep;
    private volatile long ejections;
    private volatile long returns;
    private volatile long skipped;

    OutlierEngine(DefaultBalancer balancer, OutlierEjection config, boolean countConnectionFailures) {
        this.balancer = balancer;
        this.exclusions = balancer.newExclusions(OWNER);
        this.config = config;
        this.countConnectionFailures = countConnectionFailures;
    }

    /** Starts the interval task if a rule needs it; on the control executor. */
    void start() {
        reschedule();
    }

    OutlierEjection config() {
        return config;
    }

    /** Switches configuration; on the control executor. Running ejections keep their end unless disabled. */
    void configure(OutlierEjection next) {
        this.config = next;
        if (!next.enabled()) {
            for (Record r : List.copyOf(records.values())) {
                if (r.ejected) {
                    unEject(r, "outlier ejection disabled");
                }
            }
        }
        for (EndpointState st : balancer.snapshot().members()) {
            st.resetConsecutive();
            st.takeWindowFailures();
            st.takeWindowSuccesses();
        }
        reschedule();
    }

    private void reschedule() {
        if (sweep != null) {
            sweep.cancel(false);
            sweep = null;
        }
        OutlierEjection c = config;
        if (c.enabled() && c.failurePercentageThreshold() > 0 && !balancer.isClosed()) {
            long interval = c.interval().toNanos();
            sweep = balancer.scheduleRepeating(this::sweep, interval);
        }
    }

    // ---- the outcome path (every completed call, any thread)

    /**
     * A success: ends a run of failures (no write when there is none). The failure-percentage
     * window needs no count of its own: its successes are the rise of the endpoint's success count.
     */
    void onSuccess(EndpointState st) {
        if (config.enabled()) {
            st.succeededInARow();
        }
    }

    void onOutcome(EndpointState st, Selection.Outcome outcome, Throwable cause) {
        if (outcome == Selection.Outcome.SUCCESS) {
            onSuccess(st);
            return;
        }
        OutlierEjection c = config;
        if (!c.enabled()) {
            return;
        }
        if (outcome == Selection.Outcome.CANCELLED
                || (outcome == Selection.Outcome.CONNECTION_FAILURE && !countConnectionFailures)) {
            return;
        }
        if (exclusions.excludes(st.endpoint())) {
            return; // picked in panic or before the ejection: says nothing new
        }
        if (c.failurePercentageThreshold() > 0) {
            st.countWindowFailure();
        }
        int threshold = c.consecutiveFailures();
        if (threshold > 0 && st.failedInARow() >= threshold && st.requestEjection()) {
            String reason = threshold + " consecutive failures, last: " + DefaultBalancer.describe(cause);
            balancer.control().execute(() -> {
                st.ejectionHandled();
                eject(st, reason);
            });
        }
    }

    // ---- control executor

    private void eject(EndpointState st, String reason) {
        OutlierEjection c = config;
        Snapshot s = balancer.snapshot();
        if (!c.enabled() || balancer.isClosed() || s.member(st.endpoint()) != st || exclusions.excludes(st.endpoint())) {
            st.resetConsecutive();
            return;
        }
        int members = s.members().size();
        int allowed = Math.max(1, members * c.maxEjectionPercent() / 100);
        int ejectedNow = exclusions.size();
        if (ejectedNow >= allowed) {
            skipped++;
            st.resetConsecutive(); // another full run of failures before the next try
            log.debug("'{}': not ejecting {} ({}): {} of {} endpoints already ejected (max {}%)",
                    balancer.service(), st.endpoint(), reason, ejectedNow, members, c.maxEjectionPercent());
            return;
        }
        Record r = records.computeIfAbsent(st, k -> new Record());
        long now = balancer.ticker().read();
        long intervalNanos = c.interval().toNanos();
        if (r.returnedNanos != 0 && r.multiplier > 0) {
            long quietIntervals = (now - r.returnedNanos) / intervalNanos;
            r.multiplier = (int) Math.max(0, r.multiplier - quietIntervals);
        }
        long base = c.baseEjectionTime().toNanos();
        long cap = Math.max(base, c.maxEjectionTime().toNanos());
        int maxMultiplier = (int) Math.min(Integer.MAX_VALUE, (cap + base - 1) / base);
        r.multiplier = Math.min(maxMultiplier, r.multiplier + 1);
        long nanos = base > cap / r.multiplier ? cap : Math.min(cap, base * r.multiplier);
        long jitter = c.jitter().toNanos();
        if (jitter > 0) {
            try {
                nanos += (long) (balancer.random().nextDouble() * jitter);
            } catch (RuntimeException e) {
                log.warn("'{}': the random source failed; ejecting without jitter", balancer.service(), e);
            }
        }
        Future<?> end;
        try {
            end = balancer.schedule(() -> unEject(r, st, "ejection time is up"), nanos);
        } catch (RejectedExecutionException e) {
            log.warn("'{}': the scheduler rejected the end of an ejection of {}; not ejecting it", balancer.service(), st.endpoint(), e);
            return;
        }
        r.state = st;
        r.ejected = true;
        r.ejectedNanos = now;
        r.end = end;
        st.resetConsecutive();
        exclusions.exclude(st.endpoint(), reason, Duration.ofNanos(nanos));
        ejections++;
        // the balancer's EXCLUDED event logs the ejection at INFO; this adds the multiplier
        log.debug("'{}': ejected {} for {} ms (multiplier {}): {}", balancer.service(), st.endpoint(),
                TimeUnit.NANOSECONDS.toMillis(nanos), r.multiplier, reason);
    }

    private void unEject(Record r, EndpointState st, String reason) {
        if (records.get(st) == r) {
            unEject(r, reason);
        }
    }

    private void unEject(Record r, String reason) {
        if (!r.ejected) {
            return;
        }
        r.ejected = false;
        r.returnedNanos = balancer.ticker().read();
        if (r.end != null) {
            r.end.cancel(false);
            r.end = null;
        }
        r.state.resetConsecutive();
        r.state.takeWindowFailures();
        r.state.takeWindowSuccesses();
        exclusions.include(r.state.endpoint(), reason); // logged by the balancer's INCLUDED event
        returns++;
    }

    /** Ends an ejection early (a passing active probe that started after it began). */
    void endEjection(Endpoint endpoint, long startedAfterNanos, String reason) {
        Snapshot s = balancer.snapshot();
        EndpointState st = s.member(endpoint);
        Record r = st == null ? null : records.get(st);
        if (r != null && r.ejected && startedAfterNanos - r.ejectedNanos >= 0) {
            unEject(r, reason);
        }
    }

    /** Every interval: the failure-percentage rule over the interval's calls. */
    private void sweep() {
        OutlierEjection c = config;
        if (!c.enabled() || c.failurePercentageThreshold() <= 0 || balancer.isClosed()) {
            return;
        }
        for (EndpointState st : balancer.snapshot().members()) {
            long ok = st.takeWindowSuccesses();
            long failed = st.takeWindowFailures();
            long total = ok + failed;
            if (total >= c.failurePercentageMinimumRequests() && failed * 100 >= (long) c.failurePercentageThreshold() * total
                    && !exclusions.excludes(st.endpoint())) {
                eject(st, failed + " of " + total + " calls failed in the last interval (threshold "
                        + c.failurePercentageThreshold() + "%)");
            }
        }
    }

    /** Drops the records of endpoints that left the list; on the control executor after a rebuild. */
    void retain(Map<Endpoint, EndpointState> members) {
        for (Iterator<Map.Entry<EndpointState, Record>> it = records.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<EndpointState, Record> e = it.next();
            if (members.get(e.getKey().endpoint()) != e.getKey()) {
                it.remove();
                if (e.getValue().end != null) {
                    e.getValue().end.cancel(false);
                }
            }
        }
    }

    void close() {
        if (sweep != null) {
            sweep.cancel(false);
        }
        for (Record r : records.values()) {
            if (r.end != null) {
                r.end.cancel(false);
            }
        }
    }

    // ---- views (any thread; a view may lag the control executor slightly)

    long ejectionCount() {
        return ejections;
    }

    long returnCount() {
        return returns;
    }

    long skippedEjectionCount() {
        return skipped;
    }

    int ejectedCount() {
        return exclusions.size();
    }

    int multiplier(Endpoint endpoint) {
        return balancer.control().inExecutor() ? multiplierNow(endpoint)
                : balancer.control().call(() -> multiplierNow(endpoint));
    }

    /** The multiplier with the decay of the quiet intervals since the return already applied. */
    private int multiplierNow(Endpoint endpoint) {
        EndpointState st = balancer.snapshot().member(endpoint);
        Record r = st == null ? null : records.get(st);
        if (r == null) {
            return 0;
        }
        if (r.ejected || r.returnedNanos == 0) {
            return r.multiplier;
        }
        long quiet = (balancer.ticker().read() - r.returnedNanos) / config.interval().toNanos();
        return (int) Math.max(0, r.multiplier - quiet);
    }

    /** What the engine remembers of one endpoint (one live state: a re-added endpoint starts afresh). */
    private static final class Record {
        EndpointState state;
        boolean ejected;
        long ejectedNanos;
        long returnedNanos;
        int multiplier;
        Future<?> end;
    }
}
