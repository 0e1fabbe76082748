package io.lb4j.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.lb4j.core.Balancer;
import io.lb4j.core.BalancerView;
import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointView;
import io.lb4j.testing.FakeTicker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the strategies tell a {@link BalancerView}: their settings and each endpoint's slow-start share. */
class StrategyViewTest {

    private final FakeTicker ticker = new FakeTicker();

    @Test
    void aRampingEndpointShowsItsSlowStartShareAndTheSettingsShowTheRamp() {
        Endpoint a = Endpoint.parse("a:1");
        Endpoint b = Endpoint.parse("b:1");
        try (Balancer balancer = Balancer.builder("users").endpoints(a).ticker(ticker).controlExecutor(Runnable::run)
                .strategy(Strategies.leastConnectionsBuilder().slowStart(SlowStart.of(Duration.ofSeconds(10), 0.1)).build())
                .build()) {
            ticker.advance(Duration.ofSeconds(20));
            balancer.update(List.of(a, b));
            ticker.advance(Duration.ofSeconds(5));
            BalancerView v = balancer.view();
            assertThat(v.strategyName()).isEqualTo("least-connections");
            assertThat(v.strategySettings()).containsExactly(entry("choiceCount", "2"), entry("stallAware", "false"), entry("slowStart", "PT10S"),
                    entry("slowStartMinShare", "0.1"));
            assertThat(v.endpoints()).extracting(EndpointView::slowStartShare).containsExactly(1.0, 0.55);
        }
    }

    @Test
    void settingsOfEachStrategy() {
        assertThat(Strategies.consistentHashBuilder().virtualNodes(64).boundedLoad(true).balanceFactor(1.5).build().settings())
                .containsExactly(entry("virtualNodes", "64"), entry("balanceFactor", "1.5"));
        assertThat(Strategies.consistentHash().settings()).containsExactly(entry("virtualNodes", "1024"));
        assertThat(Strategies.peakEwma().settings()).containsExactly(entry("choiceCount", "2"));
        assertThat(Strategies.weightedRandom().settings()).isEmpty();
        assertThat(Strategies.weightedRoundRobinBuilder().slowStart(SlowStart.of(Duration.ofSeconds(30))).build().settings())
                .containsExactly(entry("slowStart", "PT30S"), entry("slowStartMinShare", "0.1"));
        assertThat(Strategies.random().settings()).isEmpty();
    }
}
