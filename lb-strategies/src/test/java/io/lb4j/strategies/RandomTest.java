package io.lb4j.strategies;

import static io.lb4j.strategies.TestContext.equalEndpoints;
import static io.lb4j.strategies.TestContext.states;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lb4j.core.EndpointState;
import io.lb4j.core.PickContext;
import io.lb4j.core.Picker;
import io.lb4j.testing.FakeTicker;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomTest {

    @Test
    void picksWhatTheInjectedRandomSays() {
        List<EndpointState> states = states(equalEndpoints(4));
        Picker picker = Strategies.random().newPicker(states, new TestContext(new FakeTicker(), TestContext.scripted(2, 0, 3, 3)));
        assertThat(List.of(picker.pick(PickContext.NONE), picker.pick(PickContext.NONE), picker.pick(PickContext.NONE),
                picker.pick(PickContext.NONE)))
                .containsExactly(states.get(2), states.get(0), states.get(3), states.get(3));
    }

    @Test
    void isUniformWithinHalfAPercentOverAMillionPicksIgnoringWeights() {
        List<EndpointState> states = states(TestContext.endpoints(1, 5, 10, 100));
        Picker picker = Strategies.random().newPicker(states, new TestContext(new FakeTicker(), new SplittableRandom(3)));
        int picks = 1_000_000;
        for (int count : TestContext.counts(picker, states, picks)) {
            // sigma of a 25 % share over 10^6 picks is 0.17 % of the share: 0.5 % is about 3 sigma
            assertThat((double) count / picks).isCloseTo(0.25, within(0.25 * 0.005));
        }
    }
}
