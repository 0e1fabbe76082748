package io.lb4j.core;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Chooses an instance of one logical service per call. Holds the endpoint list as an immutable
 * {@link Snapshot}, replaced atomically on every change; a pick is one volatile read plus the
 * strategy's picker, with no lock.
 *
 * <p>Thread-safe. Writers (list updates, health and ejection changes, strategy switches)
 * serialise among themselves; readers never wait.
 * <pre>{@code
 * Balancer users = Balancer.builder("users")
 *         .endpoints("10.0.0.1:8080", "10.0.0.2:8080")
 *         .build();
 * Selection s = users.pick();
 * try {
 *     call(s.endpoint());
 *     s.success();
 * } catch (IOException e) {
 *     s.failure(e);
 * }
 * }</pre>
 *
 * <p>Eligible endpoints are healthy, not ejected and of weight &gt; 0. When the eligible share of
 * known endpoints falls under the panic threshold (default 0.5), picks go to every known
 * endpoint instead: better to spread load over possibly-sick instances than to crush the few left.
 */
public interface Balancer extends AutoCloseable {

    /**
     * A builder for a balancer of {@code service}. The name is the logical authority of the
     * service: the host of request URIs ({@code http://users.internal/...}), and for lb-http the
     * TLS server name and {@code Host} header. So it must be a host name that {@link java.net.URI}
     * and {@link javax.net.ssl.SNIHostName} accept: dot-separated labels of letters, digits and
     * {@code -} ({@code users}, {@code users.internal}, {@code users-v2.prod.example.com}), each 1-63
     * characters not starting or ending with {@code -}, the last one starting with a letter, at
     * most 253 characters. Matching is case-insensitive.
     *
     * @param service the service name
     * @return a builder with the defaults of {@link BalancerBuilder}
     * @throws NullPointerException if {@code service} is null
     * @throws IllegalArgumentException if {@code service} is blank or not such a host name
     *         ({@code user_svc}, {@code 10.0.0.1}, {@code users.}), naming the rule
     */
    static BalancerBuilder builder(String service) {
        return new BalancerBuilder(service);
    }

    /**
     * The logical service name as given to {@link #builder(String)}.
     *
     * @return the name, e.g. {@code "users"} or {@code "users.internal"}
     */
    String service();

    /**
     * Picks an endpoint with no hash key and nothing to avoid.
     *
     * @throws NoAvailableEndpointException if nothing may be picked
     * @throws IllegalStateException if closed
     */
    Selection pick();

    /**
     * Picks an endpoint; avoids {@link PickContext#avoid()} while another pickable endpoint exists.
     *
     * @throws NoAvailableEndpointException if nothing may be picked
     * @throws IllegalStateException if closed
     */
    Selection pick(PickContext context);

    /**
     * Replaces the endpoint list. Endpoints that stay (same host and port) keep their live state
     * and take the new attributes; an empty list is allowed and means "no instances".
     *
     * @throws IllegalArgumentException if the list has duplicates (by host and port); the current list stays
     * @throws NullPointerException if the list or an element is null; the current list stays
     */
    void update(Collection<Endpoint> endpoints);

    /** Every known endpoint, in list order. */
    List<Endpoint> endpoints();

    /** The current snapshot. */
    Snapshot snapshot();

    Strategy strategy();

    /** Switches strategy at run time; in-flight counts and latency averages are kept. */
    void strategy(Strategy strategy);

    /** Whether picks currently spread over all endpoints because too few are eligible. */
    boolean inPanic();

    /**
     * Marks a member unhealthy (active health checks). Returns whether it changed anything;
     * false for a non-member.
     */
    boolean markUnhealthy(Endpoint endpoint, String reason);

    /** Marks a member healthy again. Returns whether it changed anything. */
    boolean markHealthy(Endpoint endpoint);

    /**
     * Ejects a member (passive outlier detection) for about {@code duration}; the caller ends the
     * ejection with {@link #unEject}. The duration is informational (error messages, views).
     * Returns whether it changed anything.
     */
    boolean eject(Endpoint endpoint, Duration duration);

    /** Ends a member's ejection. Returns whether it changed anything. */
    boolean unEject(Endpoint endpoint);

    /** Adds a listener for every completed selection. */
    void addOutcomeListener(OutcomeListener listener);

    void removeOutcomeListener(OutcomeListener listener);

    /**
     * Adds a listener called with each newly published snapshot, outside the balancer's lock, on
     * the writing thread. Listeners may see snapshots out of order under concurrent writers;
     * compare {@link Snapshot#version()} or re-read {@link #snapshot()}.
     */
    void addSnapshotListener(Consumer<Snapshot> listener);

    void removeSnapshotListener(Consumer<Snapshot> listener);

    /**
     * Completes when the balancer has its first list: at once for a static list, on the first
     * list a source delivers otherwise.
     */
    CompletableFuture<Balancer> whenReady();

    /** The balancer's ticker. */
    Ticker ticker();

    /** Errors its sources reported so far. */
    long sourceErrorCount();

    /** Closes the sources; later picks and updates throw {@link IllegalStateException}. Idempotent. */
    @Override
    void close();
}
