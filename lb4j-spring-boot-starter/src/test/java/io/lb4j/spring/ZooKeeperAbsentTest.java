package io.lb4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.config.ConfigException;
import io.lb4j.zookeeper.ZooKeeperSource;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The starter without lb-zookeeper (an optional dependency that the application adds for
 * ZooKeeper): discovery=zookeeper fails start-up naming the key and the missing artifact, and an
 * application that does not name ZooKeeper starts without a ZooKeeper class being asked for.
 * Each runs a Spring Boot application in a class loader of this test's class path minus
 * lb-zookeeper.
 */
class ZooKeeperAbsentTest {

    /** This test's class path without lb-zookeeper, noting every request for one of its classes or ZooKeeper's. */
    static final class WithoutZooKeeper extends URLClassLoader {
        final List<String> zooKeeperRequests = new CopyOnWriteArrayList<>();

        WithoutZooKeeper() throws Exception {
            super(urls(), ClassLoader.getPlatformClassLoader());
        }

        private static URL[] urls() throws Exception {
            Path lbZooKeeper = Path.of(ZooKeeperSource.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            List<URL> urls = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path p = Path.of(entry).toAbsolutePath();
                if (!p.equals(lbZooKeeper)) {
                    urls.add(p.toUri().toURL());
                }
            }
            return urls.toArray(new URL[0]);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            // lb-zookeeper's test fixtures (ZooKeeperServers, ZkOps) share its package: only its main classes count
            if (name.startsWith("org.apache.zookeeper.") || name.startsWith("org.apache.curator.")
                    || name.startsWith("io.lb4j.zookeeper.ZooKeeper") && !name.startsWith("io.lb4j.zookeeper.ZooKeeperServers")) {
                zooKeeperRequests.add(name);
            }
            return super.loadClass(name, resolve);
        }
    }

    @SuppressWarnings("unchecked")
    private static String start(WithoutZooKeeper loader, String... properties) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(loader); // Spring finds its auto-configurations through the context loader
        try {
            Class<?> scenario = Class.forName(ZooKeeperAbsentScenario.class.getName(), true, loader);
            assertThat(scenario.getClassLoader()).isSameAs(loader);
            return ((Function<String[], String>) scenario.getDeclaredConstructor().newInstance()).apply(properties);
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Test
    void discoveryZookeeperFailsStartUpNamingTheKeyAndTheArtifact() throws Exception {
        try (WithoutZooKeeper loader = new WithoutZooKeeper()) {
            assertThat(start(loader, "lb4j.services.users.discovery=zookeeper", "lb4j.zookeeper.connect-string=127.0.0.1:2181"))
                    .isEqualTo(ConfigException.class.getName() + ": lb4j configuration: lb4j.services.users.discovery: 'zookeeper'"
                            + " (needs io.lb4j:lb-zookeeper on the class path)");
        }
    }

    @Test
    void anApplicationThatDoesNotNameZooKeeperStartsWithoutIt() throws Exception {
        try (WithoutZooKeeper loader = new WithoutZooKeeper()) {
            assertThat(start(loader, "lb4j.services.users.endpoints=127.0.0.1:1")).isEqualTo("started [users]");
            assertThat(loader.zooKeeperRequests).isEmpty();
        }
    }
}
