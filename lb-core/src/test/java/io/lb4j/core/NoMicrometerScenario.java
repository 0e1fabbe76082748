package io.lb4j.core;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A balancer used in every way that does not need Micrometer: picks and outcomes, an exclusion,
 * its event, a view. {@link MicrometerAbsentTest} loads it in a class loader that has no
 * Micrometer at all. References only lb-core.
 */
public final class NoMicrometerScenario implements Callable<String> {

    @Override
    public String call() throws IOException {
        List<BalancerEvent> events = new CopyOnWriteArrayList<>();
        try (Balancer balancer = Balancer.builder("users").endpoints("127.0.0.1:1", "127.0.0.1:2")
                .controlExecutor(Runnable::run).eventListener(events::add).build()) {
            balancer.pick().success();
            balancer.pick().failure(new IOException("boom"));
            balancer.newExclusions("maintenance").exclude(Endpoint.parse("127.0.0.1:2"), "kernel upgrade");
            BalancerView view = balancer.view();
            long picks = view.endpoints().stream().mapToLong(e -> e.total().picks()).sum();
            return picks + " picks, " + view.excludedCount() + " excluded, " + events.size() + " event";
        }
    }
}
