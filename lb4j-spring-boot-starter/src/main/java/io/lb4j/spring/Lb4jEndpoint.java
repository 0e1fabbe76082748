package io.lb4j.spring;

import io.lb4j.config.Lb4jRuntime;
import io.lb4j.core.Balancer;
import io.lb4j.core.EndpointState;
import io.lb4j.core.Exclusion;
import io.lb4j.core.Snapshot;
import io.lb4j.health.HealthChecker;
import io.lb4j.http.ServiceStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The Actuator endpoint {@code lb4j} ({@code GET /actuator/lb4j}, {@code GET /actuator/lb4j/{service}}):
 * for each balancer its strategy, panic state and every endpoint with its weight, zone, whether it
 * is eligible, the exclusions that keep it out (owner, reason, since, until), calls in flight,
 * successes, failures and latency average; the health checker's view; and the HTTP client's
 * counters. Expose it with {@code management.endpoints.web.exposure.include=lb4j}.
 *
 * <p>Thread-safe: each read takes the balancers' current snapshots.
 */
@Endpoint(id = "lb4j")
public final class Lb4jEndpoint {
    private final Lb4jRuntime runtime;

    /**
     * An endpoint reading {@code runtime}.
     *
     * @param runtime the application's runtime
     */
    public Lb4jEndpoint(Lb4jRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Every service's view.
     *
     * @return {@code {"services": {"users": {...}, ...}}}
     */
    @ReadOperation
    public Map<String, Object> services() {
        Map<String, Object> services = new LinkedHashMap<>();
        for (String name : runtime.balancers().keySet()) {
            services.put(name, view(name));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("services", services);
        runtime.registration().ifPresent(r -> body.put("registration", Map.of("key", r.key(), "registered", r.isRegistered())));
        return body;
    }

    /**
     * One service's view.
     *
     * @param service the service name
     * @return the view, or null (404) for a service that is not configured
     */
    @ReadOperation
    public Map<String, Object> service(@Selector String service) {
        return runtime.balancers().containsKey(service) ? view(service) : null;
    }

    private Map<String, Object> view(String name) {
        Balancer b = runtime.balancer(name);
        Snapshot s = b.snapshot();
        HealthChecker checker = runtime.healthChecker(name).orElse(null);
        long now = b.ticker().read();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("service", b.service());
        v.put("strategy", s.strategy().toString());
        v.put("version", s.version());
        v.put("panic", s.panic());
        v.put("members", s.members().size());
        v.put("eligible", s.eligible().size());
        v.put("excludedByOwner", s.excludedCountByOwner());
        List<Map<String, Object>> endpoints = new ArrayList<>();
        for (EndpointState e : s.members()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", e.endpoint().authority());
            m.put("weight", e.weight());
            m.put("zone", e.endpoint().zone().orElse(null));
            m.put("eligible", s.isEligible(e.endpoint()));
            List<Map<String, Object>> exclusions = new ArrayList<>();
            for (Exclusion x : s.exclusions(e.endpoint())) {
                Map<String, Object> xm = new LinkedHashMap<>();
                xm.put("owner", x.owner());
                xm.put("reason", x.reason());
                xm.put("since", x.since().toString());
                xm.put("until", x.until().map(Object::toString).orElse(null));
                exclusions.add(xm);
            }
            m.put("exclusions", exclusions);
            m.put("inFlight", e.inFlight());
            m.put("successes", e.successCount());
            m.put("failures", e.failureCount());
            m.put("latencyMillis", e.hasLatencySample() ? e.latencyEwmaNanos(now) / 1e6 : null);
            if (checker != null) {
                m.put("health", checker.state(e.endpoint()).toString());
            }
            endpoints.add(m);
        }
        v.put("endpoints", endpoints);
        runtime.client().filter(c -> c.services().contains(name.toLowerCase(java.util.Locale.ROOT))).ifPresent(c -> {
            ServiceStats st = c.stats(name);
            Map<String, Object> calls = new LinkedHashMap<>();
            calls.put("requests", st.requests());
            calls.put("succeeded", st.succeeded());
            calls.put("failed", st.failed());
            calls.put("attempts", st.attempts());
            calls.put("retries", st.retries());
            calls.put("budgetExhausted", st.budgetExhausted());
            v.put("calls", calls);
        });
        return v;
    }
}
