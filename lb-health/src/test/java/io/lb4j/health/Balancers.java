package io.lb4j.health;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointState;
import io.lb4j.core.Exclusion;
import io.lb4j.core.Selection;
import io.lb4j.testing.FakeTicker;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

/** Test helpers over a balancer. */
final class Balancers {
    private Balancers() {}

    /** The endpoints the current snapshot counts eligible. */
    static Set<Endpoint> eligible(Balancer balancer) {
        Set<Endpoint> set = new HashSet<>();
        for (EndpointState st : balancer.snapshot().eligible()) {
            set.add(st.endpoint());
        }
        return set;
    }

    /** {@code owner}'s exclusion of {@code e} in the current snapshot, or null. */
    static Exclusion excludedBy(Balancer balancer, Endpoint e, String owner) {
        for (Exclusion x : balancer.snapshot().exclusions(e)) {
            if (x.owner().equals(owner)) {
                return x;
            }
        }
        return null;
    }

    /** A wall clock that follows a fake ticker, so that exclusion times are exact. */
    static Clock clockOf(FakeTicker ticker) {
        return ticker.clock();
    }

    /** A selection of {@code e}: round-robin brings it within a lap; the others are cancelled (neutral). */
    static Selection pickOf(Balancer balancer, Endpoint e) {
        for (int i = 0; i < 100; i++) {
            Selection s = balancer.pick();
            if (s.endpoint().equals(e)) {
                return s;
            }
            s.cancel();
        }
        throw new AssertionError(e + " is not picked");
    }
}
