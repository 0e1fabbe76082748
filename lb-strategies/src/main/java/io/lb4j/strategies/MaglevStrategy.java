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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;

/**
 * Consistent hashing by a Maglev lookup table ({@link MaglevTable}): a pick is one read of
 * {@code table[slot(hash)]}, whatever the endpoint count, optionally with bounded loads
 * ({@link LoadBound}).
 *
 * <p>The "next" endpoints of a key, for retries that avoid endpoints and for bounded-load spill,
 * are the endpoints of the next {@value #PROBES} table slots (neighbouring slots belong to
 * unrelated endpoints), then every endpoint in table order from the key's own: deterministic per
 * key and at most {@code PROBES + n} steps.
 *
 * <p>The last table is kept per balancer (in {@link StrategyContext#shared}) and served again
 * when a picker is rebuilt for the same endpoints and weights; any other change refills it.
 */
final class MaglevStrategy implements Strategy {
    static final String NAME = "maglev";
    static final int DEFAULT_TABLE_SIZE_FACTOR = 100;
    static final MaglevStrategy DEFAULT =
            new MaglevStrategy(DEFAULT_TABLE_SIZE_FACTOR, false, ConsistentHashStrategy.DEFAULT_BALANCE_FACTOR);
    /** Table slots tried after the key's own before the walk goes through the endpoint list. */
    static final int PROBES = 16;

    private static final Object TABLE_KEY = new Object();

    private final int tableSizeFactor;
    private static final Set<Bookkeeping> IN_FLIGHT_ONLY =
            java.util.Collections.unmodifiableSet(java.util.EnumSet.of(Bookkeeping.IN_FLIGHT));
    private final boolean boundedLoad;
    private final double balanceFactor;

    MaglevStrategy(int tableSizeFactor, boolean boundedLoad, double balanceFactor) {
        this.tableSizeFactor = tableSizeFactor;
        this.boundedLoad = boundedLoad;
        this.balanceFactor = balanceFactor;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Picker newPicker(List<EndpointState> endpoints, StrategyContext context) {
        if (endpoints.size() > MaglevTable.MAX_SIZE) {
            throw new IllegalArgumentException("endpoints: " + endpoints.size()
                    + " (expected: <= " + MaglevTable.MAX_SIZE + " for maglev)");
        }
        EndpointState[] states = endpoints.toArray(new EndpointState[0]);
        int[] weights = context.weights(endpoints);
        // pickers are built under the balancer's lock, so the previous table is read and replaced by one thread
        AtomicReference<MaglevTable> previous = context.shared(TABLE_KEY, AtomicReference::new);
        MaglevTable table = previous.get();
        int[] gone = table == null ? null : table.missing(states, weights, tableSizeFactor);
        if (gone == null) {
            table = MaglevTable.build(states, weights, tableSizeFactor);
            previous.set(table);
            gone = new int[0];
        }
        // a few of the endpoints the table was filled from gone (excluded, removed): the table is
        // kept and their slots pass to the next slot's endpoint (Gone)
        boolean[] missing = Gone.mask(table.endpoints.length, gone);
        return boundedLoad
                ? new BoundedLoadPicker(table.endpoints, table.table, missing, context.random(), balanceFactor)
                : new TablePicker(table.endpoints, table.table, missing, context.random());
    }

    /** Bounded load reads in-flight counts; the plain table reads nothing. */
    @Override
    public Set<Bookkeeping> bookkeeping() {
        return boundedLoad ? IN_FLIGHT_ONLY : Bookkeeping.NONE;
    }

    @Override
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("tableSizeFactor", Integer.toString(tableSizeFactor));
        if (boundedLoad) {
            settings.put("balanceFactor", Double.toString(balanceFactor));
        }
        return Collections.unmodifiableMap(settings);
    }

    @Override
    public String toString() {
        return NAME + "{tableSizeFactor=" + tableSizeFactor
                + (boundedLoad ? ", balanceFactor=" + balanceFactor : "") + "}";
    }

    static class TablePicker implements Picker {
        final EndpointState[] endpoints;
        final int[] table;
        /** Null, or which of {@link #endpoints} are gone: never picked, their slots served by the next. */
        final boolean[] missing;
        private final RandomGenerator random;

        TablePicker(EndpointState[] endpoints, int[] table, boolean[] missing, RandomGenerator random) {
            this.endpoints = endpoints;
            this.table = table;
            this.missing = missing;
            this.random = random;
        }

        @Override
        public EndpointState pick(PickContext context) {
            // without a key, a random slot: a weighted random pick that still respects bounded load
            long hash = context.hasHashKey() ? context.hash() : random.nextLong();
            return pickAt(slot(hash), context);
        }

        EndpointState pickAt(int slot, PickContext context) {
            if (context.avoid().isEmpty()) {
                int i = table[slot];
                return endpoints[missing == null || !missing[i] ? i : home(slot)];
            }
            int i = walk(slot, context, 0);
            return endpoints[i >= 0 ? i : home(slot)];
        }

        /** The slot's endpoint, or if it is gone that of the next slot whose endpoint is not. */
        final int home(int slot) {
            int i = table[slot];
            if (missing != null) {
                int s = slot;
                while (missing[i]) {
                    s = s + 1 == table.length ? 0 : s + 1;
                    i = table[s];
                }
            }
            return i;
        }

        /**
         * The slot of a hash: its top 32 bits scaled to the table size (a multiply and a shift
         * instead of a 64-bit division; the hash is well mixed, so every slot gets its share).
         */
        final int slot(long hash) {
            return (int) (((hash >>> 32) * table.length) >>> 32);
        }

        /** The first endpoint in the key's walk that {@link #fits}; -1 if none does. */
        final int walk(int slot, PickContext context, long total) {
            int s = slot;
            for (int step = Math.min(PROBES, table.length); step > 0; step--) {
                int i = table[s];
                if (fits(i, context, total)) {
                    return i;
                }
                s = s + 1 == table.length ? 0 : s + 1;
            }
            int home = home(slot);
            for (int step = 1; step <= endpoints.length; step++) {
                int i = home + step >= endpoints.length ? home + step - endpoints.length : home + step;
                if (fits(i, context, total)) {
                    return i;
                }
            }
            return -1;
        }

        boolean fits(int i, PickContext context, long total) {
            return (missing == null || !missing[i]) && !context.avoids(endpoints[i].endpoint());
        }
    }

    /** Bounded loads: a call walks on from an endpoint that is full, along the key's walk. */
    static final class BoundedLoadPicker extends TablePicker {
        private final LoadBound bound;

        BoundedLoadPicker(EndpointState[] endpoints, int[] table, boolean[] missing, RandomGenerator random,
                          double balanceFactor) {
            super(endpoints, table, missing, random);
            this.bound = new LoadBound(Gone.present(endpoints, missing), balanceFactor);
        }

        @Override
        EndpointState pickAt(int slot, PickContext context) {
            int i = walk(slot, context, bound.total());
            // nothing fits (the estimate ran behind): the walk without the bound
            return i >= 0 ? endpoints[i] : super.pickAt(slot, context);
        }

        @Override
        boolean fits(int i, PickContext context, long total) {
            return (missing == null || !missing[i]) && bound.hasRoom(i, total) && !context.avoids(endpoints[i].endpoint());
        }
    }
}
