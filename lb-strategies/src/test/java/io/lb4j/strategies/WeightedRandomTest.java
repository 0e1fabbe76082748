package io.lb4j.strategies;

import static io.lb4j.strategies.TestContext.endpoints;
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

class WeightedRandomTest {

    @Test
    void aliasTableGivesEveryEndpointExactlyItsWeightedShare() {
        int[] weights = {7, 1, 1_000_000, 3, 0, 250, 1};
        AliasTable table = AliasTable.of(weights);
        double[] share = new double[weights.length];
        for (int c = 0; c < table.size(); c++) {
            double own = table.split(c) / 4294967296.0;
            share[c] += own / table.size();
            share[table.alias(c)] += (1 - own) / table.size();
        }
        long total = 7 + 1 + 1_000_000 + 3 + 1 + 250 + 1; // weight 0 counts as 1: pickable only in panic
        for (int i = 0; i < weights.length; i++) {
            assertThat(share[i]).as("endpoint %d", i).isCloseTo(Math.max(1, weights[i]) / (double) total, within(1e-9));
        }
    }

    @Test
    void aColumnResolvesToItsOwnEndpointBelowTheSplitAndToItsAliasFromTheSplitOn() {
        int[] weights = {7, 1, 1_000_000, 3, 0, 250, 1};
        AliasTable table = AliasTable.of(weights);
        long top = 0xFFFF_FFFFL;
        for (int c = 0; c < table.size(); c++) {
            long split = table.split(c);
            int alias = table.alias(c);
            for (long u : new long[] {0, split - 1, split, split + 1, top - 1, top}) {
                if (u < 0 || u > top) {
                    continue;
                }
                int expected = u < split ? c : alias;
                assertThat(table.resolve(c, u)).as("column %d (split %d, alias %d) at %d", c, split, alias, u)
                        .isEqualTo(expected);
            }
        }
        // a column split inside: both sides are reached
        int inside = -1;
        for (int c = 0; c < table.size() && inside < 0; c++) {
            if (table.split(c) > 0 && table.split(c) < top && table.alias(c) != c) {
                inside = c;
            }
        }
        assertThat(inside).as("a column with an alias").isGreaterThanOrEqualTo(0);
        assertThat(table.resolve(inside, 0)).isEqualTo(inside);
        assertThat(table.resolve(inside, top)).isEqualTo(table.alias(inside));
    }

    @Test
    void sharesAreWithinHalfAPercentOfTargetOverAMillionPicks() {
        int[] weights = {1, 2, 3, 4, 10, 80};
        List<EndpointState> states = states(endpoints(weights));
        Picker picker = Strategies.weightedRandom().newPicker(states, new TestContext(new FakeTicker(), new SplittableRandom(7)));
        int picks = 1_000_000;
        int[] counts = TestContext.counts(picker, states, picks);
        // 0.5 % of each target share (relative); shares under 10 % have a binomial sigma near or above
        // 0.5 % of themselves at 10^6 picks, so they get an absolute 0.05 percentage points instead
        for (int i = 0; i < weights.length; i++) {
            double target = weights[i] / 100.0;
            double tolerance = Math.max(target * 0.005, 0.0005);
            assertThat((double) counts[i] / picks).as("endpoint %d", i).isCloseTo(target, within(tolerance));
        }
    }

    @Test
    void singleEndpointIsAlwaysPicked() {
        List<EndpointState> states = states(endpoints(5));
        Picker picker = Strategies.weightedRandom().newPicker(states, new TestContext(new FakeTicker(), new SplittableRandom(1)));
        for (int i = 0; i < 100; i++) {
            assertThat(picker.pick(PickContext.NONE)).isSameAs(states.get(0));
        }
    }
}
