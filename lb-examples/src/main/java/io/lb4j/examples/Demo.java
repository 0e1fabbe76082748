package io.lb4j.examples;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.Selection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo: three loopback backends behind a static list, 300 requests through a balancer,
 * and how many each backend got.
 */
public final class Demo {
    private Demo() {}

    public static void main(String[] args) throws Exception {
        List<DemoBackend> backends = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            backends.add(DemoBackend.start(name, 1, 0));
        }
        List<Endpoint> endpoints = new ArrayList<>();
        backends.forEach(b -> endpoints.add(b.endpoint()));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        int errors = 0;
        try (Balancer users = Balancer.builder("users").endpoints(endpoints).build()) {
            for (int i = 0; i < 300; i++) {
                Selection s = users.pick();
                URI uri = URI.create("http://" + s.endpoint().authority() + "/work");
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() >= 500) {
                        s.failure(new RuntimeException("status " + r.statusCode()));
                        errors++;
                    } else {
                        s.success();
                    }
                } catch (Exception e) {
                    s.failure(e);
                    errors++;
                }
            }
        } finally {
            backends.forEach(DemoBackend::close);
        }
        System.out.println("300 requests over 3 backends (round-robin):");
        for (DemoBackend b : backends) {
            System.out.printf("  backend %s  %4d requests%n", b.name(), b.served());
        }
        System.out.println("  errors      " + errors);
        if (errors > 0) {
            System.exit(1);
        }
    }
}
