package io.lb4j.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Balancer;
import io.lb4j.testing.Await;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class MicrometerAbsentTest {

    /** Sees lb-core, lb-health and slf4j-api only, and notes every class it was asked for. */
    private static final class NoMicrometerLoader extends URLClassLoader {
        final List<String> micrometerRequests = new CopyOnWriteArrayList<>();

        NoMicrometerLoader(URL... urls) {
            super(urls, ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.micrometer.")) {
                micrometerRequests.add(name);
            }
            return super.loadClass(name, resolve);
        }
    }

    private static URL locationOf(Class<?> c) {
        return c.getProtectionDomain().getCodeSource().getLocation();
    }

    @Test
    void checkerAndDetectorRunWithoutMicrometerOnTheClassPath() throws Exception {
        try (NoMicrometerLoader loader = new NoMicrometerLoader(locationOf(Balancer.class), locationOf(HealthChecker.class),
                locationOf(NoMicrometerScenario.class), locationOf(LoggerFactory.class), locationOf(Await.class))) {
            Class<?> scenario = Class.forName(NoMicrometerScenario.class.getName(), true, loader);
            assertThat(scenario.getClassLoader()).isSameAs(loader);
            @SuppressWarnings("unchecked")
            Callable<String> run = (Callable<String>) scenario.getDeclaredConstructor().newInstance();
            assertThat(run.call()).isEqualTo("2 probes, 1 ejection");
            assertThat(loader.micrometerRequests).isEmpty();
        }
    }
}
