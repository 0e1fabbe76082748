package io.lb4j.http;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.OutlierEjection;
import io.lb4j.core.ReconnectPolicy;
import io.lb4j.http.testing.RecordingServer;
import io.lb4j.testing.Await;
import io.lb4j.testing.LoopbackBackend;
import io.lb4j.testing.ScriptedRandom;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Shared helpers of the client tests. */
final class Fixtures {
    private Fixtures() {}

    /** A delegate per client, so that closing a client (which reaches the delegate on Java 21+) spares the others. */
    static HttpClient newDelegate() {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    static LoopbackBackend[] backends(String... names) throws IOException {
        LoopbackBackend[] b = new LoopbackBackend[names.length];
        for (int i = 0; i < names.length; i++) {
            b[i] = LoopbackBackend.start(names[i]);
        }
        return b;
    }

    /**
     * A round-robin balancer starting at the first backend (every random draw is 0), so tests know
     * who is tried first. The client's own retries are under test, so the balancer's built-in
     * connection tracking and outlier ejection are off: with them a dead backend leaves the
     * rotation after its first refused connection. (Under the former QueuedRandom, which threw on
     * nextDouble, both failed silently on their jittered backoff, which is what these tests then
     * relied on.)
     */
    static Balancer balancer(String service, LoopbackBackend... backends) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (LoopbackBackend b : backends) {
            endpoints.add(b.endpoint());
        }
        return Balancer.builder(service).endpoints(endpoints).random(ScriptedRandom.zeros())
                .reconnectPolicy(ReconnectPolicy.disabled()).outlierEjection(OutlierEjection.disabled()).build();
    }

    /** Like {@link #balancer(String, LoopbackBackend...)}, over recording (HTTP or HTTPS) servers. */
    static Balancer balancer(String service, RecordingServer... servers) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (RecordingServer s : servers) {
            endpoints.add(s.endpoint());
        }
        return Balancer.builder(service).endpoints(endpoints).random(ScriptedRandom.zeros())
                .reconnectPolicy(ReconnectPolicy.disabled()).outlierEjection(OutlierEjection.disabled()).build();
    }

    static HttpRequest get(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).build();
    }

    static void closeAll(LoopbackBackend... backends) {
        for (LoopbackBackend b : backends) {
            b.close();
        }
    }

    /** Polls a condition that real sockets make true, failing after 10 s ({@link Await#until(String, BooleanSupplier)}). */
    static void await(String what, BooleanSupplier condition) {
        Await.until(what, condition);
    }
}
