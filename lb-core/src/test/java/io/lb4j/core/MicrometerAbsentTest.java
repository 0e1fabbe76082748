package io.lb4j.core;

import static io.lb4j.testing.NoMicrometerLoader.locationOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.testing.NoMicrometerLoader;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class MicrometerAbsentTest {

    @Test
    void aBalancerPicksViewsAndReportsEventsWithoutMicrometerOnTheClassPath() throws Exception {
        try (NoMicrometerLoader loader = new NoMicrometerLoader(locationOf(Balancer.class),
                locationOf(NoMicrometerScenario.class), locationOf(LoggerFactory.class))) {
            Class<?> scenario = Class.forName(NoMicrometerScenario.class.getName(), true, loader);
            assertThat(scenario.getClassLoader()).isSameAs(loader);
            @SuppressWarnings("unchecked")
            Callable<String> run = (Callable<String>) scenario.getDeclaredConstructor().newInstance();
            assertThat(run.call()).isEqualTo("2 picks, 1 excluded, 1 event");
            assertThat(loader.micrometerRequests()).isEmpty();
        }
    }
}
