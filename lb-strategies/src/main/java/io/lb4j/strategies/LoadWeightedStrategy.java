package io.lb4j.strategies;

import io.lb4j.core.Bookkeeping;
import io.lb4j.core.EndpointState;
import io.lb4j.core.LoadReport;
import io.lb4j.core.Picker;
import io.lb4j.core.Strategy;
import io.lb4j.core.StrategyContext;
import io.lb4j.core.internal.StripedSequence;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * Weighted round-robin by server-reported load, as gRPC's {@code weighted_round_robin} (gRFC A58)
 * and Envoy's client-side weighted round-robin: each endpoint weighs
 * {@code rps / (utilization + errorPenalty * eps / rps)} from its latest {@link LoadReport}.
 *
 * <p>The weights are baked into a picker (the smooth order of {@link WeightedStrategy}'s
 * weighted round-robin over an {@link AliasTable}) that the balancer rebuilds every
 * {@link #rebuildInterval() weight update period} on its control executor, so a pick costs what
 * a weighted round-robin pick costs. A report counts once the endpoint has reported for the
 * blackout period without a break of the expiration period; endpoints without a weight that
 * counts get the mean of those with one; with fewer than two such endpoints all weigh the same.
 * An endpoint that leaves the picker's list (excluded, removed) starts its blackout afresh when
 * it comes back, as A58's does on reconnecting.
 *
 * <p>Per-endpoint bookkeeping (when the current run of reports began) lives in the balancer's
 * shared store and is touched only while a picker is built, which the balancer does on one
 * thread at a time.
 */
final class LoadWeightedStrategy implements Strategy {
    static final String NAME = "load-weighted";
    static final Duration DEFAULT_BLACKOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_EXPIRATION = Duration.ofMinutes(3);
    static final Duration DEFAULT_UPDATE_PERIOD = Duration.ofSeconds(1);
    static final Duration MIN_UPDATE_PERIOD = Duration.ofMillis(100);
    static final double DEFAULT_ERROR_PENALTY = 1.0;
    static final LoadWeightedStrategy DEFAULT =
            new LoadWeightedStrategy(DEFAULT_BLACKOUT, DEFAULT_EXPIRATION, DEFAULT_UPDATE_PERIOD, DEFAULT_ERROR_PENALTY);

    /** The largest weight handed to the alias table; the others scale to it (at least 1). */
    private static final long SCALE = 1 << 20;
    private static final Object SEQUENCE_KEY = new Object();
    private static final Object RUNS_KEY = new Object();
    private static final long UNSET = Long.MIN_VALUE;

    private final Duration blackout;
    private final Duration expiration;
    private final Duration updatePeriod;
    private final double errorPenalty;
    private final long blackoutNanos;
    private final long expirationNanos;

    LoadWeightedStrategy(Duration blackout, Duration expiration, Duration updatePeriod, double errorPenalty) {
        this.blackout = blackout;
        this.expiration = expiration;
        this.updatePeriod = updatePeriod;
        this.errorPenalty = errorPenalty;
        this.blackoutNanos = blackout.toNanos();
        this.expirationNanos = expiration.toNanos();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Duration rebuildInterval() {
        return updatePeriod;
    }

    Duration blackout() {
        return blackout;
    }

    Duration expiration() {
        return expiration;
    }

    double errorPenalty() {
        return errorPenalty;
    }

    /** A58's weight of one report: 0 when it has no rate or no utilisation. */
    static double weight(LoadReport r, double errorPenalty) {
        double rps = r.rps();
        double utilization = r.utilization();
        if (rps <= 0 || utilization <= 0) {
            return 0;
        }
        return rps / (utilization + r.eps() / rps * errorPenalty);
    }

    /** Reads the load reports, which are always kept, and nothing of the per-call bookkeeping: no clock read, no in-flight count. */
    @Override
    public Set<Bookkeeping> bookkeeping() {
        return Bookkeeping.NONE;
    }

    @Override
    public Picker newPicker(List<EndpointState> endpoints, StrategyContext context) {
        long now = context.ticker().read();
        Map<EndpointState, long[]> runs = context.shared(RUNS_KEY, IdentityHashMap::new);
        double[] weights = weights(endpoints, runs, now);
        long[] scaled = new long[weights.length];
        for (int i = 0; i < weights.length; i++) {
            scaled[i] = (long) weights[i];
        }
        EndpointState[] states = endpoints.toArray(new EndpointState[0]);
        StripedSequence sequence = context.shared(SEQUENCE_KEY, () -> new StripedSequence(context.random().nextInt()));
        return new WeightedStrategy.WeightedRoundRobinPicker(states, AliasTable.of(scaled), sequence, context.random(), null);
    }

    /**
     * The weights of this build, scaled to at most {@link #SCALE}; updates {@code runs}: per
     * endpoint {[0] the earliest time a report of the current run may have come (when the
     * endpoint joined the list, or when its reports were found expired), [1] when the run began}.
     */
    double[] weights(List<EndpointState> endpoints, Map<EndpointState, long[]> runs, long now) {
        int n = endpoints.size();
        double[] w = new double[n];
        // endpoints that left the list start afresh when they come back
        runs.keySet().retainAll(new java.util.HashSet<>(endpoints));
        int valid = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            EndpointState st = endpoints.get(i);
            long[] run = runs.computeIfAbsent(st, k -> new long[] {now, UNSET});
            LoadReport r = st.loadReport();
            long at = st.loadReportNanos();
            if (r == null || at - run[0] < 0) {
                continue; // nothing reported since it joined
            }
            if (now - at >= expirationNanos) {
                // stale: only a report after now starts a new run, and with it the blackout
                run[0] = now;
                run[1] = UNSET;
                continue;
            }
            double weight = weight(r, errorPenalty);
            if (weight <= 0) {
                continue;
            }
            if (run[1] == UNSET) {
                // the first report of the run: exact when it is the endpoint's first since it joined, otherwise
                // the latest one seen, which errs by at most one update period on the long side
                long first = st.firstLoadReportNanos();
                run[1] = first - run[0] >= 0 && first - at <= 0 ? first : at;
            }
            if (now - run[1] < blackoutNanos) {
                continue;
            }
            w[i] = weight;
            valid++;
            sum += weight;
        }
        if (valid < 2) {
            java.util.Arrays.fill(w, 1);
            return w;
        }
        double mean = sum / valid;
        double max = 0;
        for (int i = 0; i < n; i++) {
            if (w[i] == 0) {
                w[i] = mean;
            }
            max = Math.max(max, w[i]);
        }
        for (int i = 0; i < n; i++) {
            w[i] = Math.max(1, Math.round(w[i] / max * SCALE));
        }
        return w;
    }

    @Override
    public String toString() {
        return NAME + "{blackout=" + blackout + ", expiration=" + expiration + ", updatePeriod=" + updatePeriod
                + ", errorPenalty=" + errorPenalty + "}";
    }
}
