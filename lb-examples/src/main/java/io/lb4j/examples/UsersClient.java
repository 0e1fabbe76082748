package io.lb4j.examples;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Example: the code a service writes to call another service through lb4j. It knows only the
 * logical name {@code users}; which instance answers is the load-balanced client's business.
 * Its unit test (UsersClientTest) wires it to a static list of loopback backends.
 */
public final class UsersClient {
    private final HttpClient http;

    /** @param http a {@code LoadBalancedHttpClient} with a balancer for the service {@code users} */
    public UsersClient(HttpClient http) {
        this.http = http;
    }

    /** Fetches a user's record; GETs are retried on another instance when one fails. */
    public String user(String id) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://users/users/" + id))
                .timeout(Duration.ofSeconds(2))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("users answered " + response.statusCode() + " for user " + id);
        }
        return response.body();
    }
}
