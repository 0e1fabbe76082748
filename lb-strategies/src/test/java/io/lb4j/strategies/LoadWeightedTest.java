package io.lb4j.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadReport;
import io.lb4j.core.Selection;
import io.lb4j.core.Strategy;
import io.lb4j.testing.FakeScheduler;
import io.lb4j.testing.FakeTicker;
import io.lb4j.testing.ScriptedRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadWeightedTest {
    private final FakeTicker ticker = new FakeTicker();
    private final FakeScheduler scheduler = new FakeScheduler(ticker);
    private final Endpoint a = Endpoint.parse("10.0.0.1:80");
    private final Endpoint b = Endpoint.parse("10.0.0.2:80");
    private final Endpoint c = Endpoint.parse("10.0.0.3:80");
    /** What each endpoint reports with every answer; none when absent. */
    private final Map<Endpoint, LoadReport> reports = new HashMap<>();

    private Balancer balancer(Strategy strategy) {
        return Balancer.builder("users").endpoints(a, b, c).strategy(strategy).ticker(ticker).clock(ticker.clock())
                .random(new ScriptedRandom(5)).controlExecutor(Runnable::run).scheduler(scheduler).build();
    }

    private static LoadReport report(double utilization, double rps, double eps) {
        return LoadReport.builder().cpuUtilization(utilization).rps(rps).eps(eps).build();
    }

    /** {@code n} calls, each answered with its endpoint's report; the share of each endpoint. */
    private Map<Endpoint, Double> shares(Balancer balancer, int n) {
        Map<Endpoint, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Selection s = balancer.pick();
            LoadReport r = reports.get(s.endpoint());
            if (r != null) {
                s.loadReport(r);
            }
            s.success();
            counts.merge(s.endpoint(), 1, Integer::sum);
        }
        Map<Endpoint, Double> shares = new HashMap<>();
        counts.forEach((e, k) -> shares.put(e, k / (double) n));
        return shares;
    }

    @Test
    void computesA58sWeightFromUtilizationRateAndErrors() {
        assertThat(LoadWeightedStrategy.weight(report(0.5, 100, 0), 1.0)).isEqualTo(200.0);
        // 10 errors a second out of 100: utilisation + 0.1 * penalty
        assertThat(LoadWeightedStrategy.weight(report(0.4, 100, 10), 1.0)).isCloseTo(200.0, within(1e-9));
        assertThat(LoadWeightedStrategy.weight(report(0.4, 100, 10), 2.0)).isCloseTo(100 / 0.6, within(1e-9));
        // application utilisation wins over CPU when reported
        LoadReport app = LoadReport.builder().cpuUtilization(0.9).applicationUtilization(0.25).rps(50).build();
        assertThat(LoadWeightedStrategy.weight(app, 1.0)).isEqualTo(200.0);
        assertThat(LoadWeightedStrategy.weight(report(0, 100, 0), 1.0)).isZero();
        assertThat(LoadWeightedStrategy.weight(report(0.5, 0, 0), 1.0)).isZero();
    }

    @Test
    void sharesFollowReportedLoadAfterTheBlackoutAndEqualBeforeIt() {
        Balancer balancer = balancer(Strategies.loadWeighted());
        assertThat(shares(balancer, 300)).containsEntry(a, 1 / 3.0).containsEntry(b, 1 / 3.0).containsEntry(c, 1 / 3.0);
        reports.put(a, report(0.2, 100, 0));
        reports.put(b, report(0.4, 100, 0));
        reports.put(c, report(0.8, 100, 0));
        shares(balancer, 30); // first reports
        scheduler.advance(Duration.ofSeconds(5));
        // within the 10 s blackout: still equal
        assertThat(shares(balancer, 300).get(a)).isCloseTo(1 / 3.0, within(0.01));
        scheduler.advance(Duration.ofSeconds(6));
        // weights 500 : 250 : 125
        Map<Endpoint, Double> shares = shares(balancer, 7000);
        assertThat(shares.get(a)).isCloseTo(4 / 7.0, within(0.01));
        assertThat(shares.get(b)).isCloseTo(2 / 7.0, within(0.01));
        assertThat(shares.get(c)).isCloseTo(1 / 7.0, within(0.01));
    }

    @Test
    void weightsExpireWhenReportsStopAndTheBlackoutAppliesAgain() {
        Balancer balancer = balancer(Strategies.loadWeightedBuilder().blackout(Duration.ofSeconds(2))
                .expiration(Duration.ofSeconds(30)).build());
        reports.put(a, report(0.1, 100, 0));
        reports.put(b, report(0.9, 100, 0));
        reports.put(c, report(0.9, 100, 0));
        shares(balancer, 30);
        scheduler.advance(Duration.ofSeconds(3));
        assertThat(shares(balancer, 1100).get(a)).isCloseTo(9 / 11.0, within(0.01));
        reports.clear();
        scheduler.advance(Duration.ofSeconds(31));
        assertThat(shares(balancer, 300)).containsEntry(a, 1 / 3.0);
        reports.put(a, report(0.1, 100, 0));
        reports.put(b, report(0.9, 100, 0));
        reports.put(c, report(0.9, 100, 0));
        shares(balancer, 30);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(shares(balancer, 300).get(a)).as("blackout again").isCloseTo(1 / 3.0, within(0.01));
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(shares(balancer, 1100).get(a)).isCloseTo(9 / 11.0, within(0.01));
    }

    @Test
    void anEndpointWithoutAWeightGetsTheMeanAndOneWeightAloneMeansEqualShares() {
        Balancer balancer = balancer(Strategies.loadWeightedBuilder().blackout(Duration.ZERO).build());
        reports.put(a, report(0.5, 100, 0)); // 200
        shares(balancer, 30);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(shares(balancer, 300)).containsEntry(a, 1 / 3.0);
        reports.put(b, report(0.25, 100, 0)); // 400; c gets the mean, 300
        shares(balancer, 30);
        scheduler.advance(Duration.ofSeconds(1));
        Map<Endpoint, Double> shares = shares(balancer, 9000);
        assertThat(shares.get(a)).isCloseTo(2 / 9.0, within(0.01));
        assertThat(shares.get(b)).isCloseTo(4 / 9.0, within(0.01));
        assertThat(shares.get(c)).isCloseTo(3 / 9.0, within(0.01));
    }

    @Test
    void rebuildsEveryUpdatePeriodOnTheControlExecutor() {
        Balancer balancer = balancer(Strategies.loadWeightedBuilder().updatePeriod(Duration.ofMillis(500)).build());
        long v = balancer.snapshot().version();
        scheduler.advance(Duration.ofMillis(1500));
        assertThat(balancer.snapshot().version()).isEqualTo(v + 3);
        balancer.strategy(Strategies.roundRobin());
        long after = balancer.snapshot().version();
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(balancer.snapshot().version()).as("no more rebuilds after a switch").isEqualTo(after);
    }

    @Test
    void rejectsBadSettingsNamingTheValueAndRule() {
        assertThatThrownBy(() -> Strategies.loadWeightedBuilder().updatePeriod(Duration.ofMillis(50)))
                .hasMessage("updatePeriod: PT0.05S (expected: >= PT0.1S)");
        assertThatThrownBy(() -> Strategies.loadWeightedBuilder().errorPenalty(-1))
                .hasMessage("errorPenalty: -1.0 (expected: a finite number >= 0)");
        assertThatThrownBy(() -> Strategies.loadWeightedBuilder().blackout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(List.of(Strategies.loadWeighted().name())).containsExactly("load-weighted");
    }
}
