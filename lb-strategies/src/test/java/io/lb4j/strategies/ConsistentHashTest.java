package io.lb4j.strategies;

import static io.lb4j.strategies.TestContext.endpoints;
import static io.lb4j.strategies.TestContext.equalEndpoints;
import static io.lb4j.strategies.TestContext.states;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointState;
import io.lb4j.core.PickContext;
import io.lb4j.core.Picker;
import io.lb4j.core.Selection;
import io.lb4j.core.Strategy;
import io.lb4j.testing.FakeTicker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConsistentHashTest {

    private static final int KEYS = 100_000;
    private static final PickContext[] CONTEXTS = new PickContext[KEYS];

    static {
        for (int k = 0; k < KEYS; k++) {
            CONTEXTS[k] = PickContext.ofHashKey("user-" + k);
        }
    }

    /** The ring or the Maglev table, by name, with bounded load at {@code balanceFactor} (0 for none). */
    static Strategy hashing(String name, double balanceFactor) {
        if (name.equals("maglev")) {
            return balanceFactor == 0 ? Strategies.maglev()
                    : Strategies.maglevBuilder().boundedLoad(true).balanceFactor(balanceFactor).build();
        }
        return balanceFactor == 0 ? Strategies.consistentHash()
                : Strategies.consistentHashBuilder().boundedLoad(true).balanceFactor(balanceFactor).build();
    }

    static Endpoint[] assign(Strategy strategy, List<Endpoint> list) {
        List<EndpointState> states = states(list);
        Picker picker = strategy.newPicker(states, new TestContext(new FakeTicker(), new SplittableRandom(1)));
        Endpoint[] owners = new Endpoint[KEYS];
        for (int k = 0; k < KEYS; k++) {
            owners[k] = picker.pick(CONTEXTS[k]).endpoint();
        }
        return owners;
    }

    @ParameterizedTest
    @ValueSource(strings = {"consistent-hash", "maglev"})
    void sameKeyGoesToTheSameEndpointInAFreshPicker(String name) {
        List<Endpoint> list = equalEndpoints(7);
        Endpoint[] first = assign(hashing(name, 0), list);
        List<Endpoint> reordered = new ArrayList<>(list);
        java.util.Collections.reverse(reordered);
        Endpoint[] second = assign(hashing(name, 0), reordered);
        assertThat(Arrays.mismatch(second, first)).as("first key assigned differently").isEqualTo(-1);
    }

    @Test
    void removingOneOfTenMovesOnlyItsOwnKeysAndAtMostOnePointOneTenth() {
        int n = 10;
        List<Endpoint> list = equalEndpoints(n);
        Endpoint[] before = assign(Strategies.consistentHash(), list);
        for (int removed = 0; removed < n; removed++) {
            List<Endpoint> smaller = new ArrayList<>(list);
            Endpoint gone = smaller.remove(removed);
            Endpoint[] after = assign(Strategies.consistentHash(), smaller);
            int moved = 0;
            for (int k = 0; k < KEYS; k++) {
                if (!after[k].equals(before[k])) {
                    moved++;
                    assertThat(before[k]).as("only keys of the removed endpoint move").isEqualTo(gone);
                }
            }
            assertThat(moved).as("keys moved when removing %s", gone).isLessThanOrEqualTo((int) (1.1 * KEYS / n));
        }
    }

    @Test
    void addingAnEndpointTakesKeysOnlyForItself() {
        List<Endpoint> list = equalEndpoints(11);
        Endpoint[] before = assign(Strategies.consistentHash(), list.subList(0, 10));
        Endpoint[] after = assign(Strategies.consistentHash(), list);
        int moved = 0;
        for (int k = 0; k < KEYS; k++) {
            if (!after[k].equals(before[k])) {
                moved++;
                assertThat(after[k]).isEqualTo(list.get(10));
            }
        }
        assertThat(moved).isBetween((int) (0.9 * KEYS / 11), (int) (1.1 * KEYS / 11));
    }

    @ParameterizedTest
    @ValueSource(strings = {"consistent-hash", "maglev"})
    void keySharesFollowWeights(String name) {
        List<Endpoint> list = endpoints(1, 2, 4);
        Endpoint[] owners = assign(hashing(name, 0), list);
        Map<Endpoint, Integer> counts = new HashMap<>();
        for (Endpoint e : owners) {
            counts.merge(e, 1, Integer::sum);
        }
        for (int i = 0; i < 3; i++) {
            double target = list.get(i).weight() / 7.0;
            assertThat(counts.get(list.get(i)) / (double) KEYS).as("endpoint %d", i)
                    .isBetween(target * 0.9, target * 1.1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"consistent-hash", "maglev"})
    void boundedLoadKeepsTheBusiestEndpointWithinTheBalanceFactorOfTheMean(String name) {
        int n = 10;
        Balancer b = Balancer.builder("users").endpoints(equalEndpoints(n)).random(new SplittableRandom(2))
                .strategy(hashing(name, ConsistentHashBuilder.DEFAULT_BALANCE_FACTOR)).build();
        // a skewed key population: half the calls share 5 hot keys
        SplittableRandom keys = new SplittableRandom(3);
        List<Selection> open = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            int k = keys.nextBoolean() ? keys.nextInt(5) : keys.nextInt(KEYS);
            open.add(b.pick(CONTEXTS[k]));
            if (i % 3 == 0) {
                open.remove(keys.nextInt(open.size())).success(); // some complete, in random order
            }
        }
        int max = 0;
        int total = 0;
        for (EndpointState s : b.snapshot().members()) {
            max = Math.max(max, s.inFlight());
            total += s.inFlight();
        }
        // the bound uses an estimate of the total that may run ahead by the calls completed since
        // its last full count (at most 32 picks ago here): the busiest may hold that much more
        double mean = (double) total / n;
        double slack = 32.0 / n;
        assertThat(max / mean).isGreaterThan(1.1)
                .isLessThanOrEqualTo(ConsistentHashBuilder.DEFAULT_BALANCE_FACTOR * (mean + slack) / mean);
    }

    @ParameterizedTest
    @ValueSource(strings = {"consistent-hash", "maglev"})
    void withoutBoundedLoadHotKeysPileUp(String name) {
        // the same population without the bound, to show the test above can fail
        Balancer b = Balancer.builder("users").endpoints(equalEndpoints(10)).random(new SplittableRandom(2))
                .strategy(hashing(name, 0)).build();
        Map<Endpoint, Integer> open = new HashMap<>(); // without the bound nothing is counted in flight: count here
        for (int i = 0; i < 1_000; i++) {
            open.merge(b.pick(CONTEXTS[i % 2 == 0 ? 0 : i]).endpoint(), 1, Integer::sum);
        }
        int max = open.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertThat(max / 100.0).isGreaterThan(1.25);
    }

    @ParameterizedTest
    @ValueSource(strings = {"consistent-hash", "maglev"})
    void boundedLoadStillSendsAKeyHomeWhileThereIsRoom(String name) {
        Strategy bounded = hashing(name, 1.5);
        List<Endpoint> list = equalEndpoints(8);
        assertThat(Arrays.mismatch(assign(bounded, list), assign(hashing(name, 0), list)))
                .as("first key sent elsewhere").isEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"consistent-hash", "maglev"})
    void pickWithoutKeyIsAWeightedRandomPick(String name) {
        List<Endpoint> list = endpoints(1, 3);
        List<EndpointState> states = states(list);
        Picker picker = hashing(name, 0).newPicker(states, new TestContext(new FakeTicker(), new SplittableRandom(4)));
        int heavy = 0;
        for (int i = 0; i < 10_000; i++) {
            if (picker.pick(PickContext.NONE) == states.get(1)) {
                heavy++;
            }
        }
        assertThat(heavy).isBetween(7_200, 7_800);
    }

    @Test
    void retryAvoidingTheOwnerGoesToTheNextEndpointOnTheRing() {
        List<Endpoint> list = equalEndpoints(5);
        Endpoint[] owners = assign(Strategies.consistentHash(), list);
        Endpoint[] without = assign(Strategies.consistentHash(), List.of(list.get(1), list.get(2), list.get(3), list.get(4)));
        List<EndpointState> states = states(list);
        Picker picker = Strategies.consistentHash().newPicker(states, new TestContext(new FakeTicker(), new SplittableRandom(4)));
        for (int k = 0; k < 1_000; k++) {
            if (owners[k].equals(list.get(0))) {
                PickContext retry = PickContext.builder().hashKey("user-" + k).avoid(Set.of(list.get(0))).build();
                // where the key would go if its owner had left
                assertThat(picker.pick(retry).endpoint()).isEqualTo(without[k]);
            }
        }
    }

    /** Each point as (position, endpoint): what a lookup sees, whatever slots the endpoints hold. */
    private static List<String> owners(Ring ring) {
        List<String> out = new ArrayList<>(ring.points.length);
        for (long p : ring.points) {
            out.add((p >>> Ring.SLOT_BITS) + "@" + ring.bySlot[(int) (p & Ring.SLOT_MASK)].endpoint().authority());
        }
        return out;
    }

    @Test
    void ringReusedAcrossListChangesMatchesARingBuiltFromScratch() {
        SplittableRandom random = new SplittableRandom(8);
        List<Endpoint> list = new ArrayList<>(equalEndpoints(200));
        Balancer b = Balancer.builder("users").endpoints(list).panicThreshold(0).build();
        EndpointState[] first = b.snapshot().members().toArray(new EndpointState[0]);
        Ring previous = Ring.build(first, TestContext.weights(first), 64, null);
        int next = 1_000;
        int reusedRounds = 0;
        for (int round = 0; round < 40; round++) {
            switch (round % 4) {
                case 0 -> list.remove(random.nextInt(list.size()));
                case 1 -> list.add(random.nextInt(list.size()), TestContext.endpoint(next++, 1 + random.nextInt(3)));
                case 2 -> {
                    int i = random.nextInt(list.size());
                    list.set(i, list.get(i).withWeight(1 + random.nextInt(3)));
                }
                default -> java.util.Collections.swap(list, random.nextInt(list.size()), random.nextInt(list.size()));
            }
            b.update(list);
            EndpointState[] states = b.snapshot().members().toArray(new EndpointState[0]);
            Ring reused = Ring.build(states, TestContext.weights(states), 64, previous);
            Ring scratch = Ring.build(states, TestContext.weights(states), 64, null);
            assertThat(owners(reused)).as("round %d", round).isEqualTo(owners(scratch));
            for (long p : reused.points) {
                assertThat(reused.bySlot[(int) (p & Ring.SLOT_MASK)]).isNotNull();
            }
            if (reused.bySlot != scratch.bySlot && !Arrays.equals(reused.bySlot, scratch.bySlot)) {
                reusedRounds++;
            }
            previous = reused;
        }
        assertThat(reusedRounds).as("rounds that took the reuse path").isGreaterThan(10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"consistent-hash", "maglev"})
    void excludedEndpointsMoveOnlyTheirKeysAndGetThemBack(String name) {
        List<Endpoint> list = equalEndpoints(50);
        try (Balancer b = Balancer.builder("users").endpoints(list).strategy(hashing(name, 0)).build()) {
            b.flush().join();
            Endpoint[] before = owners(b.snapshot().picker());
            Set<Endpoint> out = Set.of(list.get(0), list.get(17), list.get(49)); // a tenth and less
            io.lb4j.core.Exclusions owner = b.newExclusions("test");
            out.forEach(e -> owner.exclude(e, "down"));
            b.flush().join();
            Endpoint[] during = owners(b.snapshot().picker());
            Set<Endpoint> heirs = new java.util.HashSet<>();
            for (int k = 0; k < KEYS; k++) {
                assertThat(during[k]).isNotIn(out);
                if (out.contains(before[k])) {
                    heirs.add(during[k]);
                } else {
                    assertThat(during[k]).as("key %d of an endpoint still in", k).isEqualTo(before[k]);
                }
            }
            assertThat(heirs).as("their keys spread out").hasSizeGreaterThan(20);
            out.forEach(owner::include);
            b.flush().join();
            assertThat(owners(b.snapshot().picker())).as("every key back where it was").containsExactly(before);
        }
    }

    @Test
    void aKeysPointIsTheFirstRingPointAtOrAfterItWrappingRound() {
        SplittableRandom random = new SplittableRandom(5);
        TestContext context = new TestContext(new FakeTicker(), new SplittableRandom(1));
        for (int n : new int[] {1, 2, 3, 7, 40}) {
            ConsistentHashStrategy.RingPicker picker =
                    (ConsistentHashStrategy.RingPicker) Strategies.consistentHash().newPicker(states(equalEndpoints(n)), context);
            long[] ring = picker.ring;
            List<Long> hashes = new ArrayList<>();
            for (long p : ring) {
                // a key's position keeps the high bits of its hash: at a point, just below it, just above it
                long position = p >>> Ring.SLOT_BITS << Ring.SLOT_BITS;
                hashes.add(position);
                hashes.add(position - (1L << Ring.SLOT_BITS));
                hashes.add(position + (1L << Ring.SLOT_BITS));
            }
            hashes.add(Long.MIN_VALUE);
            hashes.add(Long.MAX_VALUE);
            for (int i = 0; i < 2_000; i++) {
                hashes.add(random.nextLong());
            }
            for (long hash : hashes) {
                long target = hash >>> Ring.SLOT_BITS << Ring.SLOT_BITS;
                int expected = 0; // past the last point: round to the first
                for (int i = 0; i < ring.length; i++) {
                    if (ring[i] >= target) {
                        expected = i;
                        break;
                    }
                }
                assertThat(picker.point(hash)).as("n=%d, hash %d", n, hash).isEqualTo(expected);
            }
        }
    }

    @Test
    void theRingIsKeptWhileAFewAreGoneAndRebuiltBeyondATenth() {
        List<EndpointState> states = states(equalEndpoints(40));
        TestContext context = new TestContext(new FakeTicker(), new SplittableRandom(1));
        Strategy ring = Strategies.consistentHash();
        long[] full = ((ConsistentHashStrategy.RingPicker) ring.newPicker(states, context)).ring;
        ConsistentHashStrategy.RingPicker fewer = (ConsistentHashStrategy.RingPicker) ring.newPicker(states.subList(4, 40), context);
        assertThat(fewer.ring).as("4 of 40 gone").isSameAs(full);
        assertThat(fewer.missing).isNotNull();
        ConsistentHashStrategy.RingPicker back = (ConsistentHashStrategy.RingPicker) ring.newPicker(states, context);
        assertThat(back.ring).isSameAs(full);
        assertThat(back.missing).isNull();
        ConsistentHashStrategy.RingPicker rebuilt = (ConsistentHashStrategy.RingPicker) ring.newPicker(states.subList(5, 40), context);
        assertThat(rebuilt.ring).as("5 of 40 gone: more than a tenth").isNotSameAs(full);
        assertThat(rebuilt.missing).isNull();
        assertThat(rebuilt.ring).hasSize(full.length - 5 * (full.length / 40));
    }

    @ParameterizedTest
    @ValueSource(strings = {"consistent-hash", "maglev"})
    void aGoneEndpointIsNeverPickedWhateverIsAvoidedOrLoaded(String name) {
        List<Endpoint> list = equalEndpoints(6);
        List<EndpointState> states = states(list);
        for (double balanceFactor : new double[] {0, 1.0}) {
            Strategy strategy = hashing(name, balanceFactor);
            TestContext context = new TestContext(new FakeTicker(), new SplittableRandom(1));
            strategy.newPicker(states, context);
            Picker picker = strategy.newPicker(states.subList(0, 5), context); // the last one gone
            Endpoint gone = list.get(5);
            for (int k = 0; k < 2_000; k++) {
                PickContext key = CONTEXTS[k];
                assertThat(picker.pick(key).endpoint()).isNotEqualTo(gone);
                assertThat(picker.pick(PickContext.builder().hashKey("user-" + k).avoid(list.subList(0, 5)).build())
                        .endpoint()).as("everything in is avoided: a repeat, never the one gone").isNotEqualTo(gone);
                assertThat(picker.pick(PickContext.builder().hashKey("user-" + k).avoid(list.subList(1, 5)).build())
                        .endpoint()).isEqualTo(list.get(0));
            }
        }
    }

    private static Endpoint[] owners(Picker picker) {
        Endpoint[] owners = new Endpoint[KEYS];
        for (int k = 0; k < KEYS; k++) {
            owners[k] = picker.pick(CONTEXTS[k]).endpoint();
        }
        return owners;
    }

    @Test
    void spliceCutsAndInsertsSortedValues() {
        long[] old = {1, 3, 5, 7, 9};
        assertThat(Ring.splice(old, new long[] {1, 7}, new long[] {0, 4, 8, 10}))
                .containsExactly(0, 3, 4, 5, 8, 9, 10);
        assertThat(Ring.splice(old, new long[] {}, new long[] {})).containsExactly(old);
        assertThat(Ring.splice(old, old, new long[] {2})).containsExactly(2);
    }

    @Test
    void validatesOptions() {
        assertThatThrownBy(() -> Strategies.consistentHashBuilder().balanceFactor(0.9))
                .hasMessage("balanceFactor: 0.9 (expected: 1.0-100.0)");
        assertThatThrownBy(() -> Strategies.consistentHashBuilder().virtualNodes(0))
                .hasMessage("virtualNodes: 0 (expected: 1-65536)");
        assertThat(Strategies.consistentHashBuilder().build()).isSameAs(Strategies.consistentHash());
    }
}
