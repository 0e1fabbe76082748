package io.lb4j.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Balancer;
import io.lb4j.core.Strategy;
import io.lb4j.core.Selection;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StrategiesTest {

    private static final List<String> BUILT_IN = List.of("round-robin", "random", "weighted-round-robin",
            "weighted-random", "least-connections", "peak-ewma", "consistent-hash", "maglev", "load-weighted");

    @ParameterizedTest
    @ValueSource(strings = {"round-robin", "random", "weighted-round-robin", "weighted-random",
            "least-connections", "peak-ewma", "consistent-hash", "maglev", "load-weighted"})
    void namedGivesTheBuiltInStrategyOfThatName(String name) {
        Strategy s = Strategies.named(name);
        assertThat(s.name()).isEqualTo(name);
        // and it picks
        Balancer b = Balancer.builder("users").endpoints("10.0.0.1:80", "10.0.0.2:80").strategy(s).build();
        assertThat(b.pick().endpoint().port()).isEqualTo(80);
    }

    @Test
    void factoryMethodsAndNamesAgree() {
        assertThat(Strategies.roundRobin()).isSameAs(Strategy.roundRobin());
        assertThat(List.of(Strategies.roundRobin(), Strategies.random(), Strategies.weightedRoundRobin(),
                Strategies.weightedRandom(), Strategies.leastConnections(), Strategies.peakEwma(),
                Strategies.consistentHash(), Strategies.maglev(), Strategies.loadWeighted()))
                .extracting(Strategy::name).containsExactlyElementsOf(BUILT_IN);
    }

    @Test
    void findsUserStrategiesThroughServiceLoader() {
        assertThat(Strategies.named("first-endpoint")).isSameAs(FirstEndpointProvider.FIRST);
        assertThat(Strategies.names()).containsAll(BUILT_IN).contains("first-endpoint");
    }

    @Test
    void providerCannotTakeOverABuiltInName() {
        assertThat(Strategies.named("random")).isSameAs(Strategies.random());
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Strategies.named("fastest"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("strategy: 'fastest' (expected one of: consistent-hash, first-endpoint, least-connections,"
                        + " load-weighted, maglev, peak-ewma, random, round-robin, weighted-random, weighted-round-robin)");
        assertThatThrownBy(() -> Strategies.named(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("name: null (expected: not null)");
    }

    @Test
    void switchingStrategyKeepsInFlightCounts() {
        Balancer b = Balancer.builder("users").endpoints("10.0.0.1:80", "10.0.0.2:80")
                .strategy(Strategies.leastConnections()).build();
        List<Selection> open = List.of(b.pick(), b.pick(), b.pick());
        int before = inFlight(b);
        for (String name : BUILT_IN) {
            b.strategy(Strategies.named(name));
            assertThat(inFlight(b)).as(name).isEqualTo(before);
        }
        assertThat(before).isEqualTo(3);
        b.strategy(Strategies.roundRobin());
        open.forEach(Selection::success); // counted when picked, so released under a strategy that counts nothing
        assertThat(inFlight(b)).isZero();
    }

    @Test
    void callsPickedUnderAStrategyThatCountsNothingAreNeverReleasedFromTheCount() {
        Balancer b = Balancer.builder("users").endpoints("10.0.0.1:80", "10.0.0.2:80").build();
        List<Selection> uncounted = List.of(b.pick(), b.pick());
        assertThat(inFlight(b)).isZero(); // round-robin reads no in-flight counts, so none are kept
        b.strategy(Strategies.leastConnections());
        Selection counted = b.pick();
        assertThat(inFlight(b)).isEqualTo(1);
        uncounted.forEach(Selection::success);
        assertThat(inFlight(b)).isEqualTo(1);
        counted.success();
        assertThat(inFlight(b)).isZero();
    }

    private static int inFlight(Balancer b) {
        return b.snapshot().members().stream().mapToInt(s -> s.inFlight()).sum();
    }
}
