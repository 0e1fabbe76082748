package io.lb4j.health;

import io.lb4j.core.internal.DaemonThreads;
import static io.lb4j.core.internal.Checks.notNull;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointState;
import io.lb4j.core.Exclusions;
import io.lb4j.core.Snapshot;
import io.lb4j.core.Ticker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link HealthChecker}. Membership, the wait queue and the concurrency count are guarded by
 * {@link #lock}; a target's health counters are touched only by the completion of its one probe
 * in flight, and its state change is made under the target's own monitor so that close() cannot
 * interleave with it. What the balancer sees is only this checker's own {@link Exclusions}
 * handle (owner {@value #OWNER}): excluding never blocks and never calls back into the checker,
 * so no lock of the checker is ever held by the balancer.
 */
final class DefaultHealthChecker implements HealthChecker {

    private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);
    /** The owner name of this checker's exclusions. */
    static final String OWNER = "health-check";
    /** Marks a run finished by the checker's timer rather than by the probe. */
    private static final Throwable TIMED_OUT = new Throwable("timed out", null, false, false) {
    };

    private final Balancer balancer;
    private final String service;
    private final Probe configuredProbe;
    private final long intervalNanos;
    private final double jitter;
    private final Duration timeout;
    private final int unhealthyThreshold;
    private final int healthyThreshold;
    private final int maxConcurrentProbes;
    private final ScheduledExecutorService scheduler;
    private final boolean ownScheduler;
    private final Ticker ticker;
    private final RandomGenerator random;
    private final Metrics metrics;
    private final List<HealthListener> listeners;
    private final List<ProbeObserver> observers = new CopyOnWriteArrayList<>();
    private final Consumer<Snapshot> snapshotListener = s -> reconcile();
    private final AtomicLong probeCount = new AtomicLong();
    private final AtomicLong failedProbeCount = new AtomicLong();

    private final Object lock = new Object();
    // guarded by lock
    private final Map<Endpoint, Target> targets = new LinkedHashMap<>();
    private final ArrayDeque<Target> waiting = new ArrayDeque<>();
    private int running;
    private boolean started;
    private ExecutorService httpExecutor;
    private AsynchronousChannelGroup channelGroup;
    // written under lock before the first probe is scheduled, read by probes after it
    private volatile Probe probe;
    private volatile Exclusions exclusions;
    private volatile boolean closed;

    DefaultHealthChecker(HealthCheckerBuilder b) {
        this.balancer = b.balancer;
        this.service = balancer.service();
        this.configuredProbe = b.probe;
        this.intervalNanos = b.interval.toNanos();
        this.jitter = b.jitter;
        this.timeout = b.timeout;
        this.unhealthyThreshold = b.unhealthyThreshold;
        this.healthyThreshold = b.healthyThreshold;
        this.maxConcurrentProbes = b.maxConcurrentProbes;
        this.ownScheduler = b.scheduler == null;
        this.scheduler = ownScheduler ? DaemonThreads.scheduler("lb4j-health-" + service) : b.scheduler;
        this.ticker = b.ticker != null ? b.ticker : balancer.ticker();
        this.random = b.random;
        this.listeners = new CopyOnWriteArrayList<>(b.listeners);
        this.metrics = Metrics.of(b.meterRegistry, balancer);
    }

    @Override
    public Balancer balancer() {
        return balancer;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public HealthChecker start() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("health checker of '" + service + "' is closed");
            }
            if (started) {
                return this;
            }
            started = true;
            probe = bindProbe(configuredProbe);
            exclusions = balancer.newExclusions(OWNER);
        }
        balancer.addSnapshotListener(snapshotListener);
        reconcile();
        log.debug("'{}': health checks started with {}", service, probe);
        return this;
    }

    /** Gives the built-in probes this checker's own client or channel group, made only when needed. */
    private Probe bindProbe(Probe p) {
        if (p instanceof HttpProbe) {
            HttpProbe http = (HttpProbe) p;
            if (http.needsClient()) {
                httpExecutor = Executors.newCachedThreadPool(DaemonThreads.factory("lb4j-health-" + service + "-http"));
            }
            return http.bind(httpExecutor, timeout, service); // HTTPS: SNI = the service name
        }
        if (p instanceof TcpProbe) {
            try {
                channelGroup = AsynchronousChannelGroup.withFixedThreadPool(1, DaemonThreads.factory("lb4j-health-" + service + "-tcp"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open a channel group for TCP probes of '" + service + "'", e);
            }
            return ((TcpProbe) p).bind(channelGroup);
        }
        return p;
    }

    // ---- membership

    /** Follows the balancer's list: probes new members at once, forgets removed ones. */
    private void reconcile() {
        List<Run> abandoned = new ArrayList<>();
        synchronized (lock) {
            if (closed || !started) {
                return;
            }
            // re-read rather than trust the argument: listeners may see snapshots out of order
            List<EndpointState> members = balancer.snapshot().members();
            int known = 0;
            for (EndpointState st : members) {
                Endpoint e = st.endpoint();
                if (targets.containsKey(e)) {
                    known++;
                } else {
                    Target t = new Target(e);
                    targets.put(e, t);
                    schedule(t, 0);
                }
            }
            if (known < targets.size() - (members.size() - known)) {
                Set<Endpoint> current = new HashSet<>(members.size() * 2);
                for (EndpointState st : members) {
                    current.add(st.endpoint());
                }
                for (Iterator<Target> it = targets.values().iterator(); it.hasNext(); ) {
                    Target t = it.next();
                    if (!current.contains(t.endpoint)) {
                        it.remove();
                        t.removed = true;
                        waiting.remove(t);
                        if (t.next != null) {
                            t.next.cancel(false);
                        }
                        if (t.run != null) {
                            abandoned.add(t.run);
                        }
                        log.debug("'{}': {} left the list; no longer probed", service, t.endpoint);
                    }
                }
            }
        }
        // frees their concurrency slots now rather than at their timeout
        for (Run run : abandoned) {
            run.cancel();
        }
    }

    /** Schedules a target's next probe; caller holds the lock. */
    private void schedule(Target t, long delayNanos) {
        try {
            t.next = scheduler.schedule(() -> due(t), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            if (!closed) {
                log.warn("'{}': scheduler rejected the next probe of {}; it will not be probed again", service, t.endpoint, e);
            }
        }
    }

    long nextDelayNanos() {
        if (jitter == 0) {
            return intervalNanos;
        }
        double factor = 1 + jitter * (2 * random.nextDouble() - 1);
        return Math.max(1, (long) (intervalNanos * factor));
    }

    // ---- running probes

    private void due(Target t) {
        synchronized (lock) {
            t.next = null;
            if (closed || t.removed) {
                return;
            }
            if (running >= maxConcurrentProbes) {
                waiting.add(t);
                return;
            }
            running++;
        }
        launch(t);
    }

    private void launch(Target t) {
        Run run = new Run(t, ticker.read());
        synchronized (lock) {
            if (closed || t.removed) {
                releaseSlotLocked(); // it waited for a slot and left the list meanwhile
                return;
            }
            t.run = run;
        }
        CompletionStage<ProbeResult> stage;
        try {
            stage = probe.check(t.endpoint);
            if (stage == null) {
                throw new NullPointerException("probe " + probe + " returned null");
            }
        } catch (RuntimeException e) {
            finish(run, null, e);
            return;
        }
        run.stage = stage;
        try {
            run.timer = scheduler.schedule(() -> finish(run, null, TIMED_OUT), timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            run.cancel(); // closing
            return;
        }
        stage.whenComplete((result, error) -> finish(run, result, error));
    }

    /** Frees one probe slot and gives free slots to waiting targets; caller holds the lock. */
    private void releaseSlotLocked() {
        running--;
        // launched from the scheduler rather than on this thread, which may be a probe's
        while (running < maxConcurrentProbes && !waiting.isEmpty() && !closed) {
            Target w = waiting.poll();
            running++;
            try {
                scheduler.execute(() -> launch(w));
            } catch (RejectedExecutionException e) {
                running--;
                return;
            }
        }
    }

    /** Ends a run once: by its result, its error, the timer, or cancellation. */
    private void finish(Run run, ProbeResult result, Throwable error) {
        if (!run.finished.compareAndSet(false, true)) {
            return;
        }
        if (error == TIMED_OUT) {
            cancelStage(run.stage);
        } else if (run.timer != null) {
            run.timer.cancel(false);
        }
        Target t = run.target;
        boolean live;
        synchronized (lock) {
            if (t.run == run) {
                t.run = null;
            }
            live = !closed && !t.removed;
            releaseSlotLocked();
        }
        if (!live) {
            return;
        }
        ProbeResult outcome;
        String kind;
        if (error == TIMED_OUT) {
            outcome = ProbeResult.unhealthy("timed out after " + timeout.toMillis() + " ms");
            kind = "timeout";
        } else if (error != null) {
            outcome = ProbeResult.unhealthy(describe(error));
            kind = "failure";
        } else if (result == null) {
            outcome = ProbeResult.unhealthy("probe " + probe + " completed with null");
            kind = "failure";
        } else {
            outcome = result;
            kind = result.isHealthy() ? "success" : "failure";
        }
        probeCount.incrementAndGet();
        if (!outcome.isHealthy()) {
            failedProbeCount.incrementAndGet();
        }
        metrics.check(kind);
        record(t, outcome);
        for (ProbeObserver o : observers) {
            try {
                o.onProbe(t.endpoint, outcome.isHealthy(), run.startNanos);
            } catch (RuntimeException e) {
                log.warn("'{}': probe observer {} failed", service, o, e);
            }
        }
        synchronized (lock) {
            if (!closed && !t.removed) {
                schedule(t, nextDelayNanos());
            }
        }
    }

    private static void cancelStage(CompletionStage<ProbeResult> stage) {
        if (stage instanceof Future) {
            ((Future<?>) stage).cancel(true);
        }
    }

    static String describe(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        String msg = e.getMessage();
        return msg == null || msg.isEmpty() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + msg;
    }

    /** Counts a result and, when a threshold is crossed, changes the endpoint's health. */
    private void record(Target t, ProbeResult outcome) {
        HealthState old;
        HealthState next;
        String reason;
        synchronized (t) {
            if (closed || t.removed) {
                return;
            }
            old = t.state;
            next = old;
            if (outcome.isHealthy()) {
                t.failures = 0;
                t.passes++;
                if (old == HealthState.UNKNOWN || (old == HealthState.UNHEALTHY && t.passes >= healthyThreshold)) {
                    next = HealthState.HEALTHY;
                }
            } else {
                t.passes = 0;
                t.failures++;
                if (old == HealthState.UNKNOWN || (old == HealthState.HEALTHY && t.failures >= unhealthyThreshold)) {
                    next = HealthState.UNHEALTHY;
                }
            }
            if (next == old) {
                if (!outcome.isHealthy() && log.isDebugEnabled()) {
                    log.debug("'{}': probe of {} failed ({} in a row): {}", service, t.endpoint, t.failures, outcome.reason());
                }
                return;
            }
            reason = reason(old, outcome, outcome.isHealthy() ? t.passes : t.failures);
            t.state = next;
            if (next == HealthState.UNHEALTHY) {
                exclusions.exclude(t.endpoint, reason);
            } else {
                exclusions.include(t.endpoint);
            }
        }
        if (old == HealthState.UNKNOWN && next == HealthState.HEALTHY) {
            log.debug("'{}': {} is healthy: {}", service, t.endpoint, reason);
        } else {
            log.info("'{}': {} is {}: {}", service, t.endpoint, next == HealthState.HEALTHY ? "healthy" : "unhealthy", reason);
        }
        for (HealthListener l : listeners) {
            try {
                l.onHealthChange(t.endpoint, old, next, reason);
            } catch (RuntimeException e) {
                log.warn("'{}': health listener {} failed", service, l, e);
            }
        }
    }

    private static String reason(HealthState old, ProbeResult outcome, int inARow) {
        if (old == HealthState.UNKNOWN) {
            return outcome.isHealthy() ? "first probe passed" : "first probe failed: " + outcome.reason();
        }
        if (outcome.isHealthy()) {
            return inARow + (inARow == 1 ? " probe" : " consecutive probes") + " passed";
        }
        return inARow + (inARow == 1 ? " probe" : " consecutive probes") + " failed, last: " + outcome.reason();
    }

    // ---- views and hooks

    @Override
    public HealthState state(Endpoint endpoint) {
        synchronized (lock) {
            Target t = targets.get(endpoint);
            return t == null ? HealthState.UNKNOWN : t.state;
        }
    }

    @Override
    public Map<Endpoint, HealthState> states() {
        synchronized (lock) {
            Map<Endpoint, HealthState> copy = new LinkedHashMap<>(targets.size() * 2);
            for (Target t : targets.values()) {
                copy.put(t.endpoint, t.state);
            }
            return Collections.unmodifiableMap(copy);
        }
    }

    @Override
    public void addListener(HealthListener listener) {
        listeners.add(notNull(listener, "listener"));
    }

    void addProbeObserver(ProbeObserver observer) {
        observers.add(observer);
    }

    void removeProbeObserver(ProbeObserver observer) {
        observers.remove(observer);
    }

    @Override
    public long probeCount() {
        return probeCount.get();
    }

    @Override
    public long failedProbeCount() {
        return failedProbeCount.get();
    }

    /** Probes in flight now (for tests). */
    int runningCount() {
        synchronized (lock) {
            return running;
        }
    }

    // ---- lifecycle

    @Override
    public void close() {
        List<Target> all;
        List<Run> runs = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(targets.values());
            targets.clear();
            waiting.clear();
            for (Target t : all) {
                if (t.next != null) {
                    t.next.cancel(false);
                }
                if (t.run != null) {
                    runs.add(t.run);
                }
            }
        }
        balancer.removeSnapshotListener(snapshotListener);
        int restored = 0;
        Exclusions mine = exclusions;
        if (mine != null) {
            for (Target t : all) {
                synchronized (t) {
                    // nobody checks it any more: leaving it out of picks for ever would be worse
                    if (t.state == HealthState.UNHEALTHY && mine.excludes(t.endpoint)) {
                        restored++;
                    }
                }
            }
            mine.close();
        }
        for (Run run : runs) {
            run.cancel();
        }
        if (ownScheduler) {
            scheduler.shutdownNow();
        }
        ExecutorService http;
        AsynchronousChannelGroup group;
        synchronized (lock) {
            http = httpExecutor;
            group = channelGroup;
        }
        if (http != null) {
            // the JDK 17 HttpClient has no close(): its selector thread ends once the client is unreachable
            http.shutdownNow();
        }
        if (group != null) {
            try {
                group.shutdownNow();
            } catch (IOException e) {
                log.debug("'{}': closing the TCP probe channel group failed", service, e);
            }
        }
        log.debug("'{}': health checks stopped; {} endpoints marked healthy again", service, restored);
    }

    @Override
    public String toString() {
        return "HealthChecker{" + service + ", " + configuredProbe + ", every " + Duration.ofNanos(intervalNanos) + "}";
    }

    /** One probed endpoint. */
    private static final class Target {
        final Endpoint endpoint;
        volatile HealthState state = HealthState.UNKNOWN;
        // consecutive results; written only by the completion of this target's one run in flight
        int passes;
        int failures;
        // guarded by the checker's lock
        boolean removed;
        ScheduledFuture<?> next;
        Run run;

        Target(Endpoint endpoint) {
            this.endpoint = endpoint;
        }
    }

    /** One probe of one target. */
    private final class Run {
        final Target target;
        final long startNanos;
        final AtomicBoolean finished = new AtomicBoolean();
        volatile CompletionStage<ProbeResult> stage;
        volatile ScheduledFuture<?> timer;

        Run(Target target, long startNanos) {
            this.target = target;
            this.startNanos = startNanos;
        }

        /** Abandons the run: frees its slot and aborts the probe's work. */
        void cancel() {
            finish(this, null, new CancellationException("abandoned"));
            CompletionStage<ProbeResult> s = stage;
            if (s != null) {
                cancelStage(s);
            }
        }
    }
}
