package io.lb4j.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.zookeeper.ZooKeeperSource;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * lb-zookeeper is an optional dependency: without it on the class path, a configuration naming
 * ZooKeeper fails naming the key and the missing artifact, and every other configuration runs
 * without a ZooKeeper class ever being asked for. Run in a class loader of this test's class path
 * minus lb-zookeeper (and minus the ZooKeeper client, for the second message).
 */
class ZooKeeperAbsentTest {

    /** This test's class path without the given entries, noting every ZooKeeper class it is asked for. */
    static final class WithoutLoader extends URLClassLoader {
        final List<String> zooKeeperRequests = new CopyOnWriteArrayList<>();

        WithoutLoader(Set<Path> left) {
            super(urls(left), ClassLoader.getPlatformClassLoader());
        }

        private static URL[] urls(Set<Path> left) {
            List<URL> urls = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path p = Path.of(entry).toAbsolutePath();
                if (!left.contains(p)) {
                    try {
                        urls.add(p.toUri().toURL());
                    } catch (MalformedURLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            return urls.toArray(new URL[0]);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            // lb-zookeeper's test fixtures share its package: only its main classes count
            if (name.startsWith("org.apache.zookeeper.") || name.startsWith("io.lb4j.zookeeper.ZooKeeper")
                    && !name.startsWith("io.lb4j.zookeeper.ZooKeeperServers")) {
                zooKeeperRequests.add(name);
            }
            return super.loadClass(name, resolve);
        }
    }

    private static Path location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
    }

    @SuppressWarnings("unchecked")
    private static String run(WithoutLoader loader, String scenario) throws Exception {
        Class<?> c = Class.forName(ZooKeeperAbsentScenario.class.getName(), true, loader);
        assertThat(c.getClassLoader()).isSameAs(loader);
        assertThat(Class.forName(Lb4jConfig.class.getName(), false, loader).getClassLoader()).isSameAs(loader);
        return ((Function<String, String>) c.getDeclaredConstructor().newInstance()).apply(scenario);
    }

    @Test
    void withoutLbZooKeeperDiscoveryZookeeperFailsNamingTheKeyAndTheArtifact() throws Exception {
        try (WithoutLoader loader = new WithoutLoader(Set.of(location(ZooKeeperSource.class)))) {
            assertThat(run(loader, "discovery"))
                    .isEqualTo("lb4j.services.users.discovery: 'zookeeper' (needs io.lb4j:lb-zookeeper on the class path)");
            assertThat(run(loader, "registration"))
                    .isEqualTo("lb4j.registration.registry: 'zookeeper' (needs io.lb4j:lb-zookeeper on the class path)");
            assertThat(loader.zooKeeperRequests).as("only the presence check asked").containsOnly("io.lb4j.zookeeper.ZooKeeperSource");
        }
    }

    @Test
    void withoutLbZooKeeperEverythingElseRunsWithoutAskingForAZooKeeperClass() throws Exception {
        try (WithoutLoader loader = new WithoutLoader(Set.of(location(ZooKeeperSource.class), location(ZooKeeper.class)))) {
            assertThat(run(loader, "static")).isEqualTo("200 no-zookeeper");
            assertThat(loader.zooKeeperRequests).isEmpty();
        }
    }

    @Test
    void withLbZooKeeperButWithoutTheZooKeeperClientTheProblemNamesTheClient() throws Exception {
        try (WithoutLoader loader = new WithoutLoader(Set.of(location(ZooKeeper.class)))) {
            assertThat(run(loader, "discovery")).isEqualTo("lb4j.services.users.discovery: 'zookeeper'"
                    + " (needs org.apache.zookeeper:zookeeper on the class path (a dependency of io.lb4j:lb-zookeeper))");
        }
    }
}
