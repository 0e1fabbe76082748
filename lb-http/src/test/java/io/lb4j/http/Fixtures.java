package io.lb4j.http;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.testing.LoopbackBackend;
import io.lb4j.http.testing.RecordingServer;
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

    /** A round-robin balancer starting at the first backend, so tests know who is tried first. */
    static Balancer balancer(String service, LoopbackBackend... backends) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (LoopbackBackend b : backends) {
            endpoints.add(b.endpoint());
        }
        return Balancer.builder(service).endpoints(endpoints).random(new QueuedRandom()).build();
    }

    /** Like {@link #balancer(String, LoopbackBackend...)}, over recording (HTTP or HTTPS) servers. */
    static Balancer balancer(String service, RecordingServer... servers) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (RecordingServer s : servers) {
            endpoints.add(s.endpoint());
        }
        return Balancer.builder(service).endpoints(endpoints).random(new QueuedRandom()).build();
    }

    static HttpRequest get(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).build();
    }

    static void closeAll(LoopbackBackend... backends) {
        for (LoopbackBackend b : backends) {
            b.close();
        }
    }

    /** Polls a condition that real sockets make true, failing after 10 s. */
    static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
    }
}
