package io.lb4j.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Zone-aware routing as Envoy does it for priority levels: the local zone is priority 0, each
 * failover zone the next one, every other endpoint the last. A level's health is
 * {@code min(1, overprovisioning * eligible / known)}; level 0 takes its health's share of the
 * picks and the rest spills down the levels, each taking at most its own health; when the
 * healths add up to less than 1 they are scaled up to 1 (normalised). Panic is decided per level,
 * and only then: while the levels together are healthy enough, a sick level simply gets less.
 * Built on the control executor with each snapshot; picks only read the result.
 */
final class ZoneRouting {
    private final String local;
    private final List<String> failover;
    private final double overprovisioning;

    ZoneRouting(String local, List<String> failover, double overprovisioning) {
        this.local = local;
        this.failover = List.copyOf(failover);
        this.overprovisioning = overprovisioning;
    }

    int levels() {
        return failover.size() + 2;
    }

    int level(Endpoint e) {
        String zone = e.zone().orElse(null);
        if (local.equals(zone)) {
            return 0;
        }
        int i = zone == null ? -1 : failover.indexOf(zone);
        return i >= 0 ? i + 1 : failover.size() + 1;
    }

    String zone(int level) {
        return level == 0 ? local : level <= failover.size() ? failover.get(level - 1) : null;
    }

    String local() {
        return local;
    }

    List<String> failover() {
        return failover;
    }

    double overprovisioning() {
        return overprovisioning;
    }

    /** What {@link #plan} hands to the snapshot. */
    static final class Plan {
        final List<ZoneLoad> loads;
        final List<EndpointState> pickable;
        final int[] levelEnds;
        final Picker picker;
        final boolean panic;

        Plan(List<ZoneLoad> loads, List<EndpointState> pickable, int[] levelEnds, Picker picker, boolean panic) {
            this.loads = loads;
            this.pickable = pickable;
            this.levelEnds = levelEnds;
            this.picker = picker;
            this.panic = panic;
        }
    }

    /**
     * Splits the members of weight above 0 into levels, decides each level's share and panic, and
     * builds one picker per level that gets picks.
     *
     * @param weighted members of weight above 0, in list order, with their pending endpoints
     * @param eligible which of them are eligible
     */
    Plan plan(List<EndpointState> weighted, List<Endpoint> weightedEndpoints, boolean[] eligible, double panicThreshold,
              Strategy strategy, StrategyContext context, RandomGenerator random) {
        int n = levels();
        List<List<EndpointState>> known = new ArrayList<>(n);
        List<List<EndpointState>> ok = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            known.add(new ArrayList<>());
            ok.add(new ArrayList<>());
        }
        for (int j = 0; j < weighted.size(); j++) {
            int level = level(weightedEndpoints.get(j));
            known.get(level).add(weighted.get(j));
            if (eligible[j]) {
                ok.get(level).add(weighted.get(j));
            }
        }
        double[] health = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int k = known.get(i).size();
            health[i] = k == 0 ? 0 : Math.min(1.0, overprovisioning * ok.get(i).size() / k);
            sum += health[i];
        }
        double[] share = new double[n];
        boolean[] panic = new boolean[n];
        if (sum > 0) {
            double total = Math.min(1.0, sum);
            double left = 1.0;
            for (int i = 0; i < n && left > 0; i++) {
                share[i] = Math.min(health[i] / total, left);
                left -= share[i];
            }
            if (sum < 1.0 && panicThreshold > 0) {
                for (int i = 0; i < n; i++) {
                    int k = known.get(i).size();
                    panic[i] = k > 0 && share[i] > 0 && ok.get(i).size() < panicThreshold * k;
                }
            }
        } else {
            // nothing eligible anywhere: as without zones, the first level with endpoints panics (or nothing is pickable)
            for (int i = 0; i < n; i++) {
                if (!known.get(i).isEmpty()) {
                    if (panicThreshold > 0) {
                        share[i] = 1.0;
                        panic[i] = true;
                    }
                    break;
                }
            }
        }
        List<EndpointState> pickable = new ArrayList<>(weighted.size());
        int[] ends = new int[n];
        List<Picker> pickers = new ArrayList<>(n);
        List<Double> shares = new ArrayList<>(n);
        List<ZoneLoad> loads = new ArrayList<>(n);
        boolean anyPanic = false;
        for (int i = 0; i < n; i++) {
            List<EndpointState> levelPickable = Collections.unmodifiableList(panic[i] ? known.get(i) : ok.get(i));
            pickable.addAll(levelPickable);
            ends[i] = pickable.size();
            if (share[i] > 0 && !levelPickable.isEmpty()) {
                pickers.add(strategy.newPicker(levelPickable, new LevelContext(context, i)));
                shares.add(share[i]);
                anyPanic |= panic[i];
            } else {
                share[i] = 0;
            }
            loads.add(new ZoneLoad(i, zone(i), known.get(i).size(), ok.get(i).size(), health[i], share[i], panic[i]));
        }
        Picker picker;
        if (pickers.isEmpty()) {
            picker = null;
        } else if (pickers.size() == 1) {
            picker = pickers.get(0); // all picks in one level: no draw, the level's own picker
        } else {
            double[] upTo = new double[pickers.size()];
            double acc = 0;
            double all = 0;
            for (double s : shares) {
                all += s;
            }
            for (int i = 0; i < upTo.length; i++) {
                acc += shares.get(i) / all;
                upTo[i] = acc;
            }
            picker = new LevelPicker(pickers.toArray(new Picker[0]), upTo, random);
        }
        return new Plan(Collections.unmodifiableList(loads), Collections.unmodifiableList(pickable), ends, picker, anyPanic);
    }

    @Override
    public String toString() {
        return "zones{local=" + local + ", failover=" + failover + ", overprovisioning=" + overprovisioning + "}";
    }

    /** Draws a level by its share (one random double), then lets that level's picker choose. */
    static final class LevelPicker implements Picker {
        private final Picker[] pickers;
        private final double[] upTo;
        private final RandomGenerator random;

        LevelPicker(Picker[] pickers, double[] upTo, RandomGenerator random) {
            this.pickers = pickers;
            this.upTo = upTo;
            this.random = random;
        }

        @Override
        public EndpointState pick(PickContext context) {
            double u = random.nextDouble();
            int last = pickers.length - 1;
            int i = 0;
            while (i < last && u >= upTo[i]) {
                i++;
            }
            return pickers[i].pick(context);
        }
    }

    /** The balancer's context with the shared store split per level: each level's round-robin sequence is its own. */
    private static final class LevelContext implements StrategyContext {
        private final StrategyContext balancer;
        private final int level;

        LevelContext(StrategyContext balancer, int level) {
            this.balancer = balancer;
            this.level = level;
        }

        @Override
        public String service() {
            return balancer.service();
        }

        @Override
        public Ticker ticker() {
            return balancer.ticker();
        }

        @Override
        public RandomGenerator random() {
            return balancer.random();
        }

        @Override
        public <T> T shared(Object key, Supplier<? extends T> factory) {
            return balancer.shared(new LevelKey(level, key), factory);
        }
    }

    private static final class LevelKey {
        private final int level;
        private final Object key;

        LevelKey(int level, Object key) {
            this.level = level;
            this.key = key;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LevelKey other && other.level == level && other.key.equals(key);
        }

        @Override
        public int hashCode() {
            return Objects.hash(level, key);
        }
    }
}
