package io.lb4j.strategies;

import io.lb4j.core.EndpointState;
import io.lb4j.core.Picker;
import io.lb4j.core.Strategy;
import io.lb4j.core.StrategyContext;
import java.util.List;

/** A user strategy found through {@code META-INF/services} by {@link StrategiesTest}. */
public final class FirstEndpointProvider implements StrategyProvider {

    static final Strategy FIRST = new Strategy() {
        @Override
        public String name() {
            return "first-endpoint";
        }

        @Override
        public Picker newPicker(List<EndpointState> endpoints, StrategyContext context) {
            EndpointState first = endpoints.get(0);
            return ctx -> first;
        }
    };

    @Override
    public String name() {
        return "first-endpoint";
    }

    @Override
    public Strategy create() {
        return FIRST;
    }

    /** Claims a built-in name; must be ignored. */
    public static final class Impostor implements StrategyProvider {
        @Override
        public String name() {
            return "random";
        }

        @Override
        public Strategy create() {
            return FIRST;
        }
    }
}
