package io.lb4j.spring;

import io.lb4j.admin.AdminJson;
import io.lb4j.config.Lb4jRuntime;
import io.lb4j.core.Balancer;
import io.lb4j.core.BalancerView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;

/**
 * The Actuator endpoint {@code lb4j}: the balancers' views ({@link Balancer#view()}) as lb-admin's
 * JSON ({@link AdminJson}, the schema of docs/admin.md), byte for byte what lb-admin's own
 * {@code AdminHandler} serves. {@code GET /actuator/lb4j} is {@code {"balancers": [view, ...]}}
 * sorted by service; {@code GET /actuator/lb4j/{service}} is one view, or 404 with
 * {@code {"error": "no balancer 'x' (known: ...)", "status": 404}}. Expose it with
 * {@code management.endpoints.web.exposure.include=lb4j}.
 *
 * <p>A web endpoint only (not JMX): the JSON is written by lb-admin's Jackson serializers, not
 * by the Actuator's own mapper, so that every field is there (absent values as {@code null}),
 * whatever the application's Jackson settings.
 *
 * <p>Thread-safe: each read takes fresh views.
 */
@WebEndpoint(id = "lb4j")
public final class Lb4jEndpoint {
    private static final String JSON = "application/json";

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
     * @return {@code {"balancers": [...]}}, lb-admin's JSON of all the runtime's balancers
     */
    @ReadOperation(produces = JSON)
    public WebEndpointResponse<Resource> balancers() {
        List<BalancerView> views = new ArrayList<>();
        for (Balancer b : runtime.balancers().values()) {
            views.add(b.view());
        }
        return json(AdminJson.toJson(views), WebEndpointResponse.STATUS_OK);
    }

    /**
     * One service's view.
     *
     * @param service the service name (case-insensitive, as in request URIs)
     * @return lb-admin's JSON of its view; 404 with an error object for a service that is not configured
     */
    @ReadOperation(produces = JSON)
    public WebEndpointResponse<Resource> balancer(@Selector String service) {
        for (Map.Entry<String, Balancer> e : runtime.balancers().entrySet()) {
            if (e.getKey().equalsIgnoreCase(service)) {
                return json(AdminJson.toJson(e.getValue().view()), WebEndpointResponse.STATUS_OK);
            }
        }
        Map<String, Object> error = new LinkedHashMap<>();
        String known = runtime.balancers().isEmpty() ? "none" : String.join(", ", runtime.balancers().keySet());
        error.put("error", "no balancer '" + service + "' (known: " + known + ")");
        error.put("status", WebEndpointResponse.STATUS_NOT_FOUND);
        try {
            return json(AdminJson.mapper().writeValueAsString(error), WebEndpointResponse.STATUS_NOT_FOUND);
        } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static WebEndpointResponse<Resource> json(String body, int status) {
        return new WebEndpointResponse<>(new ByteArrayResource(body.getBytes(StandardCharsets.UTF_8)), status);
    }
}
