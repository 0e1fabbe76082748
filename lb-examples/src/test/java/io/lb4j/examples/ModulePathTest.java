package io.lb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lb4j.core.Balancer;
import io.lb4j.discovery.EtcdSource;
import io.lb4j.health.HealthChecker;
import io.lb4j.http.LoadBalancedHttpClient;
import io.lb4j.strategies.Strategies;
import io.lb4j.testing.LoopbackBackend;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The published modules as an application on the module path sees them: their descriptors
 * resolve without Micrometer (it is {@code requires static}), each exports only its API, and a
 * balanced HTTP call runs through them. The other tests run on the class path, where the
 * descriptors are ignored; this one loads the same jars (or class directories) into a module layer.
 */
class ModulePathTest {
    private static final Set<String> LB4J = Set.of("io.lb4j.core", "io.lb4j.strategies", "io.lb4j.health",
            "io.lb4j.http", "io.lb4j.discovery", "io.lb4j.testing");

    private static Path location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ModuleLayer layer() {
        ModuleFinder finder = ModuleFinder.of(location(Balancer.class), location(Strategies.class),
                location(HealthChecker.class), location(LoadBalancedHttpClient.class), location(EtcdSource.class),
                location(LoopbackBackend.class), location(LoggerFactory.class), location(ObjectMapper.class),
                location(JsonFactory.class), location(JsonProperty.class));
        ModuleLayer boot = ModuleLayer.boot();
        Configuration cf = boot.configuration().resolveAndBind(finder, ModuleFinder.of(), LB4J);
        return boot.defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    }

    @Test
    void publishedModulesResolveWithoutMicrometerAndExportOnlyTheirApi() {
        ModuleLayer layer = layer();
        assertThat(layer.modules().stream().map(Module::getName)).containsAll(LB4J).doesNotContain("micrometer.core");

        Map<String, String> exports = new TreeMap<>();
        for (String name : LB4J) {
            ModuleDescriptor d = layer.findModule(name).orElseThrow().getDescriptor();
            assertThat(d.isAutomatic()).as(name + " has a real module-info").isFalse();
            for (ModuleDescriptor.Exports e : d.exports()) {
                exports.put(e.source(), e.isQualified() ? "to " + e.targets().stream().sorted().collect(Collectors.joining(",")) : "all");
            }
        }
        assertThat(exports).containsOnly(
                Map.entry("io.lb4j.core", "all"),
                Map.entry("io.lb4j.core.internal", "to io.lb4j.config,io.lb4j.discovery,io.lb4j.health,io.lb4j.http,io.lb4j.strategies,io.lb4j.zookeeper"),
                Map.entry("io.lb4j.strategies", "all"),
                Map.entry("io.lb4j.health", "all"),
                Map.entry("io.lb4j.http", "all"),
                Map.entry("io.lb4j.discovery", "all"),
                Map.entry("io.lb4j.testing", "all"));
    }

    @Test
    void aBalancedCallRunsThroughTheModules() throws Throwable {
        ModuleLayer layer = layer();
        ClassLoader loader = layer.findLoader("io.lb4j.core");
        assertThat(loader).isSameAs(layer.findLoader("io.lb4j.http"));
        Class<?> balancerType = loader.loadClass("io.lb4j.core.Balancer");
        Class<?> strategyType = loader.loadClass("io.lb4j.core.Strategy");
        assertThat(balancerType.getModule().getName()).isEqualTo("io.lb4j.core");
        assertThat(balancerType).isNotSameAs(Balancer.class);

        // method handles, not Class.getMethod: that would resolve every signature of the class,
        // meterRegistry(MeterRegistry) included, which an application calling directly never does
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        try (LoopbackBackend backend = LoopbackBackend.start("modular")) {
            Class<?> strategies = loader.loadClass("io.lb4j.strategies.Strategies");
            // names() asks ServiceLoader for providers, which a named module may do only as declared (uses)
            Object names = lookup.findStatic(strategies, "names", MethodType.methodType(Set.class)).invoke();
            assertThat(names.toString()).contains("round-robin", "peak-ewma");
            Object strategy = lookup.findStatic(strategies, "named", MethodType.methodType(strategyType, String.class))
                    .invoke("peak-ewma");
            Class<?> builderType = loader.loadClass("io.lb4j.core.BalancerBuilder");
            Object builder = lookup.findStatic(balancerType, "builder", MethodType.methodType(builderType, String.class))
                    .invoke("users");
            lookup.findVirtual(builderType, "endpoints", MethodType.methodType(builderType, String[].class))
                    .invoke(builder, new String[] {backend.endpoint().authority()});
            lookup.findVirtual(builderType, "strategy", MethodType.methodType(builderType, strategyType)).invoke(builder, strategy);
            AutoCloseable balancer = (AutoCloseable) lookup.findVirtual(builderType, "build", MethodType.methodType(balancerType))
                    .invoke(builder);
            try (balancer) {
                Class<?> clientType = loader.loadClass("io.lb4j.http.LoadBalancedHttpClient");
                Class<?> clientBuilderType = loader.loadClass("io.lb4j.http.LoadBalancedHttpClientBuilder");
                Object clientBuilder = lookup.findStatic(clientType, "builder", MethodType.methodType(clientBuilderType, HttpClient.class))
                        .invoke(HttpClient.newHttpClient());
                lookup.findVirtual(clientBuilderType, "service", MethodType.methodType(clientBuilderType, balancerType))
                        .invoke(clientBuilder, balancer);
                HttpClient client = (HttpClient) lookup.findVirtual(clientBuilderType, "build", MethodType.methodType(clientType))
                        .invoke(clientBuilder);
                assertThat(client.getClass().getModule().getName()).isEqualTo("io.lb4j.http");

                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://users/x")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("modular");
                assertThat(backend.requestCount()).isEqualTo(1);
            }
        }
    }
}
