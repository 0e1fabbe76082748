package io.lb4j.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointState;
import io.lb4j.core.OutlierEjection;
import io.lb4j.core.Selection;
import io.lb4j.core.Strategy;
import io.lb4j.testing.FakeTicker;
import io.lb4j.testing.ScriptedRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An endpoint with a call stalled far beyond its usual latency must stop looking idle before the
 * stalled call ends (issue 15: P2C on in-flight counts kept choosing a backend with 1-2 stalled
 * calls because it looked no busier than the rest). Fake ticker; every endpoint first answers a
 * few 10 ms calls, then endpoint 0 gets one call that stalls while the others keep answering.
 */
class StallTest {

    private static final Duration USUAL = Duration.ofMillis(10);

    private static Strategy strategy(String name) {
        // least-connections weighs stalled calls only when asked to (it costs a clock read per call)
        return name.equals("least-connections") ? Strategies.leastConnectionsBuilder().stallAware(true).build()
                : Strategies.named(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"least-connections", "peak-ewma"})
    void anEndpointWithAStalledCallIsPassedOverUntilItAnswers(String name) {
        FakeTicker ticker = new FakeTicker();
        List<Endpoint> endpoints = List.of(Endpoint.of("10.0.0.1", 80), Endpoint.of("10.0.0.2", 80), Endpoint.of("10.0.0.3", 80));
        Balancer b = Balancer.builder("users").endpoints(endpoints).strategy(strategy(name)).ticker(ticker)
                .random(new ScriptedRandom(7)).controlExecutor(Runnable::run).outlierEjection(OutlierEjection.disabled()).build();
        Endpoint sick = endpoints.get(0);
        // every endpoint answers in 10 ms for a while
        for (int i = 0; i < 300; i++) {
            Selection s = b.pick();
            ticker.advance(USUAL);
            s.success();
        }
        Selection stalled = null;
        while (stalled == null) {
            Selection s = b.pick();
            if (s.endpoint().equals(sick)) {
                stalled = s;
            } else {
                ticker.advance(USUAL);
                s.success();
            }
        }
        EndpointState sickState = b.snapshot().member(sick);

        // load model: 4 calls in flight at any time, each 10 ms, for 1 s; the sick endpoint's call hangs throughout
        List<Selection> open = new ArrayList<>();
        int toSick = 0;
        int picks = 0;
        for (int ms = 0; ms < 1_000; ms++) {
            ticker.advance(Duration.ofMillis(1));
            if (ms % 10 == 0) {
                for (Selection s : open) {
                    s.success();
                }
                open.clear();
                for (int k = 0; k < 4; k++) {
                    Selection s = b.pick();
                    picks++;
                    if (s.endpoint().equals(sick)) {
                        toSick++;
                    }
                    open.add(s);
                }
            }
        }
        assertThat(sickState.pendingCount()).isGreaterThanOrEqualTo(1);
        assertThat(sickState.pendingAgeNanos(ticker.read())).isGreaterThanOrEqualTo(Duration.ofMillis(990).toNanos());
        // in-flight counts alone would give it about a third once it looks no busier than the others
        assertThat(toSick).as("picks of the stalled endpoint out of " + picks).isLessThan(picks / 20);

        stalled.success();
        for (Selection s : open) {
            s.success();
        }
        assertThat(sickState.pendingCount()).isZero();
        assertThat(sickState.pendingAgeNanos(ticker.read())).isZero();
    }
}
