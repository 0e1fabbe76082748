package io.lb4j.health;

import static io.lb4j.core.internal.Checks.notNull;

import io.lb4j.core.Endpoint;
import io.lb4j.core.internal.HttpClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;

/**
 * {@link Probe#http} and {@link Probe#https}: a GET, healthy iff 200-399. Bound to a checker, an
 * HTTPS probe sends the balancer's service name as TLS server name (SNI), so that the JDK checks
 * an IP endpoint's certificate against the service name, as lb-http's calls do.
 */
final class HttpProbe implements Probe {

    private final boolean https;
    private final String path;
    private final HttpClient client;
    private final Duration timeout;

    HttpProbe(boolean https, String path, HttpClient client, Duration timeout) {
        this.https = https;
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

    /**
     * This probe as a checker of {@code service} runs it: on the given client, or else on a new
     * one of the checker's (HTTP/1.1, no redirects, connect timeout = the checker's timeout, on
     * {@code executor}); over HTTPS with SNI = {@code service}; the checker's timeout per request.
     */
    HttpProbe bind(Executor executor, Duration checkerTimeout, String service) {
        HttpClient c = client;
        if (c == null) {
            HttpClient.Builder b = HttpClient.newBuilder()
                    .connectTimeout(checkerTimeout)
                    .executor(executor)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .version(HttpClient.Version.HTTP_1_1);
            if (https) {
                b.sslParameters(HttpClients.withServerName(defaultContext().getDefaultSSLParameters(), service));
            }
            c = b.build();
        } else if (https && HttpClients.isJdkClient(c)) {
            c = HttpClients.withServerName(c, service); // one per checker, made once at start()
        }
        return new HttpProbe(https, path, c, checkerTimeout);
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default SSLContext for HTTPS probes", e);
        }
    }

    @Override
    public CompletionStage<ProbeResult> check(Endpoint endpoint) {
        if (client == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    this + " runs on a HealthChecker's HttpClient; use Probe." + scheme() + "(path, client) to call it directly"));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme() + "://" + endpoint.authority() + path))
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

    private String scheme() {
        return https ? "https" : "http";
    }

    @Override
    public String toString() {
        return "Probe." + scheme() + "(\"" + path + "\")";
    }
}
