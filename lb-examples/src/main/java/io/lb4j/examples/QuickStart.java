package io.lb4j.examples;

import io.lb4j.core.Balancer;
import io.lb4j.health.HealthChecker;
import io.lb4j.health.Probe;
import io.lb4j.http.LoadBalancedHttpClient;
import io.lb4j.strategies.Strategies;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;

/**
 * README's quick start, kept here so that it compiles and runs (QuickStartTest). The balancer
 * and the checker are returned with the answer so that the caller can close them.
 */
public final class QuickStart {
    private QuickStart() {}

    /** The result of one call and what to close afterwards. */
    public record Result(HttpResponse<String> response, Balancer users, HealthChecker health) {}

    public static Result call(String... endpoints) throws IOException, InterruptedException {
        // --- README quick start, verbatim but for the endpoints and the kept references
        Balancer users = Balancer.builder("users")
                .endpoints(endpoints)
                .strategy(Strategies.peakEwma())                  // or leastConnections(), roundRobin(), ...
                .build();           // safe by default: a refused connection or 5 failures in a row take an instance out
        HttpClient http = LoadBalancedHttpClient.builder(HttpClient.newHttpClient()).service(users).build();

        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://users/api/users/42")).build(),
                BodyHandlers.ofString());
        // -> sent to a healthy instance; a failed GET is retried on another one, within a retry budget

        HealthChecker health = HealthChecker.builder(users).probe(Probe.http("/healthz")).build().start(); // optional
        // --- end
        return new Result(r, users, health);
    }
}
