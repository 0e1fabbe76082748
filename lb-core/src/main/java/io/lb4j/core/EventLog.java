package io.lb4j.core;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A balancer's {@link BalancerEvent}s: made on the control executor by comparing each published
 * snapshot with the one before, logged once on {@code io.lb4j.core.Balancer} (a list update as
 * one line), kept for views (the latest {@value BalancerView#RECENT_EVENTS}) and handed to the
 * listeners. The owners' reasons for ending an exclusion wait here until the snapshot without
 * it is published.
 */
final class EventLog {
    private static final Logger log = LoggerFactory.getLogger(Balancer.class);
    /** List changes named in one log line at most; the rest are counted. */
    private static final int LOGGED_LIST_CHANGES = 20;

    private final DefaultBalancer balancer;
    private final String service;
    private final Clock clock;
    private final List<BalancerEventListener> eventListeners = new CopyOnWriteArrayList<>();
    private final ArrayDeque<BalancerEvent> recentEvents = new ArrayDeque<>(); // guarded by itself
    /** Why an owner ended an exclusion, until the snapshot without it is published. */
    private final Map<InclusionKey, String> inclusionReasons = new ConcurrentHashMap<>();

    EventLog(DefaultBalancer balancer, List<BalancerEventListener> listeners) {
        this.balancer = balancer;
        this.service = balancer.service();
        this.clock = balancer.clock();
        this.eventListeners.addAll(listeners);
    }

    void addListener(BalancerEventListener listener) {
        eventListeners.add(listener);
    }

    void removeListener(BalancerEventListener listener) {
        eventListeners.remove(listener);
    }

    /** The latest events, oldest first. */
    List<BalancerEvent> recent() {
        synchronized (recentEvents) {
            return List.copyOf(recentEvents);
        }
    }

    /** Forgets pending inclusion reasons of endpoints that left the list. */
    void retain(Map<Endpoint, EndpointState> members) {
        inclusionReasons.keySet().removeIf(k -> !members.containsKey(k.endpoint()));
    }

    /**
     * The events of publishing {@code next} after {@code old}: {@code listEvents} (of a list
     * update), then exclusions and their ends, a panic transition, a strategy switch.
     */
    List<BalancerEvent> published(Snapshot old, Snapshot next, List<BalancerEvent> listEvents) {
        List<BalancerEvent> events = new ArrayList<>(listEvents);
        Instant now = clock.instant();
        exclusionEvents(old, next, now, events);
        if (next.panic() != old.panic()) {
            String why = balancer.describePanic(next);
            events.add(event(next.panic() ? BalancerEvent.Kind.PANIC_ENTERED : BalancerEvent.Kind.PANIC_LEFT, now,
                    next.version(), null, null, why, null, (next.panic() ? "entered panic mode: " : "left panic mode: ") + why));
        }
        if (next.strategy() != old.strategy()) {
            String change = old.strategy() + " -> " + next.strategy();
            events.add(event(BalancerEvent.Kind.STRATEGY_CHANGED, now, next.version(), null, null, change, null,
                    "strategy " + change));
        }
        return events;
    }

    private static boolean isListChange(BalancerEvent e) {
        return e.kind() == BalancerEvent.Kind.ADDED || e.kind() == BalancerEvent.Kind.REMOVED
                || e.kind() == BalancerEvent.Kind.UPDATED;
    }

    static boolean anyRemoved(List<BalancerEvent> listEvents) {
        for (BalancerEvent e : listEvents) {
            if (e.kind() == BalancerEvent.Kind.REMOVED) {
                return true;
            }
        }
        return false;
    }

    /** ADDED, UPDATED and REMOVED events of a list update; the members still have their old attributes. */
    List<BalancerEvent> listEvents(Snapshot old, Snapshot next, List<EndpointState> members, List<Endpoint> list) {
        List<BalancerEvent> events = new ArrayList<>();
        Instant now = clock.instant();
        long v = next.version();
        boolean none = old.members().isEmpty();
        for (int j = 0; j < list.size(); j++) {
            Endpoint e = list.get(j);
            EndpointState st = members.get(j);
            if (none || old.member(e) != st) {
                String reason = "weight " + e.weight() + e.zone().map(z -> ", zone " + z).orElse("");
                events.add(event(BalancerEvent.Kind.ADDED, now, v, e, null, reason, null, e.authority() + " added (" + reason + ")"));
            } else if (!st.endpoint().sameAttributes(e)) {
                String reason = attributeChanges(st.endpoint(), e);
                events.add(event(BalancerEvent.Kind.UPDATED, now, v, e, null, reason, null, e.authority() + " updated: " + reason));
            }
        }
        for (EndpointState st : old.members()) {
            if (next.member(st.endpoint()) != st) {
                List<Exclusion> was = old.exclusions(st.endpoint());
                String reason = was.isEmpty() ? "no longer listed" : "no longer listed; it was excluded by " + owners(was);
                events.add(event(BalancerEvent.Kind.REMOVED, now, v, st.endpoint(), null, reason, null,
                        st.endpoint().authority() + " removed (" + reason + ")"));
            }
        }
        return events;
    }

    private static String attributeChanges(Endpoint before, Endpoint after) {
        List<String> changes = new ArrayList<>(3);
        if (before.weight() != after.weight()) {
            changes.add("weight " + before.weight() + " -> " + after.weight()
                    + (after.weight() == 0 ? " (drained)" : before.weight() == 0 ? " (no longer drained)" : ""));
        }
        if (!before.zone().equals(after.zone())) {
            changes.add("zone " + before.zone().orElse("none") + " -> " + after.zone().orElse("none"));
        }
        if (!before.metadata().equals(after.metadata())) {
            changes.add("metadata " + before.metadata() + " -> " + after.metadata());
        }
        return String.join(", ", changes);
    }

    private static String owners(List<Exclusion> exclusions) {
        List<String> names = new ArrayList<>(exclusions.size());
        for (Exclusion x : exclusions) {
            names.add(x.owner());
        }
        return String.join(", ", names);
    }

    /** EXCLUDED, EXCLUSION_CHANGED and INCLUDED events: the owners' exclusions in {@code next} against {@code old}. */
    /**
     * The members whose exclusions may differ between the two snapshots, in member order: found
     * from the excluded endpoints alone when at most one changed (the usual single change costs
     * O(excluded), not O(n)), otherwise every member.
     */
    private static List<EndpointState> changedExclusions(Snapshot old, Snapshot next) {
        if (old.members() != next.members()) {
            return next.members();
        }
        EndpointState changed = null;
        java.util.Set<Endpoint> keys = new java.util.HashSet<>(old.exclusionMap().keySet());
        keys.addAll(next.exclusionMap().keySet());
        for (Endpoint e : keys) {
            if (!next.exclusions(e).equals(old.exclusions(e))) {
                if (changed != null) {
                    return next.members(); // several: in member order, as always
                }
                changed = next.member(e);
            }
        }
        return changed == null ? List.of() : List.of(changed);
    }

    private void exclusionEvents(Snapshot old, Snapshot next, Instant now, List<BalancerEvent> events) {
        if (old.excludedCount() == 0 && next.excludedCount() == 0) {
            return;
        }
        long v = next.version();
        for (EndpointState st : changedExclusions(old, next)) {
            Endpoint e = st.endpoint();
            List<Exclusion> after = next.exclusions(e);
            List<Exclusion> before = old.member(e) == st ? old.exclusions(e) : List.of();
            if (after.equals(before)) {
                continue;
            }
            for (Exclusion x : after) {
                if (before.contains(x)) {
                    continue;
                }
                boolean changed = sameExclusion(before, x) != null;
                String until = x.until().map(u -> " (until " + u + ")").orElse("");
                events.add(event(changed ? BalancerEvent.Kind.EXCLUSION_CHANGED : BalancerEvent.Kind.EXCLUDED, now, v, e,
                        x.owner(), x.reason(), x.until().orElse(null),
                        e.authority() + (changed ? " still excluded by " : " excluded by ") + x.owner() + ": " + x.reason() + until));
            }
            for (Exclusion y : before) {
                if (after.contains(y) || sameExclusion(after, y) != null) {
                    continue;
                }
                String reason = inclusionReasons.remove(new InclusionKey(y.owner(), e));
                if (reason == null) {
                    reason = "its exclusion ended";
                }
                String then = !after.isEmpty() ? "; still excluded by " + owners(after)
                        : st.weight() == 0 ? "; drained (weight 0)" : "; eligible again";
                events.add(event(BalancerEvent.Kind.INCLUDED, now, v, e, y.owner(), reason, null,
                        e.authority() + " no longer excluded by " + y.owner() + ": " + reason + then));
            }
        }
    }

    /** The exclusion in {@code list} by the same owner since the same time as {@code x} with another reason, or null. */
    private static Exclusion sameExclusion(List<Exclusion> list, Exclusion x) {
        for (Exclusion y : list) {
            if (y.owner().equals(x.owner()) && y.since().equals(x.since()) && !y.equals(x)) {
                return y;
            }
        }
        return null;
    }

    BalancerEvent event(BalancerEvent.Kind kind, Instant time, long v, Endpoint endpoint, String owner, String reason,
                        Instant until, String message) {
        return new BalancerEvent(kind, service, time, v, endpoint, owner, reason, until, message);
    }

    /** Logs the events (a list update as one line), keeps the latest for views, tells the listeners. */
    void emit(List<BalancerEvent> events, int oldSize, int newSize) {
        if (events.isEmpty()) {
            return;
        }
        // the list update first (it comes first in the events too), as one line
        List<String> listChanges = new ArrayList<>();
        for (BalancerEvent e : events) {
            if (isListChange(e)) {
                listChanges.add(e.message());
            }
        }
        if (!listChanges.isEmpty() && log.isInfoEnabled()) {
            int shown = Math.min(listChanges.size(), LOGGED_LIST_CHANGES);
            String more = listChanges.size() > shown ? "; and " + (listChanges.size() - shown) + " more" : "";
            log.info("'{}': list changed, {} -> {} endpoints: {}{}", service, oldSize, newSize,
                    String.join("; ", listChanges.subList(0, shown)), more);
        }
        for (BalancerEvent e : events) {
            switch (e.kind()) {
                case ADDED, REMOVED, UPDATED -> { } // logged above
                case EXCLUSION_CHANGED -> log.debug("'{}': {}", service, e.message());
                case PANIC_ENTERED, PANIC_LEFT, SOURCE_FAILED -> log.warn("'{}': {}", service, e.message());
                default -> log.info("'{}': {}", service, e.message());
            }
        }
        synchronized (recentEvents) {
            for (BalancerEvent e : events) {
                if (e.kind() == BalancerEvent.Kind.EXCLUSION_CHANGED) {
                    continue; // a view shows the current reason; a reconnect's every failed check would crowd out the rest
                }
                if (recentEvents.size() == BalancerView.RECENT_EVENTS) {
                    recentEvents.pollFirst();
                }
                recentEvents.addLast(e);
            }
        }
        for (BalancerEvent e : events) {
            for (BalancerEventListener l : eventListeners) {
                try {
                    l.onEvent(e);
                } catch (RuntimeException x) {
                    log.warn("'{}': event listener {} failed", service, l, x);
                }
            }
        }
    }

    /** An owner ends an exclusion for {@code reason} (null: none given); read when the change is published. */
    void noteInclusion(String owner, Endpoint endpoint, String reason) {
        InclusionKey key = new InclusionKey(owner, endpoint);
        if (reason == null) {
            inclusionReasons.remove(key);
        } else {
            inclusionReasons.put(key, reason);
        }
    }

    /** An owner's name and an endpoint: the key of a pending inclusion reason. */
    private record InclusionKey(String owner, Endpoint endpoint) {}
}
