package io.lb4j.strategies;

import static io.lb4j.strategies.ConsistentHashTest.assign;
import static io.lb4j.strategies.TestContext.endpoints;
import static io.lb4j.strategies.TestContext.equalEndpoints;
import static io.lb4j.strategies.TestContext.states;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointState;
import io.lb4j.core.PickContext;
import io.lb4j.core.Picker;
import io.lb4j.core.Selection;
import io.lb4j.core.Strategy;
import io.lb4j.testing.FakeTicker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MaglevTest {

    private static final int KEYS = 100_000;

    private static MaglevTable table(List<Endpoint> list) {
        EndpointState[] states = states(list).toArray(new EndpointState[0]);
        return MaglevTable.build(states, TestContext.weights(states), MaglevBuilder.DEFAULT_TABLE_SIZE_FACTOR);
    }

    /** Slots per endpoint, by endpoint. */
    private static Map<Endpoint, Integer> slots(MaglevTable t) {
        Map<Endpoint, Integer> counts = new HashMap<>();
        for (int i : t.table) {
            counts.merge(t.endpoints[i].endpoint(), 1, Integer::sum);
        }
        return counts;
    }

    private static Picker picker(Strategy strategy, List<EndpointState> states) {
        return strategy.newPicker(states, new TestContext(new FakeTicker(), new SplittableRandom(1)));
    }

    @Test
    void tableSizeIsAPrimeOfAtLeastTheFactorTimesTheEndpoints() {
        for (int n : new int[] {1, 2, 7, 10, 100, 1_000, 9_999, 10_000, 41_943}) {
            int size = MaglevTable.size(n, 100);
            assertThat(MaglevTable.isPrime(size)).as("size %d for n=%d is prime", size, n).isTrue();
            assertThat(size).as("n=%d", n).isGreaterThanOrEqualTo(100 * n).isLessThan(2 * 100 * n + 100);
        }
        assertThat(MaglevTable.size(10_000, 100)).isEqualTo(1_048_583);
        assertThat(MaglevTable.size(41_944, 100)).isEqualTo(MaglevTable.MAX_SIZE);
        assertThat(MaglevTable.size(100_000, 100)).isEqualTo(MaglevTable.MAX_SIZE);
        assertThat(MaglevTable.isPrime(MaglevTable.MAX_SIZE)).isTrue();
        assertThat(MaglevTable.size(10, 1000)).isGreaterThanOrEqualTo(10_000);
        // the size steps at powers of two only, so that most list changes keep it
        assertThat(MaglevTable.size(9_000, 100)).isEqualTo(MaglevTable.size(10_000, 100));
        assertThat(table(equalEndpoints(300)).table).hasSize(MaglevTable.size(300, 100));
    }

    @Test
    void primesAreFoundAndCompositesRejected() {
        assertThat(MaglevTable.nextPrime(0)).isEqualTo(2);
        assertThat(MaglevTable.nextPrime(1 << 20)).isEqualTo(1_048_583);
        assertThat(MaglevTable.isPrime(1_048_583)).isTrue();
        assertThat(MaglevTable.isPrime(1_048_581)).isFalse(); // 3 * 349,527
        assertThat(MaglevTable.isPrime(4_194_319 - 2)).isFalse();
        assertThat(MaglevTable.isPrime(961)).isFalse(); // 31^2: the divisor loop must reach the root
    }

    @Test
    void equalEndpointsGetTheSameSlotCountWithinOne() {
        List<Endpoint> list = equalEndpoints(97);
        MaglevTable t = table(list);
        Map<Endpoint, Integer> counts = slots(t);
        assertThat(counts).hasSize(97);
        int floor = t.table.length / 97;
        assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween(floor, floor + 1));
    }

    @Test
    void slotSharesFollowWeights() {
        int[] weights = new int[40];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 1 + i % 10;
        }
        List<Endpoint> list = endpoints(weights);
        MaglevTable t = table(list);
        Map<Endpoint, Integer> counts = slots(t);
        int sum = java.util.Arrays.stream(weights).sum();
        for (Endpoint e : list) {
            double target = (double) e.weight() / sum * t.table.length;
            assertThat((double) counts.get(e)).as("slots of %s (weight %d)", e, e.weight())
                    .isBetween(target * 0.98 - 1, target * 1.02 + 1);
        }
    }

    @Test
    void extremeWeightsFillTheTableWithoutARoundPerWeightStep() {
        // a weight ratio of a million: a fill that visited every endpoint in every round would take
        // a million rounds; the heaviest gets nearly all slots and each other endpoint at least one
        List<Endpoint> list = new ArrayList<>(endpoints(1, 1, 1, 1));
        list.add(TestContext.endpoint(9, Endpoint.MAX_WEIGHT));
        Map<Endpoint, Integer> counts = slots(table(list));
        assertThat(counts).hasSize(5);
        assertThat(counts.get(list.get(4))).isGreaterThan(MaglevTable.size(5, 100) - 5);
    }

    @Test
    void tableDependsOnlyOnTheSetOfEndpoints() {
        List<Endpoint> list = new ArrayList<>(endpoints(3, 1, 2, 5, 1, 1, 4, 2, 2, 1, 7));
        MaglevTable first = table(list);
        Collections.shuffle(list, new java.util.Random(5));
        MaglevTable second = table(list);
        assertThat(second.table).hasSameSizeAs(first.table);
        for (int s = 0; s < first.table.length; s++) {
            assertThat(second.endpoints[second.table[s]].endpoint()).as("slot %d", s)
                    .isEqualTo(first.endpoints[first.table[s]].endpoint());
        }
    }

    @Test
    void removingOneOfAHundredMovesItsKeysAndFewOthers() {
        int n = 100;
        List<Endpoint> list = equalEndpoints(n);
        Endpoint[] before = assign(Strategies.maglev(), list);
        for (int removed = 0; removed < n; removed += 9) {
            List<Endpoint> smaller = new ArrayList<>(list);
            Endpoint gone = smaller.remove(removed);
            Endpoint[] after = assign(Strategies.maglev(), smaller);
            int own = 0;
            int others = 0;
            for (int k = 0; k < KEYS; k++) {
                if (before[k].equals(gone)) {
                    own++;
                    assertThat(after[k]).isNotEqualTo(gone);
                } else if (!after[k].equals(before[k])) {
                    others++;
                }
            }
            assertThat(own).as("keys of %s", gone).isBetween((int) (0.9 * KEYS / n), (int) (1.1 * KEYS / n));
            // Maglev's refill also moves some keys between endpoints that stayed: measured about
            // 1.4 % here (a refill that fills the tail by linear probing moved 22 %)
            assertThat(others).as("keys of others moved when removing %s", gone).isLessThanOrEqualTo(2 * KEYS / n);
        }
    }

    @Test
    void addingAnEndpointMovesAboutItsShare() {
        List<Endpoint> list = equalEndpoints(101);
        Endpoint[] before = assign(Strategies.maglev(), list.subList(0, 100));
        Endpoint[] after = assign(Strategies.maglev(), list);
        int toNew = 0;
        int others = 0;
        for (int k = 0; k < KEYS; k++) {
            if (after[k].equals(list.get(100))) {
                toNew++;
            } else if (!after[k].equals(before[k])) {
                others++;
            }
        }
        assertThat(toNew).isBetween((int) (0.9 * KEYS / 101), (int) (1.1 * KEYS / 101));
        assertThat(others).isLessThanOrEqualTo(2 * KEYS / 101);
    }

    @Test
    void retryAvoidingEndpointsGoesElsewhereAndAllAvoidedGoesHome() {
        List<Endpoint> list = equalEndpoints(5);
        List<EndpointState> states = states(list);
        Picker picker = picker(Strategies.maglev(), states);
        Set<Endpoint> seconds = new HashSet<>();
        for (int k = 0; k < 500; k++) {
            Endpoint home = picker.pick(PickContext.ofHashKey("user-" + k)).endpoint();
            PickContext retry = PickContext.builder().hashKey("user-" + k).avoid(Set.of(home)).build();
            Endpoint second = picker.pick(retry).endpoint();
            assertThat(second).isNotEqualTo(home).isEqualTo(picker.pick(retry).endpoint());
            seconds.add(second);
            List<Endpoint> allButOne = new ArrayList<>(list);
            Endpoint left = allButOne.remove(k % 5);
            assertThat(picker.pick(PickContext.builder().hashKey("user-" + k).avoid(allButOne).build()).endpoint())
                    .isEqualTo(left);
            assertThat(picker.pick(PickContext.builder().hashKey("user-" + k).avoid(list).build()).endpoint())
                    .as("everything avoided: the key's own endpoint").isEqualTo(home);
        }
        assertThat(seconds).as("retries spread over the others").hasSize(5);
    }

    @Test
    void boundedLoadPassesCallsOnAndTheKeyReturnsWhenTheLoadDrops() {
        Balancer b = Balancer.builder("users").endpoints(equalEndpoints(4)).random(new SplittableRandom(2))
                .strategy(Strategies.maglevBuilder().boundedLoad(true).build()).build();
        PickContext key = PickContext.ofHashKey("hot");
        Selection first = b.pick(key);
        Endpoint home = first.endpoint();
        List<Selection> open = new ArrayList<>(List.of(first));
        for (int i = 0; i < 7; i++) {
            open.add(b.pick(key));
        }
        // 8 in flight over 4 endpoints: at most max(floor(1.25 * 2), 2) = 2 each
        Map<Endpoint, Integer> perEndpoint = new HashMap<>();
        open.forEach(s -> perEndpoint.merge(s.endpoint(), 1, Integer::sum));
        assertThat(perEndpoint.get(home)).isEqualTo(2);
        assertThat(perEndpoint).hasSizeGreaterThan(2);
        open.forEach(Selection::success);
        Selection again = b.pick(key);
        assertThat(again.endpoint()).as("home again once the load dropped").isEqualTo(home);
        again.success();
    }

    @Test
    void boundedLoadFindsTheOnlyEndpointWithRoomWhereverItIsInTheTable() {
        // 20 endpoints with 50 calls each in flight, one idle: at balance factor 1 only the idle
        // one has room, and most keys do not meet it in their next table slots
        List<Endpoint> list = equalEndpoints(20);
        Balancer loaded = Balancer.builder("fixture").endpoints(list).panicThreshold(0)
                .strategy(TestContext.roundRobinReadingAll()).build(); // counts the calls in flight
        List<Selection> open = new ArrayList<>();
        for (int i = 0; i < 20 * 50; i++) {
            open.add(loaded.pick());
        }
        Endpoint idle = list.get(7);
        open.stream().filter(s -> s.endpoint().equals(idle)).forEach(Selection::success);
        Picker picker = picker(Strategies.maglevBuilder().boundedLoad(true).balanceFactor(1.0).build(),
                loaded.snapshot().members());
        for (int k = 0; k < 1_000; k++) {
            assertThat(picker.pick(PickContext.ofHashKey("user-" + k)).endpoint()).as("key %d", k).isEqualTo(idle);
        }
    }

    @Test
    void aPickerForTheSameEndpointsServesTheSameTable() {
        List<EndpointState> states = states(equalEndpoints(30));
        TestContext context = new TestContext(new FakeTicker(), new SplittableRandom(1));
        int[] first = ((MaglevStrategy.TablePicker) Strategies.maglev().newPicker(states, context)).table;
        int[] again = ((MaglevStrategy.TablePicker) Strategies.maglev().newPicker(states, context)).table;
        assertThat(again).isSameAs(first);
        MaglevStrategy.TablePicker fewer =
                (MaglevStrategy.TablePicker) Strategies.maglev().newPicker(states.subList(1, 30), context);
        assertThat(fewer.table).as("one of 30 gone: the table is kept").isSameAs(first);
        assertThat(fewer.missing).containsOnlyOnce(true);
        int[] others = ((MaglevStrategy.TablePicker) Strategies.maglev().newPicker(states.subList(0, 29), context)).table;
        assertThat(others).as("another one gone: still the table filled from all 30").isSameAs(first);
        int[] bigger = ((MaglevStrategy.TablePicker) Strategies.maglevBuilder().tableSizeFactor(200).build()
                .newPicker(states.subList(1, 30), context)).table;
        assertThat(bigger).isNotSameAs(first).hasSize(MaglevTable.size(29, 200));
    }

    @Test
    void excludedEndpointsKeepTheTableMoveOnlyTheirKeysAndGetThemBack() {
        List<Endpoint> list = equalEndpoints(100);
        try (Balancer b = Balancer.builder("users").endpoints(list).strategy(Strategies.maglev()).build()) {
            b.flush().join();
            int[] table = ((MaglevStrategy.TablePicker) b.snapshot().picker()).table;
            Endpoint[] before = keys(b.snapshot().picker());
            Set<Endpoint> out = Set.of(list.get(3), list.get(41), list.get(77));
            io.lb4j.core.Exclusions owner = b.newExclusions("test");
            out.forEach(e -> owner.exclude(e, "down"));
            b.flush().join();
            MaglevStrategy.TablePicker patched = (MaglevStrategy.TablePicker) b.snapshot().picker();
            assertThat(patched.table).as("3 of 100 out: no refill").isSameAs(table);
            Endpoint[] during = keys(patched);
            Set<Endpoint> heirs = new HashSet<>();
            int theirs = 0;
            for (int k = 0; k < KEYS; k++) {
                assertThat(during[k]).isNotIn(out);
                if (out.contains(before[k])) {
                    theirs++;
                    heirs.add(during[k]);
                } else {
                    assertThat(during[k]).as("key %d of an endpoint still in", k).isEqualTo(before[k]);
                }
            }
            assertThat(theirs).isBetween((int) (0.9 * 3 * KEYS / 100), (int) (1.1 * 3 * KEYS / 100));
            assertThat(heirs).as("their keys spread over many endpoints").hasSizeGreaterThan(50);

            out.forEach(owner::include);
            b.flush().join();
            assertThat(((MaglevStrategy.TablePicker) b.snapshot().picker()).missing).isNull();
            assertThat(keys(b.snapshot().picker())).as("every key back where it was").containsExactly(before);
        }
    }

    @Test
    void aTenthGoneStaysBalancedAndMoreRefillsTheTable() {
        List<EndpointState> states = states(equalEndpoints(100));
        TestContext context = new TestContext(new FakeTicker(), new SplittableRandom(1));
        int[] full = ((MaglevStrategy.TablePicker) Strategies.maglev().newPicker(states, context)).table;
        List<EndpointState> ninety = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            if (i % 10 != 4) {
                ninety.add(states.get(i));
            }
        }
        MaglevStrategy.TablePicker patched = (MaglevStrategy.TablePicker) Strategies.maglev().newPicker(ninety, context);
        assertThat(patched.table).isSameAs(full);
        Map<EndpointState, Integer> served = new HashMap<>();
        for (int slot = 0; slot < patched.table.length; slot++) {
            served.merge(patched.endpoints[patched.home(slot)], 1, Integer::sum);
        }
        assertThat(served.keySet()).containsExactlyInAnyOrderElementsOf(ninety);
        double mean = patched.table.length / 90.0;
        int max = served.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        // the gone endpoints' slots pass to the next slot's endpoint: about a tenth more each, unevenly
        assertThat(max / mean).isLessThanOrEqualTo(1.15); // 1.07 measured

        List<EndpointState> eightyNine = new ArrayList<>(ninety.subList(1, 90));
        int[] refilled = ((MaglevStrategy.TablePicker) Strategies.maglev().newPicker(eightyNine, context)).table;
        assertThat(refilled).as("11 of 100 gone: refilled").isNotSameAs(full);
        assertThat(((MaglevStrategy.TablePicker) Strategies.maglev().newPicker(eightyNine, context)).missing).isNull();
    }

    @Test
    void aGoneEndpointIsNeverPickedNotEvenWhenEverythingIsAvoidedOrLoaded() {
        List<Endpoint> list = equalEndpoints(5);
        List<EndpointState> states = states(list);
        Strategy bounded = Strategies.maglevBuilder().boundedLoad(true).balanceFactor(1.0).build();
        List<EndpointState> four = states.subList(1, 5);
        for (Strategy strategy : List.of(Strategies.maglev(), bounded)) {
            TestContext shared = new TestContext(new FakeTicker(), new SplittableRandom(1));
            strategy.newPicker(states, shared);
            Picker picker = strategy.newPicker(four, shared);
            assertThat(((MaglevStrategy.TablePicker) picker).missing).as("%s keeps its table", strategy).isNotNull();
            for (int k = 0; k < 2_000; k++) {
                String key = "user-" + k;
                assertThat(picker.pick(PickContext.ofHashKey(key)).endpoint()).isNotEqualTo(list.get(0));
                assertThat(picker.pick(PickContext.builder().hashKey(key).avoid(list.subList(1, 5)).build()).endpoint())
                        .as("everything in is avoided: a repeat, never the one gone").isNotEqualTo(list.get(0));
                assertThat(picker.pick(PickContext.builder().hashKey(key).avoid(list.subList(2, 5)).build()).endpoint())
                        .isEqualTo(list.get(1));
            }
        }
    }

    /** Where each of {@link #KEYS} keys goes. */
    private static Endpoint[] keys(Picker picker) {
        Endpoint[] out = new Endpoint[KEYS];
        for (int k = 0; k < KEYS; k++) {
            out[k] = picker.pick(PickContext.ofHashKey("user-" + k)).endpoint();
        }
        return out;
    }

    @Test
    void aWeightChangeRefillsTheTable() {
        List<Endpoint> list = new ArrayList<>(equalEndpoints(10));
        Balancer b = Balancer.builder("users").endpoints(list).panicThreshold(0).build();
        TestContext context = new TestContext(new FakeTicker(), new SplittableRandom(1));
        MaglevStrategy.TablePicker before = (MaglevStrategy.TablePicker) Strategies.maglev().newPicker(b.snapshot().members(), context);
        list.set(3, list.get(3).withWeight(5));
        b.update(list);
        MaglevStrategy.TablePicker after = (MaglevStrategy.TablePicker) Strategies.maglev().newPicker(b.snapshot().members(), context);
        assertThat(after.table).isNotSameAs(before.table);
        int heavy = 0;
        for (int i : after.table) {
            heavy += after.endpoints[i].endpoint().equals(list.get(3)) ? 1 : 0;
        }
        assertThat(heavy / (double) after.table.length).isBetween(5 / 14.0 * 0.98, 5 / 14.0 * 1.02);
    }

    @Test
    void validatesOptionsAndDescribesItself() {
        assertThatThrownBy(() -> Strategies.maglevBuilder().tableSizeFactor(9))
                .hasMessage("tableSizeFactor: 9 (expected: 10-1000)");
        assertThatThrownBy(() -> Strategies.maglevBuilder().tableSizeFactor(1001))
                .hasMessage("tableSizeFactor: 1001 (expected: 10-1000)");
        assertThatThrownBy(() -> Strategies.maglevBuilder().balanceFactor(0.5))
                .hasMessage("balanceFactor: 0.5 (expected: 1.0-100.0)");
        assertThat(Strategies.maglevBuilder().build()).isSameAs(Strategies.maglev()).isSameAs(Strategies.named("maglev"));
        assertThat(Strategies.maglev().settings()).containsExactly(entry("tableSizeFactor", "100"));
        Strategy custom = Strategies.maglevBuilder().tableSizeFactor(50).boundedLoad(true).balanceFactor(1.5).build();
        assertThat(custom.settings()).containsExactly(entry("tableSizeFactor", "50"), entry("balanceFactor", "1.5"));
        assertThat(custom).hasToString("maglev{tableSizeFactor=50, balanceFactor=1.5}");
        assertThat(custom.name()).isEqualTo("maglev");
    }
}
