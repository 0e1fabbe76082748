package io.lb4j.health;

import static io.lb4j.core.internal.Checks.notNull;

import io.lb4j.core.Endpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@link Probe#http}: a GET, healthy iff 200-399. */
final class HttpProbe implements Probe {

    private final String path;
    private final HttpClient client;
    private final Duration timeout;

    HttpProbe(String path, HttpClient client, Duration timeout) {
        this.path = path;
        this.client = client;
        this.timeout = timeout;
    }

    static String checkPath(String path) {
        notNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path: '" + path + "' (expected: starts with /)");
        }
        URI.create("http://localhost" + path); // fails now, with the bad character named, rather than at every probe
        return path;
    }

    boolean needsClient() {
        return client == null;
    }

    /** This probe on {@code client} (when it has none) with the checker's timeout. */
    HttpProbe bind(HttpClient ownClient, Duration checkerTimeout) {
        return new HttpProbe(path, client != null ? client : ownClient, checkerTimeout);
    }

    @Override
    public CompletionStage<ProbeResult> check(Endpoint endpoint) {
        if (client == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "Probe.http(\"" + path + "\") runs on a HealthChecker's HttpClient; use Probe.http(path, client) to call it directly"));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + endpoint.authority() + path))
                .header("User-Agent", "lb4j-health")
                .GET();
        if (timeout != null) {
            request.timeout(timeout);
        }
        CompletableFuture<HttpResponse<Void>> send =
                client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
        CompletableFuture<ProbeResult> result = send.thenApply(response -> {
            int status = response.statusCode();
            return status >= 200 && status <= 399 ? ProbeResult.healthy() : ProbeResult.unhealthy("HTTP " + status);
        });
        // the checker cancels a timed-out probe; cancelling the HttpClient's own future aborts the exchange
        result.whenComplete((r, e) -> {
            if (e instanceof CancellationException) {
                send.cancel(true);
            }
        });
        return result;
    }

    @Override
    public String toString() {
        return "Probe.http(" + path + ")";
    }
}
