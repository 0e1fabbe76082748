package io.lb4j.strategies;

import static io.lb4j.strategies.TestContext.endpoint;
import static io.lb4j.strategies.TestContext.equalEndpoints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.Selection;
import io.lb4j.core.Strategy;
import io.lb4j.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SlowStartTest {

    private static final Duration WINDOW = Duration.ofSeconds(30);
    private static final SlowStart RAMP = SlowStart.of(WINDOW);

    static Stream<Strategy> rampingStrategies() {
        return Stream.of(
                Strategies.weightedRoundRobinBuilder().slowStart(RAMP).build(),
                Strategies.weightedRandomBuilder().slowStart(RAMP).build(),
                Strategies.leastConnectionsBuilder().slowStart(RAMP).build(),
                Strategies.peakEwmaBuilder().slowStart(RAMP).build());
    }

    private static double share(Balancer b, Endpoint e, int picks) {
        int hits = 0;
        for (int i = 0; i < picks; i++) {
            Selection s = b.pick();
            if (s.endpoint().equals(e)) {
                hits++;
            }
            s.success();
        }
        return (double) hits / picks;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rampingStrategies")
    void newEndpointRampsFromTenPercentOfItsShareToFullOverTheWindow(Strategy strategy) {
        FakeTicker ticker = new FakeTicker();
        List<Endpoint> list = new ArrayList<>(equalEndpoints(4));
        Balancer b = Balancer.builder("users").endpoints(list).ticker(ticker).random(new SplittableRandom(21))
                .strategy(strategy).build();
        ticker.advance(WINDOW.multipliedBy(2));
        Endpoint added = endpoint(99, 1);
        list.add(added);
        b.update(list);
        // a full share is 1/5
        assertThat(share(b, added, 20_000)).as("just added").isCloseTo(0.02, within(0.008));
        ticker.advance(WINDOW.dividedBy(2));
        assertThat(share(b, added, 20_000)).as("half way").isCloseTo(0.11, within(0.015));
        // a list change re-lists the endpoint but must not restart its ramp
        list.set(0, list.get(0).withWeight(1).toBuilder().zone("z").build());
        b.update(list);
        assertThat(share(b, added, 20_000)).as("half way, after a list change").isCloseTo(0.11, within(0.015));
        ticker.advance(WINDOW.dividedBy(2));
        assertThat(share(b, added, 20_000)).as("after the window").isCloseTo(0.2, within(0.015));
    }

    @Test
    void withoutSlowStartANewEndpointGetsItsFullShareAtOnce() {
        FakeTicker ticker = new FakeTicker();
        List<Endpoint> list = new ArrayList<>(equalEndpoints(4));
        Balancer b = Balancer.builder("users").endpoints(list).ticker(ticker).random(new SplittableRandom(21))
                .strategy(Strategies.weightedRandom()).build();
        Endpoint added = endpoint(99, 1);
        list.add(added);
        b.update(list);
        assertThat(share(b, added, 20_000)).isCloseTo(0.2, within(0.015));
    }

    @Test
    void endpointsOfTheFirstListRampTogetherAndKeepTheirProportions() {
        FakeTicker ticker = new FakeTicker();
        List<Endpoint> list = equalEndpoints(4);
        Balancer b = Balancer.builder("users").endpoints(list).ticker(ticker).random(new SplittableRandom(21))
                .strategy(Strategies.weightedRandomBuilder().slowStart(RAMP).build()).build();
        for (Endpoint e : list) {
            assertThat(share(b, e, 20_000)).isCloseTo(0.25, within(0.015));
        }
    }

    @Test
    void shareGrowsLinearlyFromTheMinimum() {
        SlowStart s = SlowStart.of(Duration.ofSeconds(10), 0.2);
        assertThat(s.share(0)).isEqualTo(0.2);
        assertThat(s.share(Duration.ofSeconds(5).toNanos())).isCloseTo(0.6, within(1e-12));
        assertThat(s.share(Duration.ofSeconds(10).toNanos())).isEqualTo(1.0);
        assertThat(s.share(-1)).isEqualTo(0.2);
    }

    @Test
    void validatesWindowAndMinimumShare() {
        assertThatThrownBy(() -> SlowStart.of(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("window: PT-1S (expected: >= 0)");
        assertThatThrownBy(() -> SlowStart.of(WINDOW, 1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("minShare: 1.5 (expected: 0.0-1.0)");
        assertThat(SlowStart.of(Duration.ZERO)).isSameAs(SlowStart.disabled());
        assertThat(SlowStart.of(WINDOW)).isEqualTo(SlowStart.of(WINDOW, SlowStart.DEFAULT_MIN_SHARE))
                .hasToString("SlowStart{window=PT30S, minShare=0.1}");
    }
}
