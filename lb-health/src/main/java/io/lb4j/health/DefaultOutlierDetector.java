package io.lb4j.health;

import io.lb4j.core.internal.DaemonThreads;
import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointState;
import io.lb4j.core.OutcomeListener;
import io.lb4j.core.Selection;
import io.lb4j.core.Snapshot;
import io.lb4j.core.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link OutlierDetector}. The outcome path touches only per-endpoint atomics; ejecting and
 * returning happen under {@link #lock}, so that the max-ejection-percent check and the ejection
 * are one step. The balancer is called under the lock: it calls snapshot listeners (this one
 * included, which re-enters the lock) and never holds its own lock while doing so.
 */
final class DefaultOutlierDetector implements OutlierDetector {

    private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);

    private final Balancer balancer;
    private final String service;
    private final int consecutiveFailures;
    private final long baseNanos;
    private final long capNanos;
    private final int maxMultiplier;
    private final long jitterNanos;
    private final int maxEjectionPercent;
    private final long intervalNanos;
    private final int failurePercentageThreshold;
    private final int failurePercentageMinimumRequests;
    private final DefaultHealthChecker healthChecker;
    private final boolean unEjectOnHealthyProbe;
    private final ScheduledExecutorService scheduler;
    private final boolean ownScheduler;
    private final Ticker ticker;
    private final RandomGenerator random;
    private final Metrics metrics;
    private final Map<Endpoint, Stats> stats = new ConcurrentHashMap<>();
    private final OutcomeListener outcomeListener = this::onOutcome;
    private final Consumer<Snapshot> snapshotListener = s -> forgetRemoved();
    private final ProbeObserver probeObserver = this::onProbe;

    private final Object lock = new Object();
    // guarded by lock
    private long ejections;
    private long returns;
    private long skipped;
    private ScheduledFuture<?> sweep;
    private volatile boolean closed;

    DefaultOutlierDetector(OutlierDetectorBuilder b) {
        this.balancer = b.balancer;
        this.service = balancer.service();
        this.consecutiveFailures = b.consecutiveFailures;
        this.baseNanos = b.baseEjectionTime.toNanos();
        // Envoy's rule: the cap never shortens the base time
        this.capNanos = Math.max(baseNanos, b.maxEjectionTime.toNanos());
        // past the cap a higher multiplier changes nothing but how long decay takes
        this.maxMultiplier = (int) Math.min(Integer.MAX_VALUE, (capNanos + baseNanos - 1) / baseNanos);
        this.jitterNanos = b.jitter.toNanos();
        this.maxEjectionPercent = b.maxEjectionPercent;
        this.intervalNanos = b.interval.toNanos();
        this.failurePercentageThreshold = b.failurePercentageThreshold;
        this.failurePercentageMinimumRequests = b.failurePercentageMinimumRequests;
        this.healthChecker = (DefaultHealthChecker) b.healthChecker;
        this.unEjectOnHealthyProbe = b.unEjectOnHealthyProbe;
        this.ticker = b.ticker != null ? b.ticker : balancer.ticker();
        this.random = b.random;
        if (b.scheduler != null) {
            this.scheduler = b.scheduler;
            this.ownScheduler = false;
        } else if (healthChecker != null) {
            if (healthChecker.isClosed()) {
                throw new IllegalStateException("health checker of '" + service + "' is closed");
            }
            this.scheduler = healthChecker.scheduler();
            this.ownScheduler = false;
        } else {
            this.scheduler = DaemonThreads.scheduler("lb4j-outlier-" + service);
            this.ownScheduler = true;
        }
        this.metrics = Metrics.of(b.meterRegistry, balancer);
        synchronized (lock) {
            sweep = scheduler.scheduleWithFixedDelay(this::sweep, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
        }
        balancer.addSnapshotListener(snapshotListener);
        balancer.addOutcomeListener(outcomeListener);
        if (healthChecker != null && unEjectOnHealthyProbe) {
            healthChecker.addProbeObserver(probeObserver);
        }
    }

    @Override
    public Balancer balancer() {
        return balancer;
    }

    // ---- the outcome path (every completed call)

    private void onOutcome(Selection selection, Selection.Outcome outcome, Throwable cause, long latencyNanos) {
        if (outcome == Selection.Outcome.CANCELLED || closed) {
            return;
        }
        EndpointState st = selection.state();
        if (st.ejected()) {
            return; // calls picked in panic or before the ejection say nothing new
        }
        Stats s = statsOf(st);
        if (outcome == Selection.Outcome.SUCCESS) {
            if (failurePercentageThreshold > 0) {
                s.successes.increment();
            }
            if (s.consecutive.get() != 0) { // read first: no write (no cache-line bounce) on the common path
                s.consecutive.set(0);
            }
            return;
        }
        if (failurePercentageThreshold > 0) {
            s.failures.increment();
        }
        if (consecutiveFailures > 0 && s.consecutive.incrementAndGet() >= consecutiveFailures) {
            eject(s, consecutiveFailures + " consecutive failures, last: "
                    + (cause == null ? "failure" : DefaultHealthChecker.describe(cause)));
        }
    }

    private Stats statsOf(EndpointState st) {
        Stats s = stats.get(st.endpoint());
        if (s != null && s.state == st) {
            return s;
        }
        // first outcome, or the endpoint left and came back (a new live state)
        return stats.compute(st.endpoint(), (e, old) -> old != null && old.state == st ? old : new Stats(st));
    }

    // ---- ejecting and returning

    private void eject(Stats s, String reason) {
        long nanos;
        int multiplier;
        synchronized (lock) {
            if (closed || s.ejected || s.state.ejected()) {
                return;
            }
            Snapshot snapshot = balancer.snapshot();
            if (snapshot.member(s.state.endpoint()) != s.state) {
                return; // no longer in the list
            }
            int allowed = Math.max(1, snapshot.members().size() * maxEjectionPercent / 100);
            if (snapshot.ejectedCount() >= allowed) {
                skipped++;
                s.consecutive.set(0); // another full run of failures before the next try
                log.debug("'{}': not ejecting {} ({}): {} of {} endpoints already ejected (max {}%)",
                        service, s.state.endpoint(), reason, snapshot.ejectedCount(), snapshot.members().size(), maxEjectionPercent);
                return;
            }
            s.multiplier = Math.min(maxMultiplier, s.multiplier + 1);
            multiplier = s.multiplier;
            nanos = ejectionNanos(multiplier);
            s.ejected = true;
            s.ejectedNanos = ticker.read();
            s.consecutive.set(0);
            balancer.eject(s.state.endpoint(), Duration.ofNanos(nanos));
            ejections++;
            try {
                s.returnTask = scheduler.schedule(() -> unEject(s, "ejection time is up"), nanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // a shared scheduler shut down under us: do not leave it ejected for ever
                s.ejected = false;
                balancer.unEject(s.state.endpoint());
                log.warn("'{}': scheduler rejected the return of {}; not ejecting it", service, s.state.endpoint(), e);
                return;
            }
        }
        metrics.ejection();
        log.info("'{}': ejected {} for {} ms (multiplier {}): {}", service, s.state.endpoint(),
                TimeUnit.NANOSECONDS.toMillis(nanos), multiplier, reason);
    }

    long ejectionNanos(int multiplier) {
        long nanos = baseNanos > capNanos / multiplier ? capNanos : Math.min(capNanos, baseNanos * multiplier);
        if (jitterNanos > 0) {
            nanos += (long) (random.nextDouble() * jitterNanos);
        }
        return nanos;
    }

    private void unEject(Stats s, String reason) {
        synchronized (lock) {
            if (!s.ejected) {
                return;
            }
            s.ejected = false;
            s.returnedNanos = ticker.read();
            if (s.returnTask != null) {
                s.returnTask.cancel(false);
                s.returnTask = null;
            }
            s.consecutive.set(0);
            s.successes.reset();
            s.failures.reset();
            balancer.unEject(s.state.endpoint());
            returns++;
        }
        log.info("'{}': {} is back from ejection: {}", service, s.state.endpoint(), reason);
    }

    private void onProbe(Endpoint endpoint, boolean healthy, long startNanos) {
        if (!healthy) {
            return;
        }
        Stats s = stats.get(endpoint);
        // a probe started before the ejection says nothing about the endpoint since
        if (s != null && s.ejected && startNanos - s.ejectedNanos >= 0) {
            unEject(s, "an active health check passed");
        }
    }

    /** Every interval: multiplier decay, and the failure-percentage rule over the interval's calls. */
    private void sweep() {
        long now = ticker.read();
        List<Stats> toEject = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            for (Stats s : stats.values()) {
                if (!s.ejected && s.multiplier > 0 && now - s.returnedNanos >= intervalNanos) {
                    s.multiplier--;
                }
                if (failurePercentageThreshold > 0) {
                    long ok = s.successes.sumThenReset();
                    long failed = s.failures.sumThenReset();
                    long total = ok + failed;
                    if (!s.ejected && total >= failurePercentageMinimumRequests
                            && failed * 100 >= (long) failurePercentageThreshold * total) {
                        toEject.add(s);
                        reasons.add(failed + " of " + total + " calls failed in the last interval (threshold "
                                + failurePercentageThreshold + "%)");
                    }
                }
            }
        }
        for (int i = 0; i < toEject.size(); i++) {
            eject(toEject.get(i), reasons.get(i));
        }
    }

    /** Drops the stats (and pending return) of endpoints that left the list. */
    private void forgetRemoved() {
        if (closed) {
            return;
        }
        Snapshot snapshot = balancer.snapshot();
        synchronized (lock) {
            for (Iterator<Stats> it = stats.values().iterator(); it.hasNext(); ) {
                Stats s = it.next();
                if (snapshot.member(s.state.endpoint()) != s.state) {
                    it.remove();
                    if (s.returnTask != null) {
                        s.returnTask.cancel(false);
                    }
                    s.ejected = false;
                }
            }
        }
    }

    // ---- views

    @Override
    public long ejectionCount() {
        synchronized (lock) {
            return ejections;
        }
    }

    @Override
    public long returnCount() {
        synchronized (lock) {
            return returns;
        }
    }

    @Override
    public long skippedEjectionCount() {
        synchronized (lock) {
            return skipped;
        }
    }

    @Override
    public int ejectedCount() {
        synchronized (lock) {
            int n = 0;
            for (Stats s : stats.values()) {
                if (s.ejected) {
                    n++;
                }
            }
            return n;
        }
    }

    @Override
    public int ejectionMultiplier(Endpoint endpoint) {
        synchronized (lock) {
            Stats s = stats.get(endpoint);
            return s == null ? 0 : s.multiplier;
        }
    }

    // ---- lifecycle

    @Override
    public void close() {
        List<Stats> ejected = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (sweep != null) {
                sweep.cancel(false);
            }
            for (Stats s : stats.values()) {
                if (s.ejected) {
                    ejected.add(s);
                }
            }
        }
        balancer.removeOutcomeListener(outcomeListener);
        balancer.removeSnapshotListener(snapshotListener);
        if (healthChecker != null) {
            healthChecker.removeProbeObserver(probeObserver);
        }
        for (Stats s : ejected) {
            unEject(s, "outlier detection closed");
        }
        if (ownScheduler) {
            scheduler.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "OutlierDetector{" + service + ", " + ejectedCount() + " ejected}";
    }

    /** What the detector knows of one endpoint (one live state: a re-added endpoint starts afresh). */
    private static final class Stats {
        final EndpointState state;
        final AtomicInteger consecutive = new AtomicInteger();
        final LongAdder successes = new LongAdder();
        final LongAdder failures = new LongAdder();
        // written under the detector's lock; read without it by passing probes
        volatile boolean ejected;
        volatile long ejectedNanos;
        // guarded by the detector's lock
        int multiplier;
        long returnedNanos;
        ScheduledFuture<?> returnTask;

        Stats(EndpointState state) {
            this.state = state;
        }
    }
}
