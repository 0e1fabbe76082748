package io.lb4j.config;

import io.lb4j.testing.LoopbackBackend;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.function.Function;

/**
 * What ZooKeeperAbsentTest runs in a class loader without lb-zookeeper: loaded there by name, so
 * that every lb4j class it touches comes from that loader. Public with a public constructor for
 * that reason; a Function, a JDK type both loaders share.
 */
public final class ZooKeeperAbsentScenario implements Function<String, String> {

    /** Created reflectively. */
    public ZooKeeperAbsentScenario() {
    }

    @Override
    public String apply(String scenario) {
        try {
            switch (scenario) {
                case "discovery":
                    return problems(Map.of("lb4j.services.users.discovery", "zookeeper",
                            "lb4j.services.users.zookeeper.session-timeout", "5s"));
                case "registration":
                    return problems(Map.of("lb4j.registration.enabled", "true", "lb4j.registration.service", "orders",
                            "lb4j.registration.registry", "zookeeper", "lb4j.registration.port", "8080"));
                case "static":
                    return staticListCall();
                default:
                    throw new IllegalArgumentException(scenario);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String problems(Map<String, String> properties) {
        try {
            return "read: " + Lb4jConfig.from(properties);
        } catch (ConfigException e) {
            return String.join("\n", e.problems());
        }
    }

    /** Everything that does not name ZooKeeper runs: a balanced call through a runtime. */
    private static String staticListCall() throws Exception {
        try (LoopbackBackend backend = LoopbackBackend.start("no-zookeeper");
             Lb4jRuntime runtime = Lb4jRuntime.builder(Lb4jConfig.from(Map.of(
                     "lb4j.services.users.endpoints", backend.endpoint().authority(),
                     "lb4j.zookeeper.connect-string", "zk1:2181"))).build()) {
            HttpResponse<String> r = runtime.client().orElseThrow().send(HttpRequest.newBuilder(URI.create("http://users/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        }
    }
}
