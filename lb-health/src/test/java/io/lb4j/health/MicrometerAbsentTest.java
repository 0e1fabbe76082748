package io.lb4j.health;

import static io.lb4j.testing.NoMicrometerLoader.locationOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Balancer;
import io.lb4j.testing.Await;
import io.lb4j.testing.NoMicrometerLoader;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class MicrometerAbsentTest {

    @Test
    void checkerAndDetectorRunWithoutMicrometerOnTheClassPath() throws Exception {
        try (NoMicrometerLoader loader = new NoMicrometerLoader(locationOf(Balancer.class), locationOf(HealthChecker.class),
                locationOf(NoMicrometerScenario.class), locationOf(LoggerFactory.class), locationOf(Await.class))) {
            Class<?> scenario = Class.forName(NoMicrometerScenario.class.getName(), true, loader);
            assertThat(scenario.getClassLoader()).isSameAs(loader);
            @SuppressWarnings("unchecked")
            Callable<String> run = (Callable<String>) scenario.getDeclaredConstructor().newInstance();
            assertThat(run.call()).isEqualTo("2 probes, 1 ejection");
            assertThat(loader.micrometerRequests()).isEmpty();
        }
    }
}
