package io.lb4j.strategies;

import io.lb4j.core.Bookkeeping;
import io.lb4j.core.EndpointState;
import io.lb4j.core.PickContext;
import io.lb4j.core.Picker;
import io.lb4j.core.Strategy;
import io.lb4j.core.StrategyContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;

/**
 * Consistent hashing on a ring of virtual nodes (ketama style), optionally with bounded loads
 * (Mirrokni, Thorup, Zadimoghaddam 2016).
 *
 * <p>A ring next to {@link MaglevStrategy}: on a ring, removing an endpoint moves exactly the keys it owned
 * and adding one takes keys only for itself, whereas Maglev's table refill also reshuffles a
 * few percent of the keys between survivors; and "the next endpoint" for bounded-load spill and
 * for retries is simply the next point on the ring. The price is a binary search per pick
 * (about 20 steps at a million points) instead of one table read.
 *
 * <p>The ring is one sorted {@code long[]} (see {@link Ring}): a lookup touches one array, and a
 * list change reuses the points of the endpoints that stayed. The last ring is kept per balancer
 * (in {@link StrategyContext#shared}) for that reuse.
 */
final class ConsistentHashStrategy implements Strategy {
    static final String NAME = "consistent-hash";
    static final int DEFAULT_VIRTUAL_NODES = 1024;
    static final double DEFAULT_BALANCE_FACTOR = 1.25;
    static final ConsistentHashStrategy DEFAULT =
            new ConsistentHashStrategy(DEFAULT_VIRTUAL_NODES, false, DEFAULT_BALANCE_FACTOR);
    /** Endpoint indexes live in the low 24 bits of a ring point. */
    static final int MAX_ENDPOINTS = 1 << 24;

    private static final int INDEX_BITS = Ring.SLOT_BITS;
    private static final long INDEX_MASK = Ring.SLOT_MASK;
    private static final Object RING_KEY = new Object();

    private static final Set<Bookkeeping> IN_FLIGHT_ONLY =
            java.util.Collections.unmodifiableSet(java.util.EnumSet.of(Bookkeeping.IN_FLIGHT));
    private final int virtualNodes;
    private final boolean boundedLoad;
    private final double balanceFactor;

    ConsistentHashStrategy(int virtualNodes, boolean boundedLoad, double balanceFactor) {
        this.virtualNodes = virtualNodes;
        this.boundedLoad = boundedLoad;
        this.balanceFactor = balanceFactor;
    }

    @Override
    public String name() {
        return NAME;
    }

    int virtualNodes() {
        return virtualNodes;
    }

    boolean boundedLoad() {
        return boundedLoad;
    }

    double balanceFactor() {
        return balanceFactor;
    }

    @Override
    public Picker newPicker(List<EndpointState> endpoints, StrategyContext context) {
        if (endpoints.size() > MAX_ENDPOINTS) {
            throw new IllegalArgumentException("endpoints: " + endpoints.size()
                    + " (expected: <= " + MAX_ENDPOINTS + " for consistent-hash)");
        }
        EndpointState[] states = endpoints.toArray(new EndpointState[0]);
        // pickers are built under the balancer's lock, so the previous ring is read and replaced by one thread
        AtomicReference<Ring> previous = context.shared(RING_KEY, AtomicReference::new);
        int[] weights = context.weights(endpoints);
        Ring built = previous.get();
        int[] gone = built == null ? null : built.missing(states, weights, virtualNodes);
        if (gone == null) {
            built = Ring.build(states, weights, virtualNodes, built);
            previous.set(built);
            gone = new int[0];
        }
        // a few of the endpoints the ring was built from gone (excluded, removed): the ring is kept
        // and their keys go on to the next point's endpoint, as on a ring without them (Gone)
        boolean[] missing = Gone.mask(built.bySlot.length, gone);
        // the ring names endpoints by slot; a slot table may have free (null) slots, never on the ring
        return boundedLoad
                ? new BoundedLoadPicker(built.bySlot, built.points, missing, context.random(), balanceFactor)
                : new RingPicker(built.bySlot, built.points, missing, context.random());
    }

