package io.lb4j.core;

import java.util.List;
import java.util.Map;

/**
 * A strategy for exact tests: each pick goes to the endpoint the test named last (or to the
 * first pickable one if that is not pickable), so that outcome counts are exact. Reports a
 * setting and a fixed slow-start share per port, for views.
 */
final class SteeredStrategy implements Strategy {
    private volatile Endpoint target;
    private final Map<Integer, Double> rampByPort;

    SteeredStrategy() {
        this(Map.of());
    }

    SteeredStrategy(Map<Integer, Double> rampByPort) {
        this.rampByPort = rampByPort;
    }

    /** The next picks go to {@code endpoint}. */
    SteeredStrategy steer(Endpoint endpoint) {
        this.target = endpoint;
        return this;
    }

    @Override
    public String name() {
        return "steered";
    }

    @Override
    public Map<String, String> settings() {
        return Map.of("target", "set by the test");
    }

    @Override
    public double slowStartShare(EndpointState endpoint, long nowNanos) {
        return rampByPort.getOrDefault(endpoint.endpoint().port(), 1.0);
    }

    @Override
    public Picker newPicker(List<EndpointState> endpoints, StrategyContext context) {
        return ctx -> {
            Endpoint t = target;
            for (EndpointState st : endpoints) {
                if (st.endpoint().equals(t)) {
                    return st;
                }
            }
            return endpoints.get(0);
        };
    }
}
