package io.lb4j.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes {@link BalancerView}s of one balancer: a copy of the current snapshot and of the
 * endpoints' live counters, with the recent counts measured against the samples of
 * {@link RecentWindow}. Reads only; nothing here runs on the request path.
 */
final class Views {
    private final DefaultBalancer balancer;
    private final RecentWindow window = new RecentWindow();
    private final long createdNanos;

    Views(DefaultBalancer balancer, long createdNanos) {
        this.balancer = balancer;
        this.createdNanos = createdNanos;
    }

    /** A view of the balancer now; any thread, one at a time (the untimed successes' record is kept here). */
    synchronized BalancerView take() {
        Snapshot s = balancer.snapshot();
        long now = balancer.ticker().read();
        Instant time = balancer.clock().instant();
        List<EndpointState> members = s.members();
        Map<EndpointState, long[]> current = RecentWindow.readAll(members);
        RecentWindow.Sample base = window.advance(current, now);
        int n = members.size();
        long[][] recent = new long[n][];
        long allPicks = 0;
        for (int i = 0; i < n; i++) {
            long[] c = current.get(members.get(i));
            long[] b = base == null ? null : base.counters.get(members.get(i));
            long[] r = c.clone();
            if (b != null) {
                for (int k = 0; k < r.length; k++) {
                    r[k] -= b[k];
                }
            }
            recent[i] = r;
            allPicks += picks(r);
        }
        List<EndpointView> views = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            EndpointState st = members.get(i);
            long picks = picks(recent[i]);
            views.add(endpointView(s, st, now, time, counts(recent[i]), counts(current.get(st)),
                    allPicks == 0 ? 0 : (double) picks / allPicks));
        }
        Map<String, String> settings = Collections.unmodifiableMap(new LinkedHashMap<>(s.strategy().settings()));
        return new BalancerView(balancer.service(), time, s.version(), balancer.isClosed(), s.strategy().name(), settings,
                s.panic(), balancer.panicThreshold(), balancer.describePanic(s), s.eligible().size(), s.excludedCount(),
                s.drainedCount(), s.excludedCountByOwner(), balancer.sourceErrorCount(),
                instant(base == null ? createdNanos : base.nanos, now, time), Collections.unmodifiableList(views),
                balancer.events().recent());
    }

    private EndpointView endpointView(Snapshot s, EndpointState st, long now, Instant time, OutcomeCounts recent,
                                      OutcomeCounts total, double share) {
        Endpoint e = st.endpoint();
        List<Exclusion> exclusions = s.exclusions(e);
        EndpointView.State state = e.weight() == 0 ? EndpointView.State.DRAINED
                : exclusions.isEmpty() ? EndpointView.State.ELIGIBLE : EndpointView.State.EXCLUDED;
        boolean pickable = !balancer.isClosed() && e.weight() > 0 && (state == EndpointView.State.ELIGIBLE || s.panic());
        Duration latency = st.hasLatencySample() ? Duration.ofNanos(Math.round(st.latencyEwmaNanos(now))) : null;
        double ramp = Math.max(0, Math.min(1, s.strategy().slowStartShare(st, now)));
        return new EndpointView(e, state, pickable, exclusions, st.inFlight(), share, recent, total, latency, ramp,
                lastOutcome(st, now, time), instant(st.firstSeenNanos(), now, time));
    }

    /** The latest of the endpoint's last success, failure and cancellation, or null when none. */
    private static LastOutcome lastOutcome(EndpointState st, long now, Instant time) {
        Selection.Outcome outcome = null;
        long at = 0;
        String cause = null;
        if (st.successCount() > 0) {
            outcome = Selection.Outcome.SUCCESS;
            at = st.viewSuccessNanos(now);
        }
        if (st.failureCount() > 0 && (outcome == null || st.lastFailureNanos() - at > 0)) {
            outcome = st.lastFailureWasConnection() ? Selection.Outcome.CONNECTION_FAILURE : Selection.Outcome.FAILURE;
            at = st.lastFailureNanos();
            cause = DefaultBalancer.describe(st.lastFailureCause());
        }
        if (st.cancelCount() > 0 && (outcome == null || st.lastCancelNanos() - at > 0)) {
            outcome = Selection.Outcome.CANCELLED;
            at = st.lastCancelNanos();
            cause = null;
        }
        return outcome == null ? null : new LastOutcome(outcome, instant(at, now, time), cause);
    }

    /** A ticker reading as an instant on the clock, from a pair read together. */
    private static Instant instant(long nanos, long now, Instant time) {
        return time.minusNanos(Math.max(0, now - nanos));
    }

    private static long picks(long[] c) {
        return Math.max(0, c[RecentWindow.SUCCESSES] + c[RecentWindow.FAILURES] + c[RecentWindow.CANCELS]
                + c[RecentWindow.IN_FLIGHT]);
    }

    private static OutcomeCounts counts(long[] c) {
        long connection = Math.max(0, c[RecentWindow.CONNECTION_FAILURES]);
        return new OutcomeCounts(picks(c), Math.max(0, c[RecentWindow.SUCCESSES]),
                Math.max(0, c[RecentWindow.FAILURES] - connection), connection, Math.max(0, c[RecentWindow.CANCELS]));
    }
}
