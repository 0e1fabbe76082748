package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lb4j.testing.FakeScheduler;
import io.lb4j.testing.FakeTicker;
import io.lb4j.testing.ScriptedRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ZoneRoutingTest {
    private final FakeTicker ticker = new FakeTicker();

    /** {@code count} endpoints 10.0.x.1.. in zone {@code zone}, x = zone's index in "abcd". */
    private static List<Endpoint> zone(String zone, int count) {
        List<Endpoint> list = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            list.add(Endpoint.builder("10.0." + "abcd".indexOf(zone) + "." + i, 8080).zone(zone).build());
        }
        return list;
    }

    private BalancerBuilder builder(List<Endpoint> endpoints) {
        return Balancer.builder("users").endpoints(endpoints).ticker(ticker).clock(ticker.clock())
                .random(new ScriptedRandom(7)).controlExecutor(Runnable::run).scheduler(new FakeScheduler(ticker))
                .localZone("a");
    }

    private static List<Endpoint> concat(List<Endpoint>... lists) {
        List<Endpoint> all = new ArrayList<>();
        for (List<Endpoint> l : lists) {
            all.addAll(l);
        }
        return all;
    }

    /** Picks per zone over {@code n} picks, each completed at once. */
    private static Map<String, Integer> picksByZone(Balancer b, int n) {
        Map<String, Integer> byZone = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            Selection s = b.pick();
            byZone.merge(s.endpoint().zone().orElse("-"), 1, Integer::sum);
            s.success();
        }
        return byZone;
    }

    @Test
    void allPicksStayLocalWhileTheLocalZoneIsHealthyEnough() {
        List<Endpoint> a = zone("a", 4);
        Balancer b = builder(concat(a, zone("b", 4))).build();
        assertThat(picksByZone(b, 1000)).containsExactly(Map.entry("a", 1000));
        // 3 of 4 eligible: 0.75 * 1.4 = 1.05, still fully healthy
        b.newExclusions("test").exclude(a.get(0), "down");
        assertThat(b.snapshot().localZoneShare()).isEqualTo(1.0);
        assertThat(picksByZone(b, 1000)).containsExactly(Map.entry("a", 1000));
        assertThat(b.inPanic()).isFalse();
    }

    @Test
    void spillsInProportionWhenLocalHealthDropsUnderOneOverTheFactor() {
        List<Endpoint> a = zone("a", 4);
        Balancer b = builder(concat(a, zone("b", 4))).build();
        Exclusions x = b.newExclusions("test");
        x.exclude(a.get(0), "down");
        x.exclude(a.get(1), "down");
        // 2 of 4: health 0.5 * 1.4 = 0.7 local, the remaining 0.3 to zone b
        List<ZoneLoad> zones = b.snapshot().zones();
        assertThat(zones).hasSize(2);
        assertThat(zones.get(0).zone()).contains("a");
        assertThat(zones.get(0).share()).isCloseTo(0.7, within(1e-9));
        assertThat(zones.get(1).zone()).isEmpty();
        assertThat(zones.get(1).share()).isCloseTo(0.3, within(1e-9));
        Map<String, Integer> picks = picksByZone(b, 10_000);
        assertThat(picks.get("a") / 10_000.0).isCloseTo(0.7, within(0.02));
        assertThat(picks.get("b") / 10_000.0).isCloseTo(0.3, within(0.02));
        assertThat(b.inPanic()).isFalse();
    }

    @Test
    void failsOverZoneByZoneInTheConfiguredOrderAndRecovers() {
        List<Endpoint> a = zone("a", 2);
        List<Endpoint> bz = zone("b", 4);
        Balancer bal = builder(concat(a, bz, zone("c", 2), zone("d", 2))).failoverZones("b", "c").build();
        Exclusions x = bal.newExclusions("test");
        a.forEach(e -> x.exclude(e, "down"));
        assertThat(picksByZone(bal, 500)).containsExactly(Map.entry("b", 500));
        // zone b at 2/4 keeps 0.7; zone c, next in order, takes the rest; d gets nothing
        x.exclude(bz.get(0), "down");
        x.exclude(bz.get(1), "down");
        List<ZoneLoad> zones = bal.snapshot().zones();
        assertThat(zones).extracting(ZoneLoad::priority).containsExactly(0, 1, 2, 3);
        assertThat(zones).extracting(ZoneLoad::share).containsExactly(0.0, 0.7, 0.30000000000000004, 0.0);
        Map<String, Integer> picks = picksByZone(bal, 10_000);
        assertThat(picks).doesNotContainKeys("a", "d");
        assertThat(picks.get("b") / 10_000.0).isCloseTo(0.7, within(0.02));
        // recovery: the local zone takes everything back at once
        a.forEach(x::include);
        assertThat(bal.snapshot().localZoneShare()).isEqualTo(1.0);
        assertThat(picksByZone(bal, 500)).containsExactly(Map.entry("a", 500));
    }

    @Test
    void panicsPerZoneOnlyWhenAllZonesTogetherAreNotHealthyEnough() {
        List<Endpoint> a = zone("a", 4);
        List<Endpoint> bz = zone("b", 4);
        Balancer bal = builder(concat(a, bz)).build();
        Exclusions x = bal.newExclusions("test");
        // local 1/4 (health 0.35) but b fully healthy: the sum is over 1, so no panic, a just gets less
        for (int i = 0; i < 3; i++) {
            x.exclude(a.get(i), "down");
        }
        assertThat(bal.snapshot().zones().get(0).share()).isCloseTo(0.35, within(1e-9));
        assertThat(bal.inPanic()).isFalse();
        assertThat(bal.snapshot().pickable()).hasSize(5);
        // b at 1/4 too: healths 0.35 + 0.35 = 0.7 < 1, normalised to 0.5 / 0.5, both under the
        // panic threshold: each zone picks among all four of its endpoints
        for (int i = 0; i < 3; i++) {
            x.exclude(bz.get(i), "down");
        }
        Snapshot s = bal.snapshot();
        assertThat(s.zones()).extracting(ZoneLoad::share).containsExactly(0.5, 0.5);
        assertThat(s.zones()).extracting(ZoneLoad::panic).containsExactly(true, true);
        assertThat(s.panic()).isTrue();
        assertThat(s.pickable()).hasSize(8);
        Map<Endpoint, Integer> perEndpoint = new java.util.HashMap<>();
        for (int i = 0; i < 8000; i++) {
            Selection sel = bal.pick();
            perEndpoint.merge(sel.endpoint(), 1, Integer::sum);
            sel.success();
        }
        assertThat(perEndpoint).hasSize(8);
    }

    @Test
    void roundRobinRotatesWithinTheLocalZoneWithItsOwnSequence() {
        List<Endpoint> a = zone("a", 3);
        Balancer b = builder(concat(a, zone("b", 3))).build();
        List<Endpoint> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Selection s = b.pick();
            seen.add(s.endpoint());
            s.success();
        }
        assertThat(seen.subList(0, 3)).containsExactlyInAnyOrderElementsOf(a);
        assertThat(seen.subList(3, 6)).containsExactlyElementsOf(seen.subList(0, 3));
    }

    @Test
    void aRetryThatAvoidsEveryLocalEndpointGoesToTheNextZone() {
        List<Endpoint> a = zone("a", 2);
        Balancer b = builder(concat(a, zone("b", 2))).build();
        Selection s = b.pick(PickContext.avoiding(a));
        assertThat(s.endpoint().zone()).contains("b");
    }

    @Test
    void withoutALocalZoneThereAreNoZoneLevels() {
        Balancer b = Balancer.builder("users").endpoints(zone("a", 2)).controlExecutor(Runnable::run).build();
        assertThat(b.snapshot().zones()).isEmpty();
        assertThat(b.snapshot().localZoneShare()).isNaN();
        assertThat(b.localZone()).isEmpty();
    }

    @Test
    void rejectsBadZoneSettingsNamingTheValueAndRule() {
        assertThatThrownBy(() -> Balancer.builder("users").localZone(" "))
                .hasMessage("localZone: ' ' (expected: not blank)");
        assertThatThrownBy(() -> Balancer.builder("users").failoverZones("b", "b"))
                .hasMessageContaining("failoverZones[1]: 'b' (expected: a zone name, not blank, each once)");
        assertThatThrownBy(() -> Balancer.builder("users").overprovisioningFactor(0.9))
                .hasMessage("overprovisioningFactor: 0.9 (expected: a finite number >= 1)");
        assertThatThrownBy(() -> Balancer.builder("users").failoverZones("b").build())
                .hasMessage("failoverZones [b] need a localZone");
    }
}
