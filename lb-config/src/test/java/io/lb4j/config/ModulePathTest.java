package io.lb4j.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lb4j.core.Balancer;
import io.lb4j.discovery.EtcdSource;
import io.lb4j.health.HealthChecker;
import io.lb4j.http.LoadBalancedHttpClient;
import io.lb4j.strategies.Strategies;
import io.lb4j.zookeeper.ZooKeeperSource;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * lb-config as a named module, the way an application on the module path sees it: it resolves
 * without lb-zookeeper and Micrometer (both {@code requires static}), and a configuration naming
 * ZooKeeper then says what the module graph lacks. The other tests run on the class path, where
 * the descriptor is ignored.
 */
class ModulePathTest {

    private static Path location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** lb-config and what it requires, plus {@code extra}, resolved with {@code roots}. */
    private static ModuleLayer layer(List<Path> extra, Set<String> roots) throws Exception {
        List<Path> paths = new ArrayList<>(List.of(location(Lb4jConfig.class), location(Balancer.class), location(Strategies.class),
                location(HealthChecker.class), location(LoadBalancedHttpClient.class), location(EtcdSource.class),
                location(LoggerFactory.class), location(ObjectMapper.class), location(JsonFactory.class), location(JsonProperty.class)));
        paths.addAll(extra);
        ModuleFinder finder = ModuleFinder.of(paths.toArray(new Path[0]));
        Configuration cf = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), roots);
        return ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    }

    /** The problems of {@code Lb4jConfig.from(properties)} in the layer, through its own classes. */
    @SuppressWarnings("unchecked") // ConfigException.problems() of the layer's class
    private static String problems(ModuleLayer layer, Map<String, String> properties) throws Throwable {
        Class<?> config = layer.findLoader("io.lb4j.config").loadClass(Lb4jConfig.class.getName());
        assertThat(config.getModule().getName()).isEqualTo("io.lb4j.config");
        try {
            MethodHandles.publicLookup().findStatic(config, "from", MethodType.methodType(config, Map.class)).invoke(properties);
            return "no problem";
        } catch (RuntimeException e) {
            assertThat(e.getClass().getName()).isEqualTo(ConfigException.class.getName());
            try {
                return String.join("\n", (List<String>) e.getClass().getMethod("problems").invoke(e));
            } catch (InvocationTargetException ite) {
                throw ite.getCause();
            }
        }
    }

    @Test
    void resolvesWithoutZooKeeperAndMicrometerAndSaysWhatTheGraphLacks() throws Throwable {
        ModuleLayer layer = layer(List.of(), Set.of("io.lb4j.config"));
        assertThat(layer.modules().stream().map(Module::getName)).contains("io.lb4j.config", "io.lb4j.discovery")
                .doesNotContain("io.lb4j.zookeeper", "micrometer.core");
        ModuleDescriptor d = layer.findModule("io.lb4j.config").orElseThrow().getDescriptor();
        assertThat(d.requires()).anySatisfy(r -> {
            assertThat(r.name()).isEqualTo("io.lb4j.zookeeper");
            assertThat(r.modifiers()).containsExactly(ModuleDescriptor.Requires.Modifier.STATIC);
        });
        assertThat(d.exports()).extracting(ModuleDescriptor.Exports::source).containsExactly("io.lb4j.config");

        assertThat(problems(layer, Map.of("lb4j.services.users.endpoints", "10.0.0.1:8080"))).isEqualTo("no problem");
        assertThat(problems(layer, Map.of("lb4j.services.users.discovery", "zookeeper"))).isEqualTo("lb4j.services.users.discovery: 'zookeeper'"
                + " (needs io.lb4j:lb-zookeeper in the module graph (on the module path: requires io.lb4j.zookeeper in the application's"
                + " module-info, or --add-modules io.lb4j.zookeeper))");
    }

    @Test
    void lbZooKeeperOnTheModulePathIsReadOnceResolvedAndStillNeedsTheZooKeeperClient() throws Throwable {
        Path zk = location(ZooKeeperSource.class);
        // on the module path but not resolved: a `requires static` module is not in the graph
        assertThat(problems(layer(List.of(zk), Set.of("io.lb4j.config")), Map.of("lb4j.services.users.discovery", "zookeeper")))
                .contains("needs io.lb4j:lb-zookeeper in the module graph");
        // resolved (as --add-modules does), it is read; the ZooKeeper client it wraps is not there
        ModuleLayer layer = layer(List.of(zk), Set.of("io.lb4j.config", "io.lb4j.zookeeper"));
        assertThat(layer.findModule("io.lb4j.zookeeper").orElseThrow().getDescriptor().isAutomatic()).isTrue();
        assertThat(layer.findModule("io.lb4j.config").orElseThrow().canRead(layer.findModule("io.lb4j.zookeeper").orElseThrow())).isTrue();
        assertThat(problems(layer, Map.of("lb4j.services.users.discovery", "zookeeper"))).isEqualTo("lb4j.services.users.discovery: 'zookeeper'"
                + " (needs org.apache.zookeeper:zookeeper on the module path (a dependency of io.lb4j:lb-zookeeper))");
    }
}
