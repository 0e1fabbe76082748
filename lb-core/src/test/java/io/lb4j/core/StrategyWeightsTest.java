package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link StrategyContext#weights}: the weights a snapshot was built with, in the order of the list
 * a strategy is given, for every kind of snapshot (first update, exclusion change, weight change).
 */
class StrategyWeightsTest {

    /** Records, for each picker built, the endpoints, the context's weights and each state's own. */
    private static final class RecordingStrategy implements Strategy {
        final List<List<Endpoint>> lists = new ArrayList<>();
        final List<int[]> weights = new ArrayList<>();
        final List<int[]> stateWeights = new ArrayList<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public synchronized Picker newPicker(List<EndpointState> endpoints, StrategyContext context) {
            List<Endpoint> list = new ArrayList<>();
            int[] own = new int[endpoints.size()];
            for (int i = 0; i < own.length; i++) {
                list.add(endpoints.get(i).endpoint());
                own[i] = endpoints.get(i).weight();
            }
            lists.add(list);
            weights.add(context.weights(endpoints));
            stateWeights.add(own);
            return ctx -> endpoints.get(0);
        }

        synchronized int[] lastWeights() {
            return weights.get(weights.size() - 1);
        }

        synchronized List<Endpoint> lastList() {
            return lists.get(lists.size() - 1);
        }
    }

    private static Endpoint ep(String text, int weight) {
        return Endpoint.parse(text).withWeight(weight);
    }

    @Test
    void thePickableListsWeightsComeInItsOrderWithoutDrainedOrExcludedMembers() {
        RecordingStrategy strategy = new RecordingStrategy();
        try (Balancer b = Balancer.builder("svc").strategy(strategy).panicThreshold(0)
                .endpoints(List.of(ep("a:1", 3), ep("b:1", 1), ep("c:1", 0), ep("d:1", 5))).build()) {
            b.flush().join();
            assertThat(strategy.lastList()).extracting(Endpoint::authority).containsExactly("a:1", "b:1", "d:1");
            assertThat(strategy.lastWeights()).containsExactly(3, 1, 5);

            Exclusions owner = b.newExclusions("test");
            owner.exclude(Endpoint.parse("b:1"), "down");
            b.flush().join();
            assertThat(strategy.lastList()).extracting(Endpoint::authority).containsExactly("a:1", "d:1");
            assertThat(strategy.lastWeights()).as("same members: the weights are reused, not re-read").containsExactly(3, 5);

            owner.include(Endpoint.parse("b:1"));
            b.update(List.of(ep("a:1", 3), ep("b:1", 1), ep("c:1", 0), ep("d:1", 9)));
            b.flush().join();
            assertThat(strategy.lastWeights()).as("a weight change").containsExactly(3, 1, 9);
        }
    }

    @Test
    void duringAnUpdateThePickerGetsTheNewWeightsBeforeTheStatesHaveThem() {
        RecordingStrategy strategy = new RecordingStrategy();
        try (Balancer b = Balancer.builder("svc").strategy(strategy)
                .endpoints(List.of(ep("a:1", 2), ep("b:1", 4))).build()) {
            b.update(List.of(ep("a:1", 7), ep("b:1", 4), ep("e:1", 1)));
            b.flush().join();
            synchronized (strategy) {
                int last = strategy.weights.size() - 1;
                assertThat(strategy.weights.get(last)).as("the weights that decided eligibility").containsExactly(7, 4, 1);
                assertThat(strategy.stateWeights.get(last)).as("live state is written after the picker is built")
                        .containsExactly(2, 4, 1);
            }

            b.newExclusions("test").exclude(Endpoint.parse("e:1"), "down");
            b.flush().join();
            synchronized (strategy) {
                int last = strategy.weights.size() - 1;
                assertThat(strategy.weights.get(last)).containsExactly(7, 4);
                assertThat(strategy.stateWeights.get(last)).as("once the update is done").containsExactly(7, 4);
            }
        }
    }

    @Test
    void anyOtherListIsReadStateByStateAndEachAnswerIsTheCallersOwn() {
        try (Balancer b = Balancer.builder("svc").endpoints(List.of(ep("a:1", 2), ep("b:1", 6))).build()) {
            b.flush().join();
            List<EndpointState> members = b.snapshot().members();
            StrategyContext context = (StrategyContext) b;
            List<EndpointState> copied = new ArrayList<>(members);
            java.util.Collections.reverse(copied);

            assertThat(context.weights(copied)).containsExactly(6, 2);
            int[] first = context.weights(members);
            assertThat(first).containsExactly(2, 6);
            first[0] = 99;
            assertThat(context.weights(members)).as("a copy each time").containsExactly(2, 6);
        }
    }

    @Test
    void aStateListIsUnmodifiableAndCopiesOutWhole() {
        EndpointState a = new EndpointState(ep("a:1", 2), 0, 1_000_000_000L);
        EndpointState b = new EndpointState(ep("b:1", 3), 0, 1_000_000_000L);
        StateList list = new StateList(new EndpointState[] {a, b, null}, new int[] {2, 3, 0}, 2);

        assertThat(list).containsExactly(a, b);
        assertThat(list.toArray(new EndpointState[0])).containsExactly(a, b);
        EndpointState[] roomy = {null, null, a, a};
        assertThat(list.toArray(roomy)).isSameAs(roomy).containsExactly(a, b, null, a);
        assertThat(list.toArray()).containsExactly(a, b);
        assertThatThrownBy(() -> list.get(2)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("index 2 of a list of 2");
        assertThatThrownBy(() -> list.add(a)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> list.set(0, b)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new StateList(new EndpointState[1], new int[2], 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size 2 exceeds 1 states");
    }
}