    /** Bounded load reads in-flight counts; the plain ring reads nothing. */
    @Override
    public Set<Bookkeeping> bookkeeping() {
        return boundedLoad ? IN_FLIGHT_ONLY : Bookkeeping.NONE;
    }

    @Override
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("virtualNodes", Integer.toString(virtualNodes));
        if (boundedLoad) {
            settings.put("balanceFactor", Double.toString(balanceFactor));
        }
        return Collections.unmodifiableMap(settings);
    }

    @Override
    public String toString() {
        return NAME + "{virtualNodes=" + virtualNodes
                + (boundedLoad ? ", balanceFactor=" + balanceFactor : "") + "}";
    }

    static class RingPicker implements Picker {
        final EndpointState[] endpoints;
        final long[] ring;
        /** Null, or which slots are gone: never picked, their points served by the next point's endpoint. */
        final boolean[] missing;
        private final RandomGenerator random;

        RingPicker(EndpointState[] endpoints, long[] ring, boolean[] missing, RandomGenerator random) {
            this.endpoints = endpoints;
            this.ring = ring;
            this.missing = missing;
            this.random = random;
        }

        @Override
        public EndpointState pick(PickContext context) {
            // without a key, a random point: a weighted random pick that still respects bounded load
            long hash = context.hasHashKey() ? context.hash() : random.nextLong();
            return pickAt(point(hash), context);
        }

        EndpointState pickAt(int point, PickContext context) {
            if (context.avoid().isEmpty()) {
                int i = owner(point);
                return endpoints[missing == null || !missing[i] ? i : owner(live(point))];
            }
            // a retry goes to the next endpoint on the ring, as a key would after its owner left
            int first = point;
            for (int step = 0; step < ring.length; step++) {
                int i = owner(point);
                if ((missing == null || !missing[i]) && !context.avoids(endpoints[i].endpoint())) {
                    return endpoints[i];
                }
                point = next(point);
            }
            return endpoints[owner(live(first))];
        }

        /** {@code point}, or if its endpoint is gone the next point whose endpoint is not. */
        final int live(int point) {
            if (missing != null) {
                while (missing[owner(point)]) {
                    point = next(point);
                }
            }
            return point;
        }

        /** The first ring point at or after the key's position, wrapping round. */
        final int point(long hash) {
            long target = (hash >>> INDEX_BITS) << INDEX_BITS;
            int lo = 0;
            int hi = ring.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (ring[mid] < target) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo == ring.length ? 0 : lo;
        }

        final int owner(int point) {
            return (int) (ring[point] & INDEX_MASK);
        }

        final int next(int point) {
            return point + 1 == ring.length ? 0 : point + 1;
        }
    }

    /**
     * Bounded loads ({@link LoadBound}): when the key's endpoint is full, the call moves on along
     * the ring.
     */
    static final class BoundedLoadPicker extends RingPicker {
        private final LoadBound bound;

        BoundedLoadPicker(EndpointState[] endpoints, long[] ring, boolean[] missing, RandomGenerator random,
                          double balanceFactor) {
            super(endpoints, ring, missing, random);
            this.bound = new LoadBound(Gone.present(endpoints, missing), balanceFactor);
        }

        @Override
        EndpointState pickAt(int point, PickContext context) {
            long total = bound.total();
            int first = point;
            for (int step = 0; step < ring.length; step++) {
                int i = owner(point);
                if ((missing == null || !missing[i]) && bound.hasRoom(i, total) && !context.avoids(endpoints[i].endpoint())) {
                    return endpoints[i];
                }
                point = next(point);
            }
            return super.pickAt(first, context); // nothing fits (the estimate ran behind): plain ring order
        }
    }
}
