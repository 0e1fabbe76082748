package io.lb4j.strategies;

import static io.lb4j.strategies.TestContext.endpoints;
import static io.lb4j.strategies.TestContext.equalEndpoints;
import static io.lb4j.strategies.TestContext.states;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointState;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selection;
import io.lb4j.testing.FakeTicker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LeastConnectionsTest {

    /** Records which endpoints each pick compared. */
    static final class RecordingPicker extends ChoicePicker {
        final List<Integer> sampled = new ArrayList<>();

        RecordingPicker(List<EndpointState> endpoints, int choices, long seed) {
            super(endpoints, endpoints.stream().mapToInt(EndpointState::weight).toArray(), choices,
                    new SplittableRandom(seed), new FakeTicker(), null, false, false);
        }

        @Override
        double load(int i, long nowNanos) {
            sampled.add(i);
            return 0;
        }
    }

    @Test
    void twoChoicesAreAlwaysTwoDistinctEndpoints() {
        for (int n = 2; n <= 9; n++) {
            RecordingPicker picker = new RecordingPicker(states(equalEndpoints(n)), 2, n);
            int[] seen = new int[n];
            for (int pick = 0; pick < 20_000; pick++) {
                picker.sampled.clear();
                picker.pick(PickContext.NONE);
                assertThat(picker.sampled).hasSize(2).doesNotHaveDuplicates();
                seen[picker.sampled.get(0)]++;
                seen[picker.sampled.get(1)]++;
            }
            // and every endpoint is sampled about equally often (2/n of picks, within 10 %)
            for (int count : seen) {
                assertThat(count).isBetween((int) (40_000 / n * 0.9), (int) (40_000 / n * 1.1));
            }
        }
    }

    @Test
    void theDefaultPickersSamplingNeverDrawsOneEndpointTwice() {
        // the two-choice picker of the default configuration shares these two draws
        SplittableRandom random = new SplittableRandom(17);
        for (int n = 2; n <= 9; n++) {
            for (int i = 0; i < 20_000; i++) {
                long r = random.nextLong();
                int first = ChoicePicker.first(r, n);
                int second = ChoicePicker.second(r, n, first);
                assertThat(first).isBetween(0, n - 1);
                assertThat(second).isBetween(0, n - 1).isNotEqualTo(first);
                // the high half's draw over the n - 1 others, those from first on shifted up by one
                int others = (int) (((r >>> 32) * (n - 1)) >>> 32);
                assertThat(second).isEqualTo(others < first ? others : others + 1);
            }
            assertThat(ChoicePicker.second(-1L, n, n - 1)).as("largest draw, last endpoint taken").isEqualTo(n - 2);
        }
    }

    @Test
    void moreChoicesAreAllDistinctAndCappedAtTheEndpointCount() {
        RecordingPicker picker = new RecordingPicker(states(equalEndpoints(10)), 4, 3);
        for (int pick = 0; pick < 10_000; pick++) {
            picker.sampled.clear();
            picker.pick(PickContext.NONE);
            assertThat(picker.sampled).hasSize(4).doesNotHaveDuplicates();
        }
        RecordingPicker capped = new RecordingPicker(states(equalEndpoints(3)), 5, 3);
        capped.pick(PickContext.NONE);
        assertThat(capped.sampled).containsExactlyInAnyOrder(0, 1, 2);
    }

    /**
     * A least-connections balancer over {@code list} with {@code open} selections held on
     * {@code busy}: piled up under round-robin first (least-connections would stop sending to it),
     * then switched, which keeps in-flight counts.
     */
    private static Balancer leastConnectionsWithOpenSelections(List<Endpoint> list, Endpoint busy, int open, long seed) {
        Balancer b = Balancer.builder("users").endpoints(list).random(new SplittableRandom(seed))
                .strategy(TestContext.roundRobinReadingAll()).build();
        for (int held = 0; held < open; ) {
            Selection s = b.pick();
            if (s.endpoint().equals(busy)) {
                held++;
            } else {
                s.success();
            }
        }
        b.strategy(Strategies.leastConnections());
        return b;
    }

    /** {@code calls} calls one after another, each completed before the next: picks per endpoint. */
    private static Map<Endpoint, Integer> sequentialCalls(Balancer b, int calls) {
        Map<Endpoint, Integer> counts = new HashMap<>();
        for (int i = 0; i < calls; i++) {
            Selection s = b.pick();
            counts.merge(s.endpoint(), 1, Integer::sum);
            s.success();
        }
        return counts;
    }

    @Test
    void avoidsAnEndpointHoldingManyOpenSelectionsOpenedBeforeASwitch() {
        List<Endpoint> list = equalEndpoints(3);
        Endpoint busy = list.get(0);
        Balancer b = leastConnectionsWithOpenSelections(list, busy, 20, 5);
        assertThat(b.snapshot().member(busy).inFlight()).isEqualTo(20);
        Map<Endpoint, Integer> counts = sequentialCalls(b, 10_000);
        assertThat(counts.getOrDefault(busy, 0)).isZero();
        assertThat(counts.get(list.get(1))).isBetween(4_500, 5_500);
    }

    @Test
    void spreadsConcurrentSelectionsEvenly() {
        Balancer b = Balancer.builder("users").endpoints(equalEndpoints(10)).random(new SplittableRandom(9))
                .strategy(Strategies.leastConnections()).build();
        for (int i = 0; i < 1_000; i++) {
            b.pick(); // never completed
        }
        for (EndpointState s : b.snapshot().members()) {
            assertThat(s.inFlight()).isBetween(95, 105);
        }
    }

    @Test
    void heavierEndpointTakesCallsInProportionToWeight() {
        Balancer b = Balancer.builder("users").endpoints(endpoints(1, 3)).random(new SplittableRandom(9))
                .strategy(Strategies.leastConnections()).build();
        for (int i = 0; i < 400; i++) {
            b.pick();
        }
        List<EndpointState> members = b.snapshot().members();
        // (inFlight + 1) / weight is balanced when inFlight is about 100 and 300
        assertThat(members.get(0).inFlight()).isBetween(95, 105);
        assertThat(members.get(1).inFlight()).isBetween(295, 305);
    }

    /**
     * Load model: one call at a time (each completes before the next starts), so nothing is in
     * flight at any pick; weights 1 to 8. Comparing {@code (inFlight + 1) / weight} of two uniform
     * samples gave the weight-1 endpoint nothing and the weight-8 one 25 % (fair: 2.8 % and 22 %).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {2, 3})
    void atLowLoadEachEndpointGetsItsWeightedShare(int choiceCount) {
        int[] weights = {1, 2, 3, 4, 5, 6, 7, 8};
        Balancer b = Balancer.builder("users").endpoints(endpoints(weights)).random(new SplittableRandom(21))
                .strategy(Strategies.leastConnectionsBuilder().choiceCount(choiceCount).build()).build();
        int calls = 72_000;
        Map<Endpoint, Integer> counts = sequentialCalls(b, calls);
        List<Endpoint> list = endpoints(weights);
        for (int i = 0; i < weights.length; i++) {
            double fair = weights[i] / 36.0;
            assertThat((double) counts.getOrDefault(list.get(i), 0) / calls).as("weight %d", weights[i])
                    .isCloseTo(fair, within(fair * 0.1));
        }
    }

    /**
     * Load model: 3,600 selections held open at once (all in flight), weights 1 to 8: the
     * in-flight counts settle in proportion to weight, 100 per unit.
     */
    @Test
    void underLoadInFlightCountsFollowWeights() {
        int[] weights = {1, 2, 3, 4, 5, 6, 7, 8};
        Balancer b = Balancer.builder("users").endpoints(endpoints(weights)).random(new SplittableRandom(4))
                .strategy(Strategies.leastConnections()).build();
        for (int i = 0; i < 3_600; i++) {
            b.pick(); // never completed
        }
        List<EndpointState> members = b.snapshot().members();
        for (int i = 0; i < weights.length; i++) {
            assertThat(members.get(i).inFlight()).as("weight %d", weights[i])
                    .isBetween(100 * weights[i] - 12, 100 * weights[i] + 12);
        }
    }

    /**
     * Load model: sequential calls, weights 1 to 8, while 20 selections stay open on the
     * weight-8 endpoint (a slow backend): it gets no new call, the others share by weight.
     */
    @Test
    void withWeightsAnEndpointHoldingOpenSelectionsIsAvoided() {
        int[] weights = {1, 2, 3, 4, 5, 6, 7, 8};
        List<Endpoint> list = endpoints(weights);
        Endpoint busy = list.get(7);
        Balancer b = leastConnectionsWithOpenSelections(list, busy, 20, 8);
        Map<Endpoint, Integer> counts = sequentialCalls(b, 28_000);
        assertThat(counts.getOrDefault(busy, 0)).isZero();
        for (int i = 0; i < 7; i++) {
            double fair = weights[i] / 28.0;
            assertThat((double) counts.getOrDefault(list.get(i), 0) / 28_000).as("weight %d", weights[i])
                    .isCloseTo(fair, within(fair * 0.15));
        }
    }

    @Test
    void tiesGoToEitherSample() {
        List<EndpointState> states = states(equalEndpoints(2));
        var picker = Strategies.leastConnections().newPicker(states, new TestContext(new FakeTicker(), new SplittableRandom(3)));
        Set<EndpointState> picked = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            picked.add(picker.pick(PickContext.NONE));
        }
        assertThat(picked).hasSize(2);
    }

    @Test
    void rejectsFewerThanTwoChoices() {
        assertThatThrownBy(() -> Strategies.leastConnectionsBuilder().choiceCount(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("choiceCount: 1 (expected: >= 2)");
    }

    @Test
    void builderWithDefaultsGivesTheDefaultStrategy() {
        assertThat(Strategies.leastConnectionsBuilder().build()).isSameAs(Strategies.leastConnections());
        assertThat(Strategies.leastConnectionsBuilder().choiceCount(3).build())
                .hasToString("least-connections{choiceCount=3}");
    }
}
