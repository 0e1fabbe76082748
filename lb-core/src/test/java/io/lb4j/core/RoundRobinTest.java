package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.testing.ScriptedRandom;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoundRobinTest {

    private static List<String> picks(Balancer b, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Selection s = b.pick();
            out.add(s.endpoint().host());
            s.success();
        }
        return out;
    }

    @Test
    void cyclesInListOrderFromTheRandomOffset() {
        Balancer b = Balancer.builder("users").endpoints("a:1", "b:1", "c:1")
                .random(new ScriptedRandom().nextInts(1)).build();
        assertThat(picks(b, 7)).containsExactly("b", "c", "a", "b", "c", "a", "b");
    }

    @Test
    void wrapsAroundIntegerMaxValueWithoutGoingNegative() {
        // offset MAX-2: indexes (MAX-2)%3=2, (MAX-1)%3=0, MAX%3=1, then the sign bit is masked: 0, 1, 2, 0
        Balancer b = Balancer.builder("users").endpoints("a:1", "b:1", "c:1")
                .random(new ScriptedRandom().nextInts(Integer.MAX_VALUE - 2)).build();
        assertThat(picks(b, 7)).containsExactly("c", "a", "b", "a", "b", "c", "a");
    }

    @Test
    void keepsRotationAcrossSnapshotSwap() {
        Balancer b = Balancer.builder("users").endpoints("a:1", "b:1", "c:1", "d:1")
                .random(new ScriptedRandom().nextInts(0)).build();
        assertThat(picks(b, 2)).containsExactly("a", "b");
        b.update(List.of(Endpoint.parse("a:1"), Endpoint.parse("b:1"), Endpoint.parse("c:1"), Endpoint.parse("d:1").withWeight(2)));
        // the sequence goes on at 2 instead of restarting at a fresh offset
        assertThat(picks(b, 3)).containsExactly("c", "d", "a");
    }

    /**
     * n endpoints, the last one failing every call; each call is one first attempt and, when it
     * fails, one retry that avoids the failed endpoint, as lb-http does. Before retries stopped
     * stepping the shared sequence, the retry took the slot after the failing endpoint, which
     * gave the failing endpoint 1/(n-1) of first attempts (all of them at n = 2).
     */
    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {2, 3, 5})
    void aFailingEndpointGetsExactlyOneNthOfFirstAttemptsWhenEachFailureIsRetried(int n) {
        List<Endpoint> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(Endpoint.parse("h" + i + ":1"));
        }
        Endpoint bad = list.get(n - 1);
        // outlier ejection off: it would take the failing endpoint out after 5 failures, and this is
        // about the sequence while it is still in rotation
        Balancer b = Balancer.builder("users").endpoints(list).random(new ScriptedRandom(n))
                .outlierEjection(OutlierEjection.disabled()).build();
        int calls = 600 * n;
        Map<String, Integer> firstAttempts = new HashMap<>();
        Map<String, Integer> retries = new HashMap<>();
        for (int i = 0; i < calls; i++) {
            Selection first = b.pick();
            firstAttempts.merge(first.endpoint().host(), 1, Integer::sum);
            if (!first.endpoint().equals(bad)) {
                first.success();
                continue;
            }
            first.failure(new IOException("503"));
            Selection retry = b.pick(PickContext.avoiding(List.of(bad)));
            assertThat(retry.endpoint()).isNotEqualTo(bad);
            retries.merge(retry.endpoint().host(), 1, Integer::sum);
            retry.success();
        }
        assertThat(firstAttempts.get(bad.host())).as("first attempts of the failing endpoint").isEqualTo(600);
        for (Endpoint e : list) {
            assertThat(firstAttempts.get(e.host())).as("first attempts of %s", e.host()).isEqualTo(600);
        }
        // the retries spread over the others at random (600 in all), not onto the next in line
        for (Endpoint e : list.subList(0, n - 1)) {
            assertThat(retries.getOrDefault(e.host(), 0)).as("retries on %s", e.host())
                    .isBetween((int) (600.0 / (n - 1) * 0.75), (int) Math.ceil(600.0 / (n - 1) * 1.25));
        }
    }

    @Test
    void retriesInterleavedWithFirstAttemptsLeaveTheSequenceExact() {
        Balancer b = Balancer.builder("users").endpoints("a:1", "b:1", "c:1")
                .random(new ScriptedRandom().nextInts(0)).build();
        List<String> firsts = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Selection s = b.pick();
            firsts.add(s.endpoint().host());
            s.success();
            // a retry after every call, avoiding what was just tried, and one avoiding two endpoints
            b.pick(PickContext.avoiding(List.of(s.endpoint()))).success();
            b.pick(PickContext.avoiding(List.of(Endpoint.parse("a:1"), Endpoint.parse("b:1")))).success();
        }
        assertThat(firsts).containsExactly("a", "b", "c", "a", "b", "c", "a");
    }

    @Test
    void spreadsEvenly() {
        Balancer b = Balancer.builder("users").endpoints("a:1", "b:1", "c:1").build();
        List<String> p = picks(b, 300);
        assertThat(p).filteredOn("a"::equals).hasSize(100);
        assertThat(p).filteredOn("b"::equals).hasSize(100);
        assertThat(p).filteredOn("c"::equals).hasSize(100);
    }
}
