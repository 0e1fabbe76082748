package io.lb4j.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The Micrometer meters of one balancer instance. Each is registered afresh for this instance
 * (a meter of the same name and tags left by an earlier balancer of the service is replaced, so
 * gauges never read a dead balancer) and removed on close if it is still this instance's.
 * Per-endpoint meters read the live {@link EndpointState} counters, so they cost the request
 * path nothing; the service-level outcome counters are this class as an outcome listener.
 */
final class MicrometerMeters implements Meters, OutcomeListener {
    /** Owners gauged from the start, so that dashboards show their zeros. */
    private static final List<String> BUILT_IN_OWNERS = List.of(ConnectionTracker.OWNER, OutlierEngine.OWNER);

    private final MeterRegistry registry;
    private final DefaultBalancer balancer;
    private final String service;
    private final int perEndpointCap;
    private final Counter success;
    private final Counter failure;
    private final Counter connectionFailure;
    private final Counter cancelled;
    // control executor only (and the constructor, before the balancer is visible)
    private final List<Meter> mine = new ArrayList<>();
    private final Set<String> gaugedOwners = new HashSet<>();
    private final Map<EndpointState, List<Meter>> perEndpoint = new IdentityHashMap<>();
    private volatile int omitted;

    private MicrometerMeters(MeterRegistry registry, int perEndpointCap, DefaultBalancer balancer) {
        this.registry = registry;
        this.balancer = balancer;
        this.service = balancer.service();
        this.perEndpointCap = perEndpointCap;
        Tags tags = Tags.of("service", service);
        endpointsGauge("eligible", s -> s.eligible().size());
        endpointsGauge("drained", Snapshot::drainedCount);
        endpointsGauge("excluded", s -> s.members().size() - s.eligible().size() - s.drainedCount());
        for (String owner : BUILT_IN_OWNERS) {
            ownerGauge(owner);
        }
        gauge(Gauge.builder("lb4j.panic", balancer, b -> b.snapshot().panic() ? 1 : 0)
                .description("1 while the balancer picks among all endpoints of weight > 0 because too few are eligible")
                .tags(tags));
        gauge(Gauge.builder("lb4j.in.flight", balancer, MicrometerMeters::inFlight)
                .description("selections picked and not yet completed").tags(tags));
        mine(() -> FunctionCounter.builder("lb4j.ejections", balancer, b -> b.ejectionCount())
                .description("endpoints ejected by passive outlier ejection").tags(tags).register(registry));
        mine(() -> FunctionCounter.builder("lb4j.source.errors", balancer, b -> b.sourceErrorCount())
                .description("errors and rejected lists reported by the balancer's endpoint sources").tags(tags)
                .register(registry));
        if (balancer.hasSources()) {
            gauge(Gauge.builder("lb4j.source.list.size", balancer, b -> b.lastSourceListSize() < 0 ? Double.NaN : b.lastSourceListSize())
                    .description("endpoints in the list a source delivered last").tags(tags));
        }
        if (perEndpointCap > 0) {
            gauge(Gauge.builder("lb4j.endpoint.meters.omitted", this, m -> m.omitted)
                    .description("endpoints without per-endpoint meters because of the perEndpointMeters cap").tags(tags));
        }
        success = outcomeCounter("success");
        failure = outcomeCounter("failure");
        connectionFailure = outcomeCounter("connection_failure");
        cancelled = outcomeCounter("cancelled");
    }

    static Meters bind(Object registry, int perEndpointCap, DefaultBalancer balancer) {
        MicrometerMeters m = new MicrometerMeters((MeterRegistry) registry, perEndpointCap, balancer);
        balancer.addOutcomeListener(m);
        return m;
    }

    private static double inFlight(DefaultBalancer b) {
        long sum = 0;
        for (EndpointState st : b.snapshot().members()) {
            sum += st.inFlight();
        }
        return sum;
    }

    private void endpointsGauge(String state, ToDoubleFunction<Snapshot> count) {
        gauge(Gauge.builder("lb4j.endpoints", balancer, b -> count.applyAsDouble(b.snapshot()))
                .description("known endpoints by state: eligible, excluded (by at least one owner, weight > 0), drained (weight 0)")
                .tags("service", service, "state", state));
    }

    private void ownerGauge(String owner) {
        if (gaugedOwners.add(owner)) {
            gauge(Gauge.builder("lb4j.endpoints.excluded", balancer,
                            b -> b.snapshot().excludedCountByOwner().getOrDefault(owner, 0))
                    .description("endpoints each owner excludes (health-check, outlier-ejection, connection, a drain's name)")
                    .tags("service", service, "owner", owner));
        }
    }

    private Counter outcomeCounter(String outcome) {
        return mine(() -> Counter.builder("lb4j.outcomes")
                .description("completed selections by outcome")
                .tags("service", service, "outcome", outcome).register(registry));
    }

