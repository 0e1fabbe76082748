package io.lb4j.health;

import io.lb4j.core.Balancer;
import io.lb4j.core.Selection;
import io.lb4j.testing.Await;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a checker and a detector without a MeterRegistry; {@link MicrometerAbsentTest} loads it
 * in a class loader that has no Micrometer at all. References only lb-core and lb-health.
 */
public final class NoMicrometerScenario implements Callable<String> {

    @Override
    public String call() throws Exception {
        try (Balancer balancer = Balancer.builder("users").endpoints("127.0.0.1:1", "127.0.0.1:2").build()) {
            HealthChecker checker = HealthChecker.builder(balancer)
                    .probe(e -> CompletableFuture.completedFuture(e.port() == 1 ? ProbeResult.healthy() : ProbeResult.unhealthy("down")))
                    .build()
                    .start();
            OutlierDetector detector = OutlierDetector.builder(balancer).consecutiveFailures(1).healthChecker(checker).build();
            Await.until("two probes on the checker's real scheduler", () -> checker.probeCount() >= 2);
            Selection s = balancer.pick();
            s.failure(new IOException("reset"));
            balancer.flush().get(); // the ejection is decided on the balancer's control executor
            String result = checker.probeCount() + " probes, " + detector.ejectionCount() + " ejection";
            detector.close();
            checker.close();
            return result;
        }
    }
}
