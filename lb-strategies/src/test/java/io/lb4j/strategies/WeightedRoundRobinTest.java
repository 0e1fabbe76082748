package io.lb4j.strategies;

import static io.lb4j.strategies.TestContext.endpoints;
import static io.lb4j.strategies.TestContext.states;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lb4j.core.Balancer;
import io.lb4j.core.EndpointState;
import io.lb4j.core.PickContext;
import io.lb4j.core.Picker;
import io.lb4j.core.internal.StripedSequence;
import io.lb4j.testing.FakeTicker;
import io.lb4j.testing.ScriptedRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeightedRoundRobinTest {

    private static String sequence(Picker picker, List<EndpointState> states, int picks) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < picks; i++) {
            sb.append((char) ('a' + states.indexOf(picker.pick(PickContext.NONE))));
        }
        return sb.toString();
    }

    private static Picker picker(List<EndpointState> states, int start) {
        return Strategies.weightedRoundRobin().newPicker(states, new TestContext(new FakeTicker(), TestContext.scripted(start)));
    }

    @Test
    void weightsThreeAndOneInterleaveSmoothly() {
        List<EndpointState> states = states(endpoints(3, 1));
        assertThat(sequence(picker(states, 0), states, 16)).isEqualTo("abaaabaaabaaabaa");
    }

    @Test
    void equalWeightsGoRoundInOrder() {
        List<EndpointState> states = states(endpoints(1, 1, 1));
        assertThat(sequence(picker(states, 0), states, 9)).isEqualTo("abcabcabc");
    }

    @Test
    void weightsFiveThreeTwoGiveExactCountsAndEveryWindowOfTenWithinTwoOfItsShare() {
        List<EndpointState> states = states(endpoints(5, 3, 2));
        String seq = sequence(picker(states, 0), states, 30);
        assertThat(seq).isEqualTo("abcabaabcabaabcabcabaaacabaabc");
        assertThat(seq.chars().filter(c -> c == 'a').count()).isEqualTo(15);
        assertThat(seq.chars().filter(c -> c == 'b').count()).isEqualTo(9);
        for (int window = 0; window + 10 <= seq.length(); window++) {
            String part = seq.substring(window, window + 10);
            assertThat(part.chars().filter(c -> c == 'a').count()).as(part).isBetween(3L, 7L);
        }
        assertThat(seq).doesNotContain("bb").doesNotContain("cc");
    }

    @Test
    void wrapsAroundTheSequenceCounterWithoutAHiccupInColumns() {
        List<EndpointState> states = states(endpoints(1, 1));
        // Integer.MAX_VALUE is odd: the last index before the wrap is column 1, the first after is column 0
        assertThat(sequence(picker(states, Integer.MAX_VALUE - 3), states, 8)).isEqualTo("ababab" + "ab");
    }

    @Test
    void sharesAreWithinATenthOfAPercentOverAMillionPicks() {
        int[] weights = {1, 2, 3, 4, 10, 80};
        List<EndpointState> states = states(endpoints(weights));
        Picker picker = picker(states, 12345);
        int picks = 1_000_000;
        int[] counts = TestContext.counts(picker, states, picks);
        for (int i = 0; i < weights.length; i++) {
            double target = weights[i] / 100.0;
            assertThat((double) counts[i] / picks).as("endpoint %d", i).isCloseTo(target, within(target * 0.001));
        }
    }

    @Test
    void everyPickTakesExactlyOneStepEvenWithExtremeWeights() {
        // one heavy endpoint among 9,999 of weight 1: a skip-until-due stride scheduler would
        // loop thousands of times per pick to reach a light one
        int n = 10_000;
        int[] weights = new int[n];
        java.util.Arrays.fill(weights, 1);
        weights[0] = 1_000_000;
        List<EndpointState> states = states(endpoints(weights));
        TestContext ctx = new TestContext(new FakeTicker(), TestContext.scripted(0));
        Picker picker = Strategies.weightedRoundRobin().newPicker(states, ctx);
        StripedSequence steps = (StripedSequence) ctx.onlyShared();
        int picks = 2_000_000;
        int heavy = 0;
        for (int i = 0; i < picks; i++) {
            if (picker.pick(PickContext.NONE) == states.get(0)) {
                heavy++;
            }
        }
        assertThat(steps.steps()).as("sequence steps for %d picks", picks).isEqualTo((long) picks);
        double target = 1_000_000.0 / (1_000_000 + n - 1);
        assertThat((double) heavy / picks).isCloseTo(target, within(0.0005));
    }

    /**
     * Weights 5, 3, 2 with the weight-2 endpoint failing every call; each failure is retried once,
     * avoiding it. Its first attempts stay at its weighted share, 20 %: retries do not step the
     * shared sequence (when they did, each retry took the slot after the failing endpoint).
     */
    @Test
    void aFailingEndpointKeepsItsWeightedShareOfFirstAttemptsWhenEachFailureIsRetried() {
        List<io.lb4j.core.Endpoint> list = endpoints(5, 3, 2);
        io.lb4j.core.Endpoint bad = list.get(2);
        // outlier ejection off: the sequence is what is measured, while the endpoint is in rotation
        Balancer b = Balancer.builder("users").endpoints(list).random(new ScriptedRandom(3))
                .outlierEjection(io.lb4j.core.OutlierEjection.disabled())
                .strategy(Strategies.weightedRoundRobin()).build();
        int calls = 10_000;
        int[] firstAttempts = new int[3];
        int[] retries = new int[3];
        for (int i = 0; i < calls; i++) {
            io.lb4j.core.Selection first = b.pick();
            firstAttempts[list.indexOf(first.endpoint())]++;
            if (!first.endpoint().equals(bad)) {
                first.success();
                continue;
            }
            first.failure(new java.io.IOException("503"));
            io.lb4j.core.Selection retry = b.pick(PickContext.avoiding(List.of(bad)));
            retries[list.indexOf(retry.endpoint())]++;
            retry.success();
        }
        assertThat(firstAttempts[2]).as("first attempts of the failing endpoint").isBetween(1_990, 2_010);
        assertThat(firstAttempts[0]).isBetween(4_990, 5_010);
        assertThat(firstAttempts[1]).isBetween(2_990, 3_010);
        // retries are weighted draws among the others: 5:3 of the 2,000
        assertThat(retries[2]).isZero();
        assertThat((double) retries[0] / (retries[0] + retries[1])).isCloseTo(5 / 8.0, within(0.04));
    }

    @Test
    void sequenceContinuesAcrossAListChange() {
        FakeTicker ticker = new FakeTicker();
        Balancer b = Balancer.builder("users").endpoints(endpoints(1, 1)).ticker(ticker)
                .random(TestContext.scripted(0)).strategy(Strategies.weightedRoundRobin()).build();
        assertThat(b.pick().endpoint()).isEqualTo(endpoints(1, 1).get(0));
        b.update(endpoints(1, 1, 1));
        // the shared counter is at 1, so the new list starts at its second endpoint
        assertThat(b.pick().endpoint()).isEqualTo(endpoints(1, 1, 1).get(1));
    }
}
