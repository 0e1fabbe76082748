package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random sequences of update / exclude / include (two owners) / pick, checked after every
 * step against a plain reference model of what the balancer should hold and what it may pick.
 * Even seeds apply changes on the calling thread; odd seeds use the default asynchronous control
 * executor and wait with {@link Balancer#flush()} before checking.
 */
class BalancerModelTest {

    /** The reference: endpoint -> attributes and flags, in list order. */
    static final class Model {
        final Map<Endpoint, Endpoint> members = new LinkedHashMap<>();
        final Set<Endpoint> unhealthy = new HashSet<>(); // owner "health"
        final Set<Endpoint> ejected = new HashSet<>(); // owner "drain"
        final double panicThreshold;

        Model(double panicThreshold) {
            this.panicThreshold = panicThreshold;
        }

        void update(List<Endpoint> list) {
            Map<Endpoint, Endpoint> next = new LinkedHashMap<>();
            for (Endpoint e : list) {
                next.put(e, e);
            }
            unhealthy.retainAll(next.keySet());
            ejected.retainAll(next.keySet());
            members.clear();
            members.putAll(next);
        }

        List<Endpoint> eligible() {
            List<Endpoint> out = new ArrayList<>();
            for (Endpoint e : members.values()) {
                if (e.weight() > 0 && !unhealthy.contains(e) && !ejected.contains(e)) {
                    out.add(e);
                }
            }
            return out;
        }

        Set<Endpoint> weighted() {
            Set<Endpoint> out = new HashSet<>();
            for (Endpoint e : members.values()) {
                if (e.weight() > 0) {
                    out.add(e);
                }
            }
            return out;
        }

        /** Drained (weight 0) endpoints count neither as available nor as unavailable. */
        boolean panic() {
            int weighted = weighted().size();
            return weighted > 0 && panicThreshold > 0 && eligible().size() < panicThreshold * weighted;
        }

        Set<Endpoint> pickable() {
            return panic() ? weighted() : new HashSet<>(eligible());
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void agreesWithTheReferenceModel(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double threshold = new double[] {0, 0.3, 0.5, 1.0}[rnd.nextInt(4)];
        Model model = new Model(threshold);
        FakeTicker ticker = new FakeTicker();
        boolean direct = seed % 2 == 0;
        BalancerBuilder builder = Balancer.builder("svc").ticker(ticker).panicThreshold(threshold)
                .strategy(AllBookkeeping.ROUND_ROBIN); // the model counts calls in flight
        if (direct) {
            builder.controlExecutor(Runnable::run);
        }
        Balancer b = builder.build();
        Exclusions health = b.newExclusions("health");
        Exclusions drain = b.newExclusions("drain");
        List<Selection> open = new ArrayList<>();

        for (int step = 0; step < 400; step++) {
            int op = rnd.nextInt(10);
            String what;
            if (op < 2) {
                List<Endpoint> list = randomList(rnd);
                what = "update " + list;
                b.update(list);
                model.update(list);
            } else if (op == 2) {
                Endpoint e = anyEndpoint(rnd);
                what = "unhealthy " + e;
                boolean changed = health.exclude(e, "x");
                assertThat(changed).as(what).isEqualTo(model.members.containsKey(e) && model.unhealthy.add(e));
            } else if (op == 3) {
                Endpoint e = anyEndpoint(rnd);
                what = "healthy " + e;
                assertThat(health.include(e)).as(what).isEqualTo(model.unhealthy.remove(e));
            } else if (op == 4) {
                Endpoint e = anyEndpoint(rnd);
                what = "eject " + e;
                boolean changed = drain.exclude(e, "y", Duration.ofSeconds(30));
                assertThat(changed).as(what).isEqualTo(model.members.containsKey(e) && model.ejected.add(e));
            } else if (op == 5) {
                Endpoint e = anyEndpoint(rnd);
                what = "unEject " + e;
                assertThat(drain.include(e)).as(what).isEqualTo(model.ejected.remove(e));
            } else if (op == 6 && !open.isEmpty()) {
                what = "complete";
                Selection s = open.remove(rnd.nextInt(open.size()));
                s.success();
            } else {
                b.flush().join();
                Set<Endpoint> pickable = model.pickable();
                Set<Endpoint> avoid = new HashSet<>();
                for (Endpoint e : pickable) {
                    if (rnd.nextInt(3) == 0) {
                        avoid.add(e);
                    }
                }
                what = "pick avoiding " + avoid;
                if (pickable.isEmpty()) {
                    assertThatThrownBy(() -> b.pick(PickContext.avoiding(avoid))).as(what)
                            .isInstanceOf(NoAvailableEndpointException.class);
                } else {
                    Selection s = b.pick(PickContext.avoiding(avoid));
                    assertThat(pickable).as(what).contains(s.endpoint());
                    if (!avoid.containsAll(pickable)) {
                        assertThat(avoid).as(what).doesNotContain(s.endpoint());
                    }
                    open.add(s);
                }
            }
            Snapshot snap = b.flush().join();
            assertThat(snap).isSameAs(b.snapshot());
            assertThat(b.endpoints()).as("after " + what).containsExactlyElementsOf(model.members.keySet());
            for (EndpointState st : snap.members()) {
                assertThat(st.endpoint().sameAttributes(model.members.get(st.endpoint()))).as("after " + what).isTrue();
            }
            assertThat(snap.panic()).as("panic after " + what).isEqualTo(model.panic());
            assertThat(endpointsOf(snap.eligible())).as("eligible after " + what).containsExactlyElementsOf(model.eligible());
            assertThat(new HashSet<>(endpointsOf(snap.pickable()))).as("pickable after " + what).isEqualTo(model.pickable());
            for (Endpoint e : model.members.keySet()) {
                List<String> owners = new ArrayList<>();
                if (model.unhealthy.contains(e)) {
                    owners.add("health");
                }
                if (model.ejected.contains(e)) {
                    owners.add("drain");
                }
                assertThat(snap.exclusions(e)).extracting(Exclusion::owner).as("owners of " + e + " after " + what)
                        .containsExactlyElementsOf(owners);
            }
        }
        // in-flight counts match the open selections, endpoint by endpoint
        Map<Endpoint, Integer> expected = new LinkedHashMap<>();
        for (Selection s : open) {
            if (b.snapshot().member(s.endpoint()) == s.state()) {
                expected.merge(s.endpoint(), 1, Integer::sum);
            }
        }
        for (EndpointState st : b.snapshot().members()) {
            assertThat(st.inFlight()).as("in flight at " + st.endpoint()).isEqualTo(expected.getOrDefault(st.endpoint(), 0));
        }
    }

    private static List<Endpoint> endpointsOf(List<EndpointState> states) {
        List<Endpoint> out = new ArrayList<>();
        for (EndpointState st : states) {
            out.add(st.endpoint());
        }
        return out;
    }

    private static Endpoint anyEndpoint(SplittableRandom rnd) {
        return Endpoint.of("h" + rnd.nextInt(8), 80);
    }

    private static List<Endpoint> randomList(SplittableRandom rnd) {
        List<Endpoint> list = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            if (rnd.nextInt(3) > 0) {
                list.add(Endpoint.of("h" + i, 80).withWeight(rnd.nextInt(5) == 0 ? 0 : 1 + rnd.nextInt(3)));
            }
        }
        java.util.Collections.shuffle(list, new java.util.Random(rnd.nextLong()));
        return list;
    }
}
