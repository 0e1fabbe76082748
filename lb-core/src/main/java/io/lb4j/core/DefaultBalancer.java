package io.lb4j.core;

import static io.lb4j.core.internal.Checks.notNull;

import io.lb4j.core.internal.OutlierControl;
import io.lb4j.core.internal.SharedExecutors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Balancer}: one volatile snapshot that picks read once and never lock on. Every
 * change (list, exclusions, strategy, close) is applied by one {@link SerialExecutor}, so
 * snapshots are built one at a time, published in version order and handed to listeners in that
 * order; the fields under "control executor only" need no lock for that reason. Request threads
 * only read the snapshot and report outcomes, which at most enqueue a task.
 */
final class DefaultBalancer implements Balancer, StrategyContext, OutlierControl {

    private static final Logger log = LoggerFactory.getLogger(Balancer.class);
    private static final OutcomeListener[] NO_LISTENERS = new OutcomeListener[0];
    /** Extra picker calls before scanning for a non-avoided endpoint. */
    private static final int AVOID_REPICKS = 2;

    private final String service;
    private final Ticker ticker;
    private final Clock clock;
    private final RandomGenerator random;
    private final double panicThreshold;
    private final long decayNanos;
    private final SerialExecutor control;
    private final ScheduledExecutorService scheduler;
    private final Map<Object, Object> shared = new ConcurrentHashMap<>();
    private final List<Consumer<Snapshot>> snapshotListeners = new CopyOnWriteArrayList<>();
    private final List<ExclusionSet> owners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Balancer> ready = new CompletableFuture<>();
    private final List<EndpointSource> sources;
    private final AtomicLong sourceErrors = new AtomicLong();
    private final AtomicBoolean sourceFailing = new AtomicBoolean();
    private final AtomicBoolean rebuildPending = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicReference<Object> outlierFront = new java.util.concurrent.atomic.AtomicReference<>();
    private final ConnectionTracker connections;
    private final OutlierEngine outliers;
    /** null without zone-aware routing. */
    private final ZoneRouting zones;
    /** 0 for no limit. */
    private final int maxInFlight;
    private final java.util.concurrent.atomic.LongAdder atLimitSkips = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder atLimitRejections = new java.util.concurrent.atomic.LongAdder();
    private final EventLog events;
    private final Views views;
    private final Meters meters;
    private volatile int lastSourceListSize = -1;

    private volatile Snapshot snapshot;
    private volatile OutcomeListener[] outcomeListeners = NO_LISTENERS;
    /**
     * What picks and completions keep ({@link Selection}'s bits), composed from the current
     * strategy's {@link Strategy#bookkeeping()}, the limit, the meters and the listeners whenever
     * one of them changes; a pick reads it once, next to the snapshot, and its selection keeps it.
     */
    private volatile int tracking;
    /** The strategy {@link #tracking} was composed for; guarded by this. */
    private Strategy trackedStrategy;
    /** Whether meters read in-flight counts and latency estimates (per endpoint). */
    private final int meterTracking;
    private final boolean connectionsEnabled;
    private volatile boolean closed;
    // control executor only
    private long version;
    private boolean changedInTask;
    private Strategy rebuilding;
    private Future<?> rebuildTask;