    private void gauge(Gauge.Builder<?> builder) {
        mine(() -> builder.register(registry));
    }

    /** Registers a service-level meter of this instance (see {@link #fresh}). */
    private <M extends Meter> M mine(Supplier<M> register) {
        M m = fresh(register);
        mine.add(m);
        return m;
    }

    /**
     * Registers a meter that is this instance's: a registry hands back the meter it already holds
     * under the same name and tags (an earlier balancer's, bound to that balancer), so that one is
     * removed and the meter registered again.
     */
    private <M extends Meter> M fresh(Supplier<M> register) {
        registry.remove(register.get());
        return register.get();
    }

    // ---- outcomes (any thread)

    @Override
    public void onOutcome(Selection selection, Selection.Outcome outcome, Throwable cause, long latencyNanos) {
        switch (outcome) {
            case SUCCESS -> success.increment();
            case FAILURE -> failure.increment();
            case CONNECTION_FAILURE -> connectionFailure.increment();
            case CANCELLED -> cancelled.increment();
        }
    }

    // ---- control executor

    @Override
    public void published(Snapshot snapshot) {
        for (String owner : snapshot.excludedCountByOwner().keySet()) {
            ownerGauge(owner);
        }
        if (perEndpointCap == 0) {
            return;
        }
        Map<EndpointState, Boolean> members = new IdentityHashMap<>(snapshot.members().size() * 2);
        for (EndpointState st : snapshot.members()) {
            members.put(st, Boolean.TRUE);
        }
        for (Iterator<Map.Entry<EndpointState, List<Meter>>> it = perEndpoint.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<EndpointState, List<Meter>> e = it.next();
            if (!members.containsKey(e.getKey())) {
                removeOwn(e.getValue());
                it.remove();
            }
        }
        int without = 0;
        for (EndpointState st : snapshot.members()) {
            if (perEndpoint.containsKey(st)) {
                continue;
            }
            if (perEndpoint.size() >= perEndpointCap) {
                without++;
                continue;
            }
            perEndpoint.put(st, endpointMeters(st));
        }
        omitted = without;
    }

    private List<Meter> endpointMeters(EndpointState st) {
        Tags tags = Tags.of("service", service, "endpoint", st.endpoint().authority());
        List<Meter> list = new ArrayList<>(8);
        list.add(fresh(() -> FunctionCounter.builder("lb4j.endpoint.picks", st,
                        s -> s.successCount() + s.failureCount() + s.cancelCount() + s.inFlight())
                .description("selections of the endpoint (completed and in flight)").tags(tags).register(registry)));
        list.add(fresh(() -> Gauge.builder("lb4j.endpoint.in.flight", st, EndpointState::inFlight)
                .description("selections of the endpoint picked and not yet completed").tags(tags).register(registry)));
        list.add(endpointOutcome(st, tags, "success", EndpointState::successCount));
        list.add(endpointOutcome(st, tags, "failure", s -> Math.max(0, s.failureCount() - s.connectionFailureCount())));
        list.add(endpointOutcome(st, tags, "connection_failure", EndpointState::connectionFailureCount));
        list.add(endpointOutcome(st, tags, "cancelled", EndpointState::cancelCount));
        list.add(fresh(() -> Gauge.builder("lb4j.endpoint.latency", st,
                        s -> s.hasLatencySample() ? s.latencyEwmaNanos(balancer.ticker().read()) / 1e9 : Double.NaN)
                .description("peak-EWMA estimate of the endpoint's successful call latency").baseUnit("seconds").tags(tags)
                .register(registry)));
        Endpoint endpoint = st.endpoint();
        list.add(fresh(() -> Gauge.builder("lb4j.endpoint.eligible", balancer, b -> b.snapshot().isEligible(endpoint) ? 1 : 0)
                .description("1 while the endpoint is eligible (no exclusion, weight > 0)").tags(tags).register(registry)));
        return list;
    }

    private Meter endpointOutcome(EndpointState st, Tags tags, String outcome, ToDoubleFunction<EndpointState> count) {
        return fresh(() -> FunctionCounter.builder("lb4j.endpoint.outcomes", st, count)
                .description("completed selections of the endpoint by outcome").tags(tags).tag("outcome", outcome)
                .register(registry));
    }

    /** Removes the meters that are still this instance's (a newer balancer of the service may have replaced them). */
    private void removeOwn(List<Meter> meters) {
        for (Meter m : meters) {
            for (Meter current : registry.find(m.getId().getName()).tags(m.getId().getTags()).meters()) {
                if (current == m) {
                    registry.remove(m);
                    break;
                }
            }
        }
    }

    @Override
    public void close() {
        balancer.removeOutcomeListener(this);
        removeOwn(mine);
        mine.clear();
        for (List<Meter> meters : perEndpoint.values()) {
            removeOwn(meters);
        }
        perEndpoint.clear();
        omitted = 0;
    }
}
