package io.lb4j.strategies;

import static io.lb4j.strategies.TestContext.equalEndpoints;
import static io.lb4j.strategies.TestContext.states;
import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.EndpointState;
import org.junit.jupiter.api.Test;

class GoneTest {
    private final EndpointState[] input = states(equalEndpoints(20)).toArray(new EndpointState[0]);
    private final int[] weights = new int[20];
    private final int[] positionOf = new int[20];

    GoneTest() {
        for (int i = 0; i < 20; i++) {
            weights[i] = 1 + i % 3;
            positionOf[i] = 100 + i;
        }
    }

    private int[] without(int... drop) {
        return Gone.positions(input, weights, positionOf, keep(drop), keepWeights(drop));
    }

    /** The input indices left when {@code drop} are gone, in order. */
    private static int[] kept(int... drop) {
        return java.util.stream.IntStream.range(0, 20)
                .filter(i -> java.util.Arrays.stream(drop).noneMatch(d -> d == i)).toArray();
    }

    private EndpointState[] keep(int... drop) {
        return java.util.Arrays.stream(kept(drop)).mapToObj(i -> input[i]).toArray(EndpointState[]::new);
    }

    private int[] keepWeights(int... drop) {
        return java.util.Arrays.stream(kept(drop)).map(i -> weights[i]).toArray();
    }

    @Test
    void theSameListLacksNothingAndATenthGoneIsNamedByPosition() {
        assertThat(without()).isEmpty();
        assertThat(without(0, 19)).containsExactly(100, 119);
        assertThat(without(3, 4, 5)).as("more than a tenth of 20").isNull();
    }

    @Test
    void anotherOrderAnotherWeightOrAStrangerCannotBeServed() {
        EndpointState[] swapped = input.clone();
        swapped[0] = input[1];
        swapped[1] = input[0];
        assertThat(Gone.positions(input, weights, positionOf, swapped, weights)).isNull();

        int[] heavier = weights.clone();
        heavier[7]++;
        assertThat(Gone.positions(input, weights, positionOf, input, heavier)).isNull();

        EndpointState[] stranger = keep(5);
        stranger[10] = states(equalEndpoints(30)).get(25);
        assertThat(Gone.positions(input, weights, positionOf, stranger, keepWeights(5))).isNull();

        EndpointState[] more = java.util.Arrays.copyOf(input, 21);
        more[20] = stranger[10];
        assertThat(Gone.positions(input, weights, positionOf, more, java.util.Arrays.copyOf(weights, 21))).isNull();
    }

    @Test
    void aMaskMarksTheGoneAndIsNullWhenNoneIs() {
        assertThat(Gone.mask(4, new int[0])).isNull();
        assertThat(Gone.mask(4, new int[] {1, 3})).containsExactly(false, true, false, true);
        EndpointState[] present = Gone.present(input, Gone.mask(20, new int[] {2}));
        assertThat(present[2]).isNull();
        assertThat(present[3]).isSameAs(input[3]);
        assertThat(Gone.present(input, null)).isSameAs(input);
    }
}