    DefaultBalancer(BalancerBuilder b) {
        this.service = b.service;
        this.ticker = b.ticker;
        this.clock = b.clock;
        this.random = b.random;
        this.panicThreshold = b.panicThreshold;
        this.decayNanos = b.latencyDecay.toNanos();
        this.zones = b.localZone == null ? null : new ZoneRouting(b.localZone, b.failoverZones, b.overprovisioningFactor);
        this.maxInFlight = b.maxInFlightPerEndpoint;
        this.sources = List.copyOf(b.sources);
        this.scheduler = b.scheduler != null ? b.scheduler : SharedExecutors.timer();
        this.control = new SerialExecutor(b.controlExecutor != null ? b.controlExecutor : SharedExecutors.control(), service,
                this::rebuildIfChangedInTask);
        List<EndpointState> members = new ArrayList<>();
        long now = ticker.read();
        this.views = new Views(this, now);
        for (Endpoint e : b.endpoints == null ? List.<Endpoint>of() : b.endpoints) {
            members.add(new EndpointState(e, now, decayNanos));
        }
        // nobody else can see the balancer yet: the first snapshot is built right here
        this.connectionsEnabled = b.reconnectPolicy.enabled();
        // meters read in-flight counts; per-endpoint meters the latency estimates too
        this.meterTracking = b.meterRegistry == null ? 0
                : Selection.IN_FLIGHT | (b.perEndpointMeters > 0 ? Selection.MEASURED | Selection.TIMED : 0);
        Snapshot first = build(members, b.strategy, null);
        this.version = first.version();
        track(first.strategy());
        this.snapshot = first;
        this.connections = new ConnectionTracker(this, b.reconnectPolicy);
        this.outliers = new OutlierEngine(this, b.outlierEjection, !b.reconnectPolicy.enabled());
        this.events = new EventLog(this, b.eventListeners);
        this.meters = Meters.of(b.meterRegistry, b.perEndpointMeters, this);
        control.execute(outliers::start);
        control.execute(() -> {
            scheduleRebuilds(snapshot);
            meters.published(snapshot);
        });
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

    /** "SimpleName: message" of the real cause, for reasons and logs (never header values). */
    static String describe(Throwable error) {
        if (error == null) {
            return "failure";
        }
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        String msg = e.getMessage();
        return msg == null || msg.isEmpty() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + msg;
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
    public Clock clock() {
        return clock;
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    boolean isClosed() {
        return closed;
    }

    SerialExecutor control() {
        return control;
    }

    @Override
    public Selection pick() {
        return pick(PickContext.NONE);
    }

    @Override
    public Selection pick(PickContext context) {
        // small on purpose: the JIT inlines it into the caller, where escape analysis then sees the
        // selection's whole life. A strategy that reads load or latency, or a limit, takes
        // chooseApart, which is never inlined (see there): its picker compiled in here would make
        // this method too big to inline, and every selection would be allocated.
        Snapshot s = snapshot;
        int t = tracking;
        long now = (t & Selection.TIMED) != 0 ? ticker.read() : 0;
        EndpointState state = (t & Selection.APART) != 0 ? chooseApart(s, t, context, now) : choose(s, t, context, now);
        return new Selection(this, state, now, t);
    }

    /** The endpoint for one pick, counted as {@code t} says, when it has no limit and a small picker. */
    private EndpointState choose(Snapshot s, int t, PickContext context, long now) {
        EndpointState state = picked(s, t, context, now);
        if ((t & Selection.IN_FLIGHT) != 0) {
            state.started();
        }
        if ((t & Selection.PENDING) != 0) {
            state.pendingStarted(now);
        }
        return state;
    }

    /** The picker's choice, picked around if the caller avoids it. */
    private EndpointState picked(Snapshot s, int t, PickContext context, long now) {
        Picker picker = s.picker();
        if (picker == null) {
            throw noEndpoint(s);
        }
        EndpointState state = (t & Selection.TIMED) != 0 ? picker.pick(context, now) : picker.pick(context);
        return context.avoids(state.endpoint()) ? pickAround(s, picker, context, state) : state;
    }

    /**
     * {@link #choose} for a balancer whose strategy reads load or latency, or that has a limit
     * ({@link Selection#APART}). It holds the whole path of a pick at its limit, so that its
     * bytecode is larger than C2 inlines (FreqInlineSize, 325 bytes; DefaultBalancerShapeTest
     * keeps it so): it is compiled on its own with the picker inlined into it, and {@link #pick}
     * stays small enough to inline into its caller. The cost is one call per pick.
     */
    private EndpointState chooseApart(Snapshot s, int t, PickContext context, long now) {
        EndpointState state = picked(s, t, context, now);
        if (maxInFlight == 0) {
            if ((t & Selection.IN_FLIGHT) != 0) {
                state.started();
            }
        } else if (!state.tryStart(maxInFlight)) {
            // at its limit: the picker is asked again with the full ones avoided too (so that a hash
            // key walks on along its ring), then every pickable endpoint is tried, those the caller
            // avoids last; if none has room, the pick fails fast
            atLimitSkips.increment();
            Set<Endpoint> avoid = new HashSet<>(context.avoid());
            avoid.add(state.endpoint());
            EndpointState found = null;
            for (int i = 0; i < AVOID_REPICKS && found == null; i++) {
                PickContext.Builder again = PickContext.builder().avoid(avoid);
                if (context.hasHashKey()) {
                    again.hashKey(context.hashKey());
                }
                EndpointState candidate = s.picker().pick(again.build());
                if (!avoid.contains(candidate.endpoint())) {
                    if (candidate.tryStart(maxInFlight)) {
                        found = candidate;
                    } else {
                        avoid.add(candidate.endpoint());
                    }
                }
            }
            if (found == null) {
                found = scan(s, context, maxInFlight);
            }
            if (found == null && !context.avoid().isEmpty()) {
                found = scan(s, PickContext.NONE, maxInFlight); // only avoided ones have room: a repeat beats no answer
            }
            if (found == null) {
                atLimitRejections.increment();
                int fullCount = 0;
                for (EndpointState st : s.pickable()) {
                    if (st.inFlight() >= maxInFlight) {
                        fullCount++;
                    }
                }
                throw new EndpointsAtLimitException(service, "'" + service + "': all " + s.pickable().size()
                        + " pickable endpoints are at maxInFlightPerEndpoint " + maxInFlight + " (" + fullCount
                        + " full; " + s.members().size() + " known, " + s.eligible().size()
                        + " eligible); failing fast", maxInFlight, fullCount);
            }
            state = found;
        }
        if ((t & Selection.PENDING) != 0) {
            state.pendingStarted(now);
        }
        return state;
    }

    private EndpointState pickAround(Snapshot s, Picker picker, PickContext context, EndpointState first) {
        for (int i = 0; i < AVOID_REPICKS; i++) {
            EndpointState again = picker.pick(context);
            if (!context.avoids(again.endpoint())) {
                return again;
            }
        }
        EndpointState found = scan(s, context, 0);
        return found != null ? found : first; // everything is avoided: a repeat beats no answer
    }

    /**
     * A pickable endpoint that {@code context} does not avoid (and, with {@code limit > 0}, that
     * had room: it is then counted as started), level by level, from a random start within each;
     * null if none.
     */
    private EndpointState scan(Snapshot s, PickContext context, int limit) {
        List<EndpointState> pickable = s.pickable();
        int from = 0;
        for (int end : s.levelEnds()) {
            int n = end - from;
            if (n > 0) {
                int start = random.nextInt(n);
                for (int i = 0; i < n; i++) {
                    EndpointState candidate = pickable.get(from + (start + i) % n);
                    if (!context.avoids(candidate.endpoint()) && (limit == 0 || candidate.tryStart(limit))) {
                        return candidate;
                    }
                }
            }
            from = end;
        }
        return null;
    }

    @Override
    public int maxInFlightPerEndpoint() {
        return maxInFlight;
    }

    @Override
    public long atLimitSkipCount() {
        return atLimitSkips.sum();
    }

    @Override
    public long atLimitRejectionCount() {
        return atLimitRejections.sum();
    }

    @Override
    public java.util.Optional<String> localZone() {
        return java.util.Optional.ofNullable(zones == null ? null : zones.local());
    }

    private RuntimeException noEndpoint(Snapshot s) {
        if (closed) {
            return new IllegalStateException("balancer '" + service + "' is closed");
        }
        StringBuilder msg = new StringBuilder("no endpoint for '").append(service).append("': ")
                .append(s.members().size()).append(" known, ").append(s.eligible().size()).append(" eligible");
        if (s.members().isEmpty()) {
            msg.append(sources.isEmpty() ? " (the list is empty)" : " (no list from the source yet, or it is empty)");
        } else if (s.drainedCount() == s.members().size()) {
            msg.append(" (all ").append(s.drainedCount()).append(" drained: weight 0)");
        } else {
            msg.append(" (").append(breakdown(s)).append(")");
            if (panicThreshold == 0) {
                msg.append("; panic mode is disabled");
            }
        }
        return new NoAvailableEndpointException(service, msg.toString());
    }

    /** "2 excluded by health-check, 1 by connection for up to 3s more, 1 drained (weight 0)". */
    private String breakdown(Snapshot s) {
        Instant now = clock.instant();
        List<String> why = new ArrayList<>(4);
        boolean firstOwner = true;
        for (Map.Entry<String, Integer> e : s.excludedCountByOwner().entrySet()) {
            long maxLeft = 0;
            for (EndpointState st : s.members()) {
                for (Exclusion x : s.exclusions(st.endpoint())) {
                    if (x.owner().equals(e.getKey()) && x.until().isPresent()) {
                        maxLeft = Math.max(maxLeft, Duration.between(now, x.until().get()).toMillis());
                    }
                }
            }
            String left = maxLeft > 0 ? " for up to " + Math.max(1, TimeUnit.MILLISECONDS.toSeconds(maxLeft)) + "s more" : "";
            why.add(e.getValue() + (firstOwner ? " excluded by " : " by ") + e.getKey() + left);
            firstOwner = false;
        }
        if (s.drainedCount() > 0) {
            why.add(s.drainedCount() + " drained (weight 0)");
        }
        return String.join(", ", why);
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

    boolean hasSources() {
        return !sources.isEmpty();
    }

    @Override
    public BalancerView view() {
        return views.take();
    }

    @Override
    public void addEventListener(BalancerEventListener listener) {
        events.addListener(notNull(listener, "listener"));
    }

    @Override
    public void removeEventListener(BalancerEventListener listener) {
        events.removeListener(listener);
    }

    EventLog events() {
        return events;
    }

    double panicThreshold() {
        return panicThreshold;
    }

    /** An owner ends an exclusion for {@code reason} (null: none given); read when the change is published. */
    void noteInclusion(String owner, Endpoint endpoint, String reason) {
        events.noteInclusion(owner, endpoint, reason);
    }

    /** Endpoints in the list a source delivered last (accepted or not); -1 before any. */
    int lastSourceListSize() {
        return lastSourceListSize;
    }

    // ---- writing: everything below runs on the control executor

    @Override
    public void update(Collection<Endpoint> endpoints) {
        notNull(endpoints, "endpoints");
        List<Endpoint> list = new ArrayList<>(endpoints.size());
        int i = 0;
        for (Endpoint e : endpoints) {
            list.add(notNull(e, "endpoints[" + i++ + "]"));
        }
        checkNoDuplicates(list);
        control.call(() -> {
            applyUpdate(list);
            return null;
        });
    }

    private void applyUpdate(List<Endpoint> list) {
        checkOpen();
        Snapshot old = snapshot;
        long now = ticker.read();
        List<EndpointState> members = new ArrayList<>(list.size());
        boolean changed = list.size() != old.members().size();
        // a first list finds no state to keep: no lookup per endpoint (each a cache miss or two at 100,000)
        boolean none = old.members().isEmpty();
        for (int j = 0; j < list.size(); j++) {
            Endpoint e = list.get(j);
            EndpointState st = none ? null : old.member(e);
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
            return;
        }
        // build the picker before touching live state: a strategy that rejects the list leaves all as it was
        Snapshot next = build(members, old.strategy(), list);
        List<BalancerEvent> listEvents = events.listEvents(old, next, members, list);
        for (int j = 0; j < list.size(); j++) {
            members.get(j).endpoint(list.get(j));
        }
        publish(old, next, listEvents);
    }

    @Override
    public void strategy(Strategy strategy) {
        notNull(strategy, "strategy");
        control.call(() -> {
            checkOpen();
            Snapshot old = snapshot;
            publish(old, build(old.members(), strategy, null), List.of());
            return null;
        });
    }

    @Override
    public ExclusionSet newExclusions(String owner) {
        notNull(owner, "owner");
        if (owner.isBlank()) {
            throw new IllegalArgumentException("owner: '" + owner + "' (expected: not blank)");
        }
        checkOpen();
        ExclusionSet set = new ExclusionSet(this, owner);
        owners.add(set);
        return set;
    }

    /**
     * An owner changed its exclusions: one rebuild soon, however many changes come meanwhile. A
     * change made by a control task is published right after that task, before anything queued
     * behind it (so that {@link #flush()} after a reported failure sees its exclusion).
     */
    void exclusionsChanged() {
        if (control.inExecutor()) {
            changedInTask = true;
        } else if (rebuildPending.compareAndSet(false, true)) {
            control.execute(this::rebuildForExclusions);
        }
    }

    private void rebuildIfChangedInTask() {
        if (changedInTask) {
            changedInTask = false;
            rebuildForExclusions();
        }
    }

    void ownerClosed(ExclusionSet set) {
        owners.remove(set);
        exclusionsChanged();
    }

    private void rebuildForExclusions() {
        rebuildPending.set(false); // first: a change from now on schedules another rebuild
        changedInTask = false;
        if (closed) {
            return;
        }
        Snapshot old = snapshot;
        if (old.sameExclusions(owners)) {
            return; // an earlier rebuild already took these changes in
        }
        Snapshot next;
        try {
            next = build(old.members(), old.strategy(), null);
        } catch (RuntimeException e) {
            log.error("'{}': strategy {} failed to build a picker after an exclusion change; keeping the last snapshot",
                    service, old.strategy().name(), e);
            return;
        }
        publish(old, next, List.of());
    }

    @Override
    public CompletableFuture<Snapshot> flush() {
        CompletableFuture<Snapshot> done = new CompletableFuture<>();
        control.execute(() -> done.complete(snapshot));
        return done;
    }

    private void publish(Snapshot old, Snapshot next, List<BalancerEvent> listEvents) {
        version = next.version();
        track(next.strategy());
        snapshot = next;
        if (next.strategy() != rebuilding) {
            scheduleRebuilds(next);
        }
        List<BalancerEvent> published = events.published(old, next, listEvents);
        if (EventLog.anyRemoved(listEvents)) {
            Map<Endpoint, EndpointState> byEndpoint = new HashMap<>(next.members().size() * 2);
            for (EndpointState st : next.members()) {
                byEndpoint.put(st.endpoint(), st);
            }
            for (ExclusionSet set : owners) {
                set.retainMembers(byEndpoint);
            }
            events.retain(byEndpoint);
            outliers.retain(byEndpoint);
            connections.retain(byEndpoint);
        }
        meters.published(next);
        for (Consumer<Snapshot> l : snapshotListeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                log.warn("'{}': snapshot listener {} failed", service, l, e);
            }
        }
        events.emit(published, old.members().size(), next.members().size());
    }

    /** A source's event: published on the control executor, in order with the snapshots. */
    private void sourceEvent(BalancerEvent.Kind kind, String reason, String message) {
        control.execute(() -> {
            if (!closed) {
                events.emit(List.of(events.event(kind, clock.instant(), snapshot.version(), null, null, reason, null, message)),
                        0, 0);
            }
        });
    }

    /** The panic sentence of logs and views: the eligible share against the threshold, and why. */
    String describePanic(Snapshot s) {
        int weighted = s.members().size() - s.drainedCount();
        if (weighted == 0) {
            return s.members().isEmpty() ? "no endpoints" : "all " + s.drainedCount() + " endpoints drained (weight 0)";
        }
        StringBuilder b = new StringBuilder().append(s.eligible().size()).append(" of ").append(weighted)
                .append(weighted == 1 ? " endpoint" : " endpoints").append(" of weight > 0 eligible");
        if (panicThreshold == 0) {
            b.append(" (panic mode disabled)");
        } else if (s.panic()) {
            b.append(", under the threshold ").append(panicThreshold).append(": picking among all ").append(weighted);
        } else {
            b.append(" (threshold ").append(panicThreshold).append(")");
        }
        String why = breakdown(s);
        if (!why.isEmpty()) {
            b.append(s.panic() ? " (" : "; ").append(why).append(s.panic() ? ")" : "");
        }
        return b.toString();
    }

    /**
     * Builds a snapshot from the owners' current exclusions; {@code pendingEndpoints}, when not
     * null, are the attributes the members are about to take (weights decide eligibility before
     * they are written to the live state).
     */
    private Snapshot build(List<EndpointState> members, Strategy strategy, List<Endpoint> pendingEndpoints) {
        int n = members.size();
        Snapshot current = snapshot;
        // an update always passes a new member list, even with the same endpoints
        boolean sameMembers = pendingEndpoints == null && current != null && members == current.members();
        Map<Endpoint, Integer> positions;
        Endpoint[] endpoints;
        int[] weights;
        int drained;
        if (sameMembers) {
            // an exclusion change, a strategy switch or rebuild: same members, so the same positions,
            // endpoints and weights; nothing below reads a member's state (at n = 100,000 a cache miss each)
            positions = current.memberIndex();
            endpoints = current.memberEndpoints();
            weights = current.memberWeights();
            drained = current.drainedCount();
        } else {
            Map<Endpoint, Integer> index = new HashMap<>(n * 2);
            endpoints = new Endpoint[n];
            weights = new int[n];
            drained = 0;
            for (int i = 0; i < n; i++) {
                Endpoint e = pendingEndpoints != null ? pendingEndpoints.get(i) : members.get(i).endpoint();
                endpoints[i] = e;
                index.put(e, i);
                weights[i] = e.weight();
                if (weights[i] == 0) {
                    drained++;
                }
            }
            positions = Collections.unmodifiableMap(index);
        }
        Map<Endpoint, List<Exclusion>> exclusions = new HashMap<>();
        Map<String, Integer> byOwner = new LinkedHashMap<>();
        for (ExclusionSet set : owners) {
            if (set.isEmpty()) {
                continue;
            }
            set.forEach((e, x) -> {
                if (positions.containsKey(e)) {
                    exclusions.computeIfAbsent(e, k -> new ArrayList<>(2)).add(x);
                    byOwner.merge(set.owner(), 1, Integer::sum);
                }
            });
        }
        exclusions.replaceAll((e, list) -> List.copyOf(list));
        boolean[] excluded = null;
        if (!exclusions.isEmpty()) {
            excluded = new boolean[n];
            for (Endpoint e : exclusions.keySet()) {
                excluded[positions.get(e)] = true;
            }
        }
        int withWeight = n - drained;
        // typed arrays, not lists: a load from an EndpointState[] needs no cast, a cast reads the
        // object's header (at n = 100,000 a cache miss per member); a picker copies them without a
        // type check per element for the same reason
        EndpointState[] all = sameMembers ? current.memberArray() : members.toArray(new EndpointState[0]);
        EndpointState[] eligibleArray = new EndpointState[withWeight];
        EndpointState[] weightedArray = new EndpointState[withWeight];
        // their weights beside them (StateList), so that a strategy reads no state for them either
        int[] eligibleWeights = new int[withWeight];
        int[] weightedWeights = new int[withWeight];
        int eligibleCount = 0;
        int weightedCount = 0;
        // what zone routing needs besides: the endpoints of the members with weight, and which are eligible
        List<Endpoint> weightedEndpoints = zones == null ? null : new ArrayList<>(withWeight);
        boolean[] isEligible = zones == null ? null : new boolean[withWeight];
        for (int i = 0; i < n; i++) {
            int w = weights[i];
            if (w == 0) {
                continue;
            }
            EndpointState st = all[i];
            if (excluded == null || !excluded[i]) {
                if (isEligible != null) {
                    isEligible[weightedCount] = true;
                }
                eligibleWeights[eligibleCount] = w;
                eligibleArray[eligibleCount++] = st;
            }
            weightedWeights[weightedCount] = w;
            weightedArray[weightedCount++] = st;
            if (weightedEndpoints != null) {
                weightedEndpoints.add(endpoints[i]);
            }
        }
        List<EndpointState> eligible = new StateList(eligibleArray, eligibleWeights, eligibleCount);
        List<EndpointState> weighted = new StateList(weightedArray, weightedWeights, weightedCount);
        boolean panic;
        List<EndpointState> pickable;
        Picker picker;
        List<ZoneLoad> zoneLoads = List.of();
        int[] levelEnds;
        if (zones == null) {
            panic = !weighted.isEmpty() && panicThreshold > 0 && eligible.size() < panicThreshold * weighted.size();
            pickable = panic ? weighted : eligible; // unmodifiable StateLists
            picker = pickable.isEmpty() ? null : strategy.newPicker(pickable, this);
            levelEnds = new int[] {pickable.size()};
        } else {
            ZoneRouting.Plan plan = zones.plan(weighted, weightedEndpoints, isEligible, panicThreshold, strategy, this, random);
            panic = plan.panic;
            pickable = plan.pickable;
            picker = plan.picker;
            zoneLoads = plan.loads;
            levelEnds = plan.levelEnds;
        }
        List<EndpointState> memberList = sameMembers ? members : new StateList(all, weights, n);
        return new Snapshot(version + 1, memberList, all, positions, endpoints, weights, Collections.unmodifiableMap(exclusions),
                Collections.unmodifiableMap(byOwner), eligible, pickable,
                panic, strategy, picker, drained, zoneLoads, levelEnds);
    }

    /**
     * Keeps one repeating rebuild for the current strategy when it asks for one
     * ({@link Strategy#rebuildInterval()}); control executor only.
     */
    private void scheduleRebuilds(Snapshot current) {
        Strategy strategy = current.strategy();
        if (strategy == rebuilding || closed) {
            return;
        }
        if (rebuildTask != null) {
            rebuildTask.cancel(false);
            rebuildTask = null;
        }
        rebuilding = strategy;
        java.time.Duration every = strategy.rebuildInterval();
        if (every != null && !every.isZero() && !every.isNegative()) {
            rebuildTask = scheduleRepeating(this::rebuildForStrategy, every.toNanos());
        }
    }

    private void rebuildForStrategy() {
        Snapshot old = snapshot;
        if (closed || old.strategy() != rebuilding || old.pickable().isEmpty()) {
            return;
        }
        Snapshot next;
        try {
            next = build(old.members(), old.strategy(), null);
        } catch (RuntimeException e) {
            log.error("'{}': strategy {} failed to rebuild its picker; keeping the last snapshot", service, old.strategy().name(), e);
            return;
        }
        publish(old, next, List.of());
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("balancer '" + service + "' is closed");
        }
    }

    Future<?> schedule(Runnable controlTask, long delayNanos) {
        return scheduler.schedule(() -> control.execute(controlTask), delayNanos, TimeUnit.NANOSECONDS);
    }

    Future<?> scheduleRepeating(Runnable controlTask, long periodNanos) {
        return scheduler.scheduleWithFixedDelay(() -> control.execute(controlTask), periodNanos, periodNanos,
                TimeUnit.NANOSECONDS);
    }

    // ---- outcomes and listeners

    /** Recomputes {@link #tracking} after a listener change (a strategy change does it in {@link #publish}). */
    private void retrack() {
        track(null);
    }

    /**
     * Recomputes {@link #tracking} for {@code strategy} (null: the last one given), under one lock,
     * so that a listener added while a snapshot is published is never lost from it.
     */
    private synchronized void track(Strategy strategy) {
        if (strategy != null) {
            trackedStrategy = strategy;
        }
        tracking = composeTracking(trackedStrategy);
    }

    private int composeTracking(Strategy strategy) {
        int needs = Bookkeeping.mask(strategy.bookkeeping());
        int t = meterTracking;
        if ((needs & Bookkeeping.IN_FLIGHT.bit()) != 0 || maxInFlight > 0) {
            t |= Selection.IN_FLIGHT;
        }
        if ((needs & (Bookkeeping.IN_FLIGHT.bit() | Bookkeeping.LATENCY.bit())) != 0 || maxInFlight > 0) {
            t |= Selection.APART; // a picker that reads load or latency, or a limit: see chooseApart
        }
        if ((needs & Bookkeeping.LATENCY.bit()) != 0) {
            t |= Selection.MEASURED | Selection.TIMED;
        }
        if ((needs & Bookkeeping.PENDING_TIMES.bit()) != 0) {
            t |= Selection.PENDING | Selection.TIMED;
        }
        if (outcomeListeners.length != 0) {
            t |= Selection.LISTENED | Selection.TIMED;
        }
        return t;
    }

    /** A success's judgement, on the caller's thread: small, so that it inlines into {@code Selection.success}. */
    void succeeded(EndpointState st) {
        if (connectionsEnabled) {
            st.connected();
        }
        outliers.onSuccess(st);
    }

    /**
     * A failure, connection failure or cancellation: counted, recorded for the view, judged;
     * returns the outcome as judged (a failure at connection level counts as a connection failure).
     */
    Selection.Outcome completedOther(EndpointState st, Selection.Outcome outcome, Throwable cause, long latencyNanos,
                                     long nowNanos, boolean measured) {
        if (outcome.isFailure()) {
            st.failed(measured, latencyNanos, nowNanos);
        }
        if (connections.enabled() && (outcome == Selection.Outcome.CONNECTION_FAILURE
                || (outcome == Selection.Outcome.FAILURE && ConnectionTracker.isConnectionLevel(cause)))) {
            connections.onConnectionFailure(st, cause);
            outcome = Selection.Outcome.CONNECTION_FAILURE;
        }
        st.noteOther(outcome, cause, nowNanos);
        outliers.onOutcome(st, outcome, cause);
        return outcome;
    }

    /** Tells the outcome listeners; only for selections picked while there were some. */
    void tellListeners(Selection selection, Selection.Outcome outcome, Throwable cause, long latencyNanos) {
        for (OutcomeListener l : outcomeListeners) {
            try {
                l.onOutcome(selection, outcome, cause, latencyNanos);
            } catch (RuntimeException e) {
                log.warn("'{}': outcome listener {} failed", service, l, e);
            }
        }
    }

    @Override
    public synchronized void addOutcomeListener(OutcomeListener listener) {
        notNull(listener, "listener");
        OutcomeListener[] old = outcomeListeners;
        OutcomeListener[] next = java.util.Arrays.copyOf(old, old.length + 1);
        next[old.length] = listener;
        outcomeListeners = next;
        retrack();
    }

    @Override
    public synchronized void removeOutcomeListener(OutcomeListener listener) {
        List<OutcomeListener> list = new ArrayList<>(List.of(outcomeListeners));
        list.remove(listener);
        outcomeListeners = list.toArray(NO_LISTENERS);
        retrack();
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

    // ---- OutlierControl (lb-health's OutlierDetector)

    @Override
    public OutlierEjection outlierEjection() {
        return outliers.config();
    }

    @Override
    public void outlierEjection(OutlierEjection config) {
        notNull(config, "config");
        control.call(() -> {
            outliers.configure(config);
            return null;
        });
    }

    @Override
    public void endEjection(Endpoint endpoint, long probeStartNanos, String reason) {
        control.execute(() -> outliers.endEjection(endpoint, probeStartNanos, reason));
    }

    @Override
    public long ejectionCount() {
        return outliers.ejectionCount();
    }

    @Override
    public long returnCount() {
        return outliers.returnCount();
    }

    @Override
    public long skippedEjectionCount() {
        return outliers.skippedEjectionCount();
    }

    @Override
    public int ejectedCount() {
        return outliers.ejectedCount();
    }

    @Override
    public int ejectionMultiplier(Endpoint endpoint) {
        return outliers.multiplier(endpoint);
    }

    @Override
    public boolean attachFront(Object front) {
        return outlierFront.compareAndSet(null, notNull(front, "front"));
    }

    @Override
    public void detachFront(Object front) {
        outlierFront.compareAndSet(front, null);
    }

    // ---- lifecycle

    @Override
    public void close() {
        boolean first = control.call(() -> {
            if (closed) {
                return false;
            }
            closed = true;
            // picks see the closed state through the one volatile read they already do
            version++;
            snapshot = snapshot.closed(version);
            outliers.close();
            connections.close();
            if (rebuildTask != null) {
                rebuildTask.cancel(false);
            }
            meters.close();
            return true;
        });
        if (!first) {
            return;
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
            lastSourceListSize = endpoints == null ? 0 : endpoints.size();
            try {
                update(endpoints);
            } catch (RuntimeException e) {
                onError(e);
                return;
            }
            if (sourceFailing.getAndSet(false)) {
                String reason = endpoints.size() + " endpoints";
                sourceEvent(BalancerEvent.Kind.SOURCE_RECOVERED, reason, "source " + source + " recovered: " + reason);
            }
            ready.complete(DefaultBalancer.this);
        }

        @Override
        public void onError(Throwable cause) {
            if (closed) {
                return;
            }
            sourceErrors.incrementAndGet();
            if (!sourceFailing.getAndSet(true)) {
                String reason = String.valueOf(cause);
                sourceEvent(BalancerEvent.Kind.SOURCE_FAILED, reason, "source " + source + " failed, keeping the last "
                        + snapshot.members().size() + " endpoints: " + reason);
            } else {
                log.debug("'{}': source {} still failing: {}", service, source, String.valueOf(cause));
            }
        }
    }
}
