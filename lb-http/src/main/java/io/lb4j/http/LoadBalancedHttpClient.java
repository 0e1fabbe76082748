package io.lb4j.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * An {@link HttpClient} that sends requests for service names to the instances a
 * {@link io.lb4j.core.Balancer} picks, and retries failed attempts on other instances.
 *
 * <p>A request whose URI host is a registered service name ({@code http://users/api/x} for the
 * balancer of {@code "users"}) is sent to the endpoint the balancer picks, keeping scheme, path,
 * query, headers, body, version and expect-continue; connections are pooled per endpoint. The
 * service name stays the request's authority: over HTTPS it is the TLS server name (SNI) and the
 * name the certificate is checked against, on one client per service made from the delegate's
 * settings; it is the {@code Host} backends see where the JDK allows (see
 * {@link LoadBalancedHttpClientBuilder#serviceHostHeader}). A certificate the client rejects
 * fails the call at once, without retry. The outcome feeds the balancer: an attempt that could
 * not connect is a connection failure (it takes the endpoint out of rotation at once), other
 * errors, timeouts and 5xx are endpoint failures, 1xx-4xx successes. An attempt of which nothing
 * left the client is sent again on another endpoint whatever its method (a requeue); other
 * failures are retried as {@link RetryPolicy} says. Other requests pass through to the delegate
 * unchanged, as do every other method ({@code executor()}, {@code newWebSocketBuilder()}, ...).
 *
 * <p>{@link #send} keeps {@link HttpClient#send}'s contract: failures are {@link java.io.IOException}s
 * of the last attempt's kind (a {@code ConnectException} stays one), with a message that names the
 * service, each attempt's endpoint and outcome and why the call stopped, the last failure as cause
 * and the earlier ones suppressed; an {@link IllegalArgumentException} only for a request that no
 * endpoint can take. {@link #sendAsync} fails its future the same way.
 * {@link #sendAsync} is asynchronous end to end: backoff is scheduled, not slept; cancelling the
 * returned future cancels the attempt in flight and stops retries. With
 * {@link RetryPolicy.Builder#hedgeAfter hedging} on, attempts of retryable calls may overlap.
 *
 * <p>Thread-safe; share one instance per application.
 * <pre>{@code
 * Balancer users = Balancer.builder("users").endpoints("10.0.0.1:8080", "10.0.0.2:8080").build();
 * LoadBalancedHttpClient client = LoadBalancedHttpClient.builder(HttpClient.newHttpClient())
 *         .service(users)
 *         .retryPolicy(RetryPolicy.builder().perAttemptTimeout(Duration.ofSeconds(1)).build())
 *         .build();
 * HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://users/api/x")).build(),
 *         HttpResponse.BodyHandlers.ofString());
 * }</pre>
 *
 * <p>Lifecycle: {@link #close()}, {@link #shutdown()}, {@link #shutdownNow()},
 * {@link #awaitTermination(Duration)} and {@link #isTerminated()} stop this client's retry
 * scheduler (if it created it) and, on Java 21 and later, reach the delegate; on Java 17 the
 * delegate has no lifecycle and is left alone. Balancers are not closed.
 */
public abstract class LoadBalancedHttpClient extends HttpClient implements AutoCloseable {

    LoadBalancedHttpClient() {}

    /**
     * A builder around {@code delegate}, which sends every attempt.
     *
     * @param delegate the client that sends every attempt
     * @return a new builder
     * @throws NullPointerException if {@code delegate} is null
     */
    public static LoadBalancedHttpClientBuilder builder(HttpClient delegate) {
        return new LoadBalancedHttpClientBuilder(delegate);
    }

    /**
     * The client this one was built around. It sends the attempts of plain HTTP (unless the
     * service {@code Host} goes through per-endpoint proxy clients) and of other hosts; the
     * clients lb4j makes for HTTPS (one per service, with the service as TLS server name) and
     * for per-endpoint proxies are copies of its settings.
     *
     * @return the delegate given to {@link #builder(HttpClient)}
     */
    public abstract HttpClient delegate();

    /** {@return the registered service names, lower case} */
    public abstract Set<String> services();

    /**
     * What this client did for {@code service} so far.
     *
     * @param service the service name
     * @return its counters
     * @throws IllegalArgumentException if the service is not registered
     */
    public abstract ServiceStats stats(String service);

    /** {@return {@link #stats(String)} of every service, by name} */
    public abstract Map<String, ServiceStats> stats();

    /** Stops taking calls once the ones in progress (and their scheduled retries) are done; see the class doc. */
    public abstract void shutdown();

    /** Like {@link #shutdown()}, and cancels scheduled retries; on Java 21+ also the delegate's exchanges. */
    public abstract void shutdownNow();

    /**
     * Waits until terminated or {@code duration} passed; returns whether terminated.
     *
     * @param duration the longest wait
     * @return whether terminated
     * @throws InterruptedException if interrupted while waiting
     */
    public abstract boolean awaitTermination(Duration duration) throws InterruptedException;

    /** {@return whether the client was shut down and every call is done} */
    public abstract boolean isTerminated();

    /** {@link #shutdown()}, then waits for termination. Idempotent. */
    @Override
    public abstract void close();
}
