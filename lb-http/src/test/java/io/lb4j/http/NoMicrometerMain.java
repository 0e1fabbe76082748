package io.lb4j.http;

import io.lb4j.core.Balancer;
import io.lb4j.testing.LoopbackBackend;
import io.lb4j.testing.ScriptedRandom;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;

/**
 * Run by {@link OptionalMicrometerTest} in a JVM without Micrometer on the class path: a call
 * with a retry must work, which it cannot if any lb-http class touches a Micrometer type.
 */
final class NoMicrometerMain {
    private NoMicrometerMain() {}

    public static void main(String[] args) throws Exception {
        try {
            Class.forName("io.micrometer.core.instrument.MeterRegistry");
            throw new IllegalStateException("Micrometer is on the class path; the check proves nothing");
        } catch (ClassNotFoundException expected) {
            // as intended
        }
        try (LoopbackBackend busy = LoopbackBackend.start("busy"); LoopbackBackend free = LoopbackBackend.start("free")) {
            busy.status(503);
            Balancer users = Balancer.builder("users").endpoints(java.util.List.of(busy.endpoint(), free.endpoint()))
                    .random(ScriptedRandom.zeros()).build();
            try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder(HttpClient.newHttpClient()).service(users).build()) {
                String body = client.send(HttpRequest.newBuilder(URI.create("http://users/x")).build(),
                        BodyHandlers.ofString()).body();
                System.out.println("body=" + body + " retries=" + client.stats("users").retries());
            }
        }
    }
}
