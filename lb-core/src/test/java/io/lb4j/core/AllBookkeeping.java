package io.lb4j.core;

import java.util.List;

/**
 * Round-robin that declares it reads all the per-call bookkeeping (in-flight counts, latency,
 * pending ages), as a strategy that does not say does: for tests of that bookkeeping, which the
 * built-in round-robin does not keep.
 */
final class AllBookkeeping implements Strategy {
    static final AllBookkeeping ROUND_ROBIN = new AllBookkeeping();

    private AllBookkeeping() {
    }

    @Override
    public String name() {
        return "round-robin-reading-all";
    }

    @Override
    public Picker newPicker(List<EndpointState> endpoints, StrategyContext context) {
        return Strategy.roundRobin().newPicker(endpoints, context);
    }
}
