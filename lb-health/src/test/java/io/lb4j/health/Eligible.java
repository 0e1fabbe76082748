package io.lb4j.health;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointState;
import java.util.HashSet;
import java.util.Set;

/** Test view of a balancer: the endpoints its current snapshot counts eligible. */
final class Eligible {
    private Eligible() {}

    static Set<Endpoint> of(Balancer balancer) {
        Set<Endpoint> set = new HashSet<>();
        for (EndpointState st : balancer.snapshot().eligible()) {
            set.add(st.endpoint());
        }
        return set;
    }
}
