package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.testing.ScriptedRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

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

    @Test
    void spreadsEvenly() {
        Balancer b = Balancer.builder("users").endpoints("a:1", "b:1", "c:1").build();
        List<String> p = picks(b, 300);
        assertThat(p).filteredOn("a"::equals).hasSize(100);
        assertThat(p).filteredOn("b"::equals).hasSize(100);
        assertThat(p).filteredOn("c"::equals).hasSize(100);
    }
}
