package io.lb4j.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lb4j.core.BalancerView;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Balancer views as JSON, in the schema of docs/admin.md, written by Jackson: the same JSON that
 * {@link AdminHandler} serves.
 *
 * <p>Thread-safe (a static utility).
 * <pre>{@code
 * String json = AdminJson.toJson(users.view());
 * // or, in an application that has its own ObjectMapper:
 * mapper.registerModule(AdminJson.module());
 * mapper.writeValueAsString(users.view());
 * }</pre>
 */
public final class AdminJson {

    private static final ObjectMapper MAPPER = mapper();

    private AdminJson() {}

    /**
     * A Jackson module with serializers for {@link BalancerView} and the types it holds
     * ({@code EndpointView}, {@code Exclusion}, {@code OutcomeCounts}, {@code LastOutcome},
     * {@code BalancerEvent}).
     *
     * @return a new module, to register with any {@link ObjectMapper}
     */
    public static Module module() {
        return ViewSerializers.module();
    }

    /**
     * A new {@link ObjectMapper} with {@link #module()} registered.
     *
     * @return a new mapper the caller may configure further
     */
    public static ObjectMapper mapper() {
        return new ObjectMapper().registerModule(module());
    }

    /**
     * One balancer's view as JSON, the body of {@code GET /lb4j/{service}}.
     *
     * @param view the view
     * @return compact JSON
     * @throws NullPointerException if the view is null
     */
    public static String toJson(BalancerView view) {
        return write(java.util.Objects.requireNonNull(view, "view"));
    }

    /**
     * Views of several balancers as JSON, the body of {@code GET /lb4j}:
     * {@code {"balancers": [...]}}.
     *
     * @param views the views, in the order to list them
     * @return compact JSON
     * @throws NullPointerException if the collection or an element is null
     */
    public static String toJson(Collection<BalancerView> views) {
        return write(Map.of("balancers", List.copyOf(views)));
    }

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
