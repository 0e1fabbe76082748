package io.lb4j.admin;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.ReconnectPolicy;
import io.lb4j.core.Selection;
import io.lb4j.core.Strategy;
import io.lb4j.testing.FakeScheduler;
import io.lb4j.testing.FakeTicker;
import io.lb4j.testing.ScriptedRandom;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The scripted balancer of the JSON tests and of docs/admin.md's example: fake ticker and clock
 * (the epoch plus the ticker), changes on the calling thread, round-robin from index 0.
 * <ol>
 *   <li>t0 + 0: "users" over 10.0.0.1:8080 (zone eu-1a, version=42), 10.0.0.2:8080, 10.0.0.3:8080 (weight 0);</li>
 *   <li>a call to 10.0.0.1 succeeds after 12 ms;</li>
 *   <li>a call to 10.0.0.2 fails to connect: excluded by {@code connection} for the 1 s backoff;</li>
 *   <li>10.0.0.1 is drained by {@code maintenance} for 10 minutes: none of the two of weight > 0 is
 *       eligible, so the balancer panics.</li>
 * </ol>
 */
final class Scenes {
    static final Endpoint A = Endpoint.builder("10.0.0.1", 8080).zone("eu-1a").metadata("version", "42").build();
    static final Endpoint B = Endpoint.of("10.0.0.2", 8080);
    static final Endpoint C = Endpoint.of("10.0.0.3", 8080).withWeight(0);

    private Scenes() {}

    static Balancer scripted(FakeTicker ticker) {
        Balancer b = Balancer.builder("users").endpoints(A, B, C).strategy(Strategy.roundRobin())
                .ticker(ticker).clock(ticker.clock()).random(new ScriptedRandom().nextInts(0))
                .controlExecutor(Runnable::run).scheduler(new FakeScheduler(ticker))
                .reconnectPolicy(ReconnectPolicy.builder().jitter(0).check(e -> new CompletableFuture<>()).build())
                .build();
        Selection a = b.pick();
        ticker.advance(Duration.ofMillis(12));
        a.success();
        b.pick().connectionFailure(new ConnectException("Connection refused"));
        b.newExclusions("maintenance").exclude(A, "kernel upgrade", Duration.ofMinutes(10));
        return b;
    }
}
