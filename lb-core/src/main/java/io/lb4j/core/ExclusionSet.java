package io.lb4j.core;

import static io.lb4j.core.internal.Checks.notNegative;
import static io.lb4j.core.internal.Checks.notNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link Exclusions} of one owner: the owner's own map is the only record of what it
 * excludes; the balancer reads it when it rebuilds a snapshot. Changes never block: they mark
 * the balancer for a rebuild on its control executor.
 */
final class ExclusionSet implements Exclusions {
    private final DefaultBalancer balancer;
    private final String owner;
    private final ConcurrentHashMap<Endpoint, Exclusion> excluded = new ConcurrentHashMap<>();
    private volatile boolean closed;

    ExclusionSet(DefaultBalancer balancer, String owner) {
        this.balancer = balancer;
        this.owner = owner;
    }

    @Override
    public String owner() {
        return owner;
    }

    @Override
    public boolean exclude(Endpoint endpoint, String reason) {
        return put(endpoint, reason, null);
    }

    @Override
    public boolean exclude(Endpoint endpoint, String reason, Duration expected) {
        return put(endpoint, reason, notNegative(expected, "expected"));
    }

    private boolean put(Endpoint endpoint, String reason, Duration expected) {
        notNull(endpoint, "endpoint");
        notNull(reason, "reason");
        if (closed || balancer.isClosed() || balancer.snapshot().member(endpoint) == null) {
            return false;
        }
        Instant now = balancer.clock().instant();
        Instant until = expected == null ? null : now.plus(expected);
        boolean[] changed = new boolean[1];
        excluded.compute(endpoint, (e, old) -> {
            if (old != null && old.reason().equals(reason)) {
                return old; // a repeated verdict changes nothing, however long it is now expected to last
            }
            changed[0] = true;
            // a new reason for an endpoint already out keeps the time it went out
            return new Exclusion(owner, reason, old == null ? now : old.since(), until);
        });
        if (closed) {
            excluded.remove(endpoint); // closed meanwhile: close() may have cleared before our put
            return false;
        }
        if (changed[0]) {
            balancer.exclusionsChanged();
        }
        return changed[0];
    }

    @Override
    public boolean include(Endpoint endpoint) {
        notNull(endpoint, "endpoint");
        if (excluded.remove(endpoint) == null) {
            return false;
        }
        balancer.exclusionsChanged();
        return true;
    }

    @Override
    public boolean excludes(Endpoint endpoint) {
        return endpoint != null && excluded.containsKey(endpoint);
    }

    @Override
    public Set<Endpoint> excluded() {
        return Set.copyOf(excluded.keySet());
    }

    /** This owner's exclusion of {@code endpoint}, or null. */
    Exclusion get(Endpoint endpoint) {
        return excluded.get(endpoint);
    }

    void forEach(java.util.function.BiConsumer<Endpoint, Exclusion> action) {
        excluded.forEach(action);
    }

    int size() {
        return excluded.size();
    }

    boolean isEmpty() {
        return excluded.isEmpty();
    }

    /** Forgets endpoints that left the list; called by the balancer while it rebuilds. */
    void retainMembers(java.util.Map<Endpoint, EndpointState> members) {
        if (!excluded.isEmpty()) {
            excluded.keySet().removeIf(e -> !members.containsKey(e));
        }
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        excluded.clear();
        balancer.ownerClosed(this);
    }

    @Override
    public String toString() {
        return "Exclusions{" + owner + ", " + excluded.keySet() + "}";
    }
}
