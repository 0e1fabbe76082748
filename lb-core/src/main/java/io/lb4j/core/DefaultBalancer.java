package io.lb4j.core;

import static io.lb4j.core.internal.Checks.notNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Balancer}: one volatile snapshot, replaced under {@link #lock} by writers. */
final class DefaultBalancer implements Balancer, StrategyContext {

    private static final Logger log = LoggerFactory.getLogger(Balancer.class);
    private static final OutcomeListener[] NO_LISTENERS = new OutcomeListener[0];
    /** Extra picker calls before scanning for a non-avoided endpoint. */
    private static final int AVOID_REPICKS = 2;

    private final String service;
    private final Ticker ticker;
    private final RandomGenerator random;
    private final double panicThreshold;
    private final long decayNanos;
    private final Object lock = new Object();
    private final Map<Object, Object> shared = new ConcurrentHashMap<>();
    private final List<Consumer<Snapshot>> snapshotListeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Balancer> ready = new CompletableFuture<>();
    private final List<EndpointSource> sources;
    private final AtomicLong sourceErrors = new AtomicLong();

    private volatile Snapshot snapshot;
    private volatile OutcomeListener[] outcomeListeners = NO_LISTENERS;
    private volatile boolean closed;
    // guarded by lock
    private long version;
    private boolean sourceFailing;

    DefaultBalancer(BalancerBuilder b) {
        this.service = b.service;
        this.ticker = b.ticker;
        this.random = b.random;
        this.panicThreshold = b.panicThreshold;
        this.decayNanos = b.latencyDecay.toNanos();
        this.sources = List.copyOf(b.sources);
        synchronized (lock) {
            List<EndpointState> members = new ArrayList<>();
            long now = ticker.read();
            for (Endpoint e : b.endpoints == null ? List.<Endpoint>of() : b.endpoints) {
                members.add(new EndpointState(e, now, decayNanos));
            }
            publishLocked(members, b.strategy);
        }
        if (b.endpoints != null || sources.isEmpty()) {
            ready.complete(this);
        }
        for (EndpointSource source : sources) {
            source.start(new SourceListener(source));
        }
    }

    static void checkNoDuplicates(List<Endpoint> endpoints) {
        Set<Endpoint> seen = new HashSet<>(endpoints.size() * 2);
        for (Endpoint e : endpoints) {
            if (!seen.add(e)) {
                throw new IllegalArgumentException("duplicate endpoint: " + e.authority()
                        + " (expected: each host:port at most once)");
            }
        }
    }

    // ---- reading

    @Override
    public String service() {
        return service;
    }

    @Override
    public Ticker ticker() {
        return ticker;
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public Selection pick() {
        return pick(PickContext.NONE);
    }

    @Override
    public Selection pick(PickContext context) {
        Snapshot s = snapshot;
        Picker picker = s.picker();
        if (picker == null) {
            throw noEndpoint(s);
        }
        EndpointState state = picker.pick(context);
        if (context.avoids(state.endpoint())) {
            state = pickAround(s, picker, context, state);
        }
        state.started();
        return new Selection(this, state, ticker.read());
    }

    private EndpointState pickAround(Snapshot s, Picker picker, PickContext context, EndpointState first) {
        for (int i = 0; i < AVOID_REPICKS; i++) {
            EndpointState again = picker.pick(context);
            if (!context.avoids(again.endpoint())) {
                return again;
            }
        }
        List<EndpointState> pickable = s.pickable();
        int n = pickable.size();
        int start = random.nextInt(n);
        for (int i = 0; i < n; i++) {
            EndpointState candidate = pickable.get((start + i) % n);
            if (!context.avoids(candidate.endpoint())) {
                return candidate;
            }
        }
        return first; // everything is avoided: a repeat beats no answer
    }

    private NoAvailableEndpointException noEndpoint(Snapshot s) {
        if (closed) {
            throw new IllegalStateException("balancer '" + service + "' is closed");
        }
        StringBuilder msg = new StringBuilder("no endpoint for '").append(service).append("': ")
                .append(s.members().size()).append(" known, ").append(s.eligible().size()).append(" eligible");
        if (s.members().isEmpty()) {
            msg.append(sources.isEmpty() ? " (the list is empty)" : " (no list from the source yet, or it is empty)");
        } else {
            List<String> why = new ArrayList<>(3);
            if (s.unhealthyCount() > 0) {
                why.add(s.unhealthyCount() + " unhealthy");
            }
            if (s.ejectedCount() > 0) {
                long now = ticker.read();
                long maxLeft = 0;
                for (EndpointState st : s.members()) {
                    if (st.ejected()) {
                        maxLeft = Math.max(maxLeft, st.ejectedUntilNanos() - now);
                    }
                }
                String left = maxLeft > 0 ? " for up to " + Math.max(1, TimeUnit.NANOSECONDS.toSeconds(maxLeft)) + "s more" : "";
                why.add(s.ejectedCount() + " ejected" + left);
            }
            if (s.drainedCount() > 0) {
                why.add(s.drainedCount() + " drained (weight 0)");
            }
            msg.append(" (").append(String.join(", ", why)).append(")");
            if (panicThreshold == 0) {
                msg.append("; panic mode is disabled");
            }
        }
        return new NoAvailableEndpointException(service, msg.toString());
    }

    @Override
    public List<Endpoint> endpoints() {
        List<EndpointState> members = snapshot.members();
        List<Endpoint> list = new ArrayList<>(members.size());
        for (EndpointState st : members) {
            list.add(st.endpoint());
        }
        return Collections.unmodifiableList(list);
    }

    @Override
    public Snapshot snapshot() {
        return snapshot;
    }

    @Override
    public Strategy strategy() {
        return snapshot.strategy();
    }

    @Override
    public boolean inPanic() {
        return snapshot.panic();
    }

    @Override
    public CompletableFuture<Balancer> whenReady() {
        return ready;
    }

    @Override
    public long sourceErrorCount() {
        return sourceErrors.get();
    }

    // ---- writing

    @Override
    public void update(Collection<Endpoint> endpoints) {
        notNull(endpoints, "endpoints");
        List<Endpoint> list = new ArrayList<>(endpoints.size());
        int i = 0;
        for (Endpoint e : endpoints) {
            list.add(notNull(e, "endpoints[" + i++ + "]"));
        }
        checkNoDuplicates(list);
        Snapshot published;
        synchronized (lock) {
            checkOpen();
            Snapshot old = snapshot;
            long now = ticker.read();
            List<EndpointState> members = new ArrayList<>(list.size());
            boolean changed = list.size() != old.members().size();
            for (int j = 0; j < list.size(); j++) {
                Endpoint e = list.get(j);
                EndpointState st = old.member(e);
                if (st == null) {
                    st = new EndpointState(e, now, decayNanos);
                    changed = true;
                } else if (!st.endpoint().sameAttributes(e)) {
                    changed = true;
                }
                if (!changed && old.members().get(j) != st) {
                    changed = true; // same set, new order
                }
                members.add(st);
            }
            if (!changed) {
                published = null;
            } else {
                // build the picker before touching live state: a strategy that rejects the list leaves all as it was
                Snapshot candidate = buildLocked(members, old.strategy(), list);
                for (int j = 0; j < list.size(); j++) {
                    members.get(j).endpoint(list.get(j));
                }
                published = publishLocked(candidate, old);
                if (log.isDebugEnabled()) {
                    log.debug("'{}': {} endpoints {}", service, list.size(), list);
                }
            }
        }
        notifyListeners(published);
    }

    @Override
    public void strategy(Strategy strategy) {
        notNull(strategy, "strategy");
        Snapshot published;
        synchronized (lock) {
            checkOpen();
            Snapshot old = snapshot;
            published = publishLocked(buildLocked(old.members(), strategy, null), old);
        }
        log.info("'{}': strategy {}", service, strategy.name());
        notifyListeners(published);
    }

    @Override
    public boolean markUnhealthy(Endpoint endpoint, String reason) {
        return changeFlags(endpoint, st -> st.healthy(), st -> st.health(false, reason));
    }

    @Override
    public boolean markHealthy(Endpoint endpoint) {
        return changeFlags(endpoint, st -> !st.healthy(), st -> st.health(true, null));
    }

    @Override
    public boolean eject(Endpoint endpoint, Duration duration) {
        notNull(duration, "duration");
        return changeFlags(endpoint, st -> !st.ejected(),
                st -> st.ejection(true, ticker.read() + duration.toNanos()));
    }

    @Override
    public boolean unEject(Endpoint endpoint) {
        return changeFlags(endpoint, EndpointState::ejected, st -> st.ejection(false, 0));
    }

    private boolean changeFlags(Endpoint endpoint, java.util.function.Predicate<EndpointState> needed,
                                Consumer<EndpointState> change) {
        notNull(endpoint, "endpoint");
        Snapshot published;
        synchronized (lock) {
            if (closed) {
                return false;
            }
            Snapshot old = snapshot;
            EndpointState st = old.member(endpoint);
            if (st == null || !needed.test(st)) {
                return false;
            }
            change.accept(st);
            published = publishLocked(buildLocked(old.members(), old.strategy(), null), old);
        }
        notifyListeners(published);
        return true;
    }

    private void publishLocked(List<EndpointState> members, Strategy strategy) {
        snapshot = buildLocked(members, strategy, null);
    }

    private Snapshot publishLocked(Snapshot next, Snapshot old) {
        snapshot = next;
        if (next.panic() != old.panic()) {
            if (next.panic()) {
                log.warn("'{}' entered panic mode: {} of {} endpoints eligible (threshold {}); picking among all",
                        service, next.eligible().size(), next.members().size(), panicThreshold);
            } else {
                log.warn("'{}' left panic mode: {} of {} endpoints eligible",
                        service, next.eligible().size(), next.members().size());
            }
        }
        return next;
    }

    /**
     * Builds a snapshot; {@code pendingEndpoints}, when not null, are the attributes the members
     * are about to take (weights decide eligibility before they are written to the live state).
     */
    private Snapshot buildLocked(List<EndpointState> members, Strategy strategy, List<Endpoint> pendingEndpoints) {
        Map<Endpoint, EndpointState> byEndpoint = new HashMap<>(members.size() * 2);
        List<EndpointState> eligible = new ArrayList<>(members.size());
        List<EndpointState> weighted = new ArrayList<>(members.size());
        int unhealthy = 0;
        int ejected = 0;
        int drained = 0;
        for (int i = 0; i < members.size(); i++) {
            EndpointState st = members.get(i);
            Endpoint e = pendingEndpoints != null ? pendingEndpoints.get(i) : st.endpoint();
            byEndpoint.put(e, st);
            boolean hasWeight = e.weight() > 0;
            if (!hasWeight) {
                drained++;
            }
            if (!st.healthy()) {
                unhealthy++;
            }
            if (st.ejected()) {
                ejected++;
            }
            if (hasWeight) {
                weighted.add(st);
                if (st.healthy() && !st.ejected()) {
                    eligible.add(st);
                }
            }
        }
        int known = members.size();
        boolean panic = known > 0 && panicThreshold > 0 && eligible.size() < panicThreshold * known;
        List<EndpointState> pickable;
        if (!panic) {
            pickable = eligible;
        } else {
            pickable = weighted.isEmpty() ? new ArrayList<>(members) : weighted;
        }
        pickable = Collections.unmodifiableList(pickable);
        Picker picker = pickable.isEmpty() ? null : strategy.newPicker(pickable, this);
        return new Snapshot(++version, Collections.unmodifiableList(new ArrayList<>(members)),
                Collections.unmodifiableMap(byEndpoint), Collections.unmodifiableList(eligible), pickable,
                panic, strategy, picker, unhealthy, ejected, drained);
    }

    private void notifyListeners(Snapshot published) {
        if (published == null) {
            return;
        }
        for (Consumer<Snapshot> l : snapshotListeners) {
            try {
                l.accept(published);
            } catch (RuntimeException e) {
                log.warn("'{}': snapshot listener {} failed", service, l, e);
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("balancer '" + service + "' is closed");
        }
    }

    // ---- outcomes and listeners

    void completed(Selection selection, Selection.Outcome outcome, Throwable cause, long latencyNanos) {
        for (OutcomeListener l : outcomeListeners) {
            try {
                l.onOutcome(selection, outcome, cause, latencyNanos);
            } catch (RuntimeException e) {
                log.warn("'{}': outcome listener {} failed", service, l, e);
            }
        }
    }

    @Override
    public void addOutcomeListener(OutcomeListener listener) {
        notNull(listener, "listener");
        synchronized (lock) {
            OutcomeListener[] old = outcomeListeners;
            OutcomeListener[] next = java.util.Arrays.copyOf(old, old.length + 1);
            next[old.length] = listener;
            outcomeListeners = next;
        }
    }

    @Override
    public void removeOutcomeListener(OutcomeListener listener) {
        synchronized (lock) {
            List<OutcomeListener> list = new ArrayList<>(List.of(outcomeListeners));
            list.remove(listener);
            outcomeListeners = list.toArray(NO_LISTENERS);
        }
    }

    @Override
    public void addSnapshotListener(Consumer<Snapshot> listener) {
        snapshotListeners.add(notNull(listener, "listener"));
    }

    @Override
    public void removeSnapshotListener(Consumer<Snapshot> listener) {
        snapshotListeners.remove(listener);
    }

    // ---- StrategyContext

    @Override
    @SuppressWarnings("unchecked")
    public <T> T shared(Object key, Supplier<? extends T> factory) {
        return (T) shared.computeIfAbsent(key, k -> factory.get());
    }

    // ---- lifecycle

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            // picks see the closed state through the one volatile read they already do
            snapshot = snapshot.closed(++version);
        }
        for (EndpointSource source : sources) {
            try {
                source.close();
            } catch (RuntimeException e) {
                log.warn("'{}': closing source {} failed", service, source, e);
            }
        }
        ready.completeExceptionally(new IllegalStateException("balancer '" + service + "' was closed before it had a list"));
    }

    @Override
    public String toString() {
        return "Balancer{" + service + ", " + snapshot + "}";
    }

    /** Fail static: a source's error or bad list never replaces the last good list. */
    private final class SourceListener implements EndpointSource.Listener {
        private final EndpointSource source;

        SourceListener(EndpointSource source) {
            this.source = source;
        }

        @Override
        public void onEndpoints(List<Endpoint> endpoints) {
            if (closed) {
                return;
            }
            try {
                update(endpoints);
            } catch (RuntimeException e) {
                onError(e);
                return;
            }
            boolean recovered;
            synchronized (lock) {
                recovered = sourceFailing;
                sourceFailing = false;
            }
            if (recovered) {
                log.info("'{}': source {} recovered: {} endpoints", service, source, endpoints.size());
            }
            ready.complete(DefaultBalancer.this);
        }

        @Override
        public void onError(Throwable cause) {
            if (closed) {
                return;
            }
            sourceErrors.incrementAndGet();
            boolean first;
            synchronized (lock) {
                first = !sourceFailing;
                sourceFailing = true;
            }
            if (first) {
                log.warn("'{}': source {} failed, keeping the last {} endpoints: {}",
                        service, source, snapshot.members().size(), String.valueOf(cause));
            } else {
                log.debug("'{}': source {} still failing: {}", service, source, String.valueOf(cause));
            }
        }
    }
}
