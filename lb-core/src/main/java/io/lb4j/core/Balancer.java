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
     * A builder for a balancer of {@code service}.
     *
     * @param service the logical service name, e.g. {@code "users"}
     * @return a new builder
     */
    static BalancerBuilder builder(String service) {
        return new BalancerBuilder(service);
    }

    /** {@return the logical service name, e.g. {@code "users"}} */
    String service();

    /**
     * Picks an endpoint with no hash key and nothing to avoid.
     *
     * @return the selection, to be completed exactly once with the call's outcome
     * @throws NoAvailableEndpointException if nothing may be picked
     * @throws IllegalStateException if closed
     */
    Selection pick();

    /**
     * Picks an endpoint; avoids {@link PickContext#avoid()} while another pickable endpoint exists.
     *
     * @param context the hash key and the endpoints to avoid
     * @return the selection, to be completed exactly once with the call's outcome
     * @throws NoAvailableEndpointException if nothing may be picked
     * @throws IllegalStateException if closed
     */
    Selection pick(PickContext context);

    /**
     * Replaces the endpoint list. Endpoints that stay (same host and port) keep their live state
     * and take the new attributes; an empty list is allowed and means "no instances".
     *
     * @param endpoints the complete new list
     * @throws IllegalArgumentException if the list has duplicates (by host and port); the current list stays
     * @throws NullPointerException if the list or an element is null; the current list stays
     */
    void update(Collection<Endpoint> endpoints);

    /** {@return every known endpoint, in list order} */
    List<Endpoint> endpoints();

    /** {@return the current snapshot} */
    Snapshot snapshot();

    /** {@return the strategy that builds the pickers} */
    Strategy strategy();

    /**
     * Switches strategy at run time; in-flight counts and latency averages are kept.
     *
     * @param strategy the strategy for the next snapshots
     */
    void strategy(Strategy strategy);

    /** {@return whether picks currently spread over all endpoints because too few are eligible} */
    boolean inPanic();

    /**
     * Marks a member unhealthy (active health checks). Returns whether it changed anything;
     * false for a non-member.
     *
     * @param endpoint the member
     * @param reason why it is unhealthy, shown in errors and views
     * @return whether the call changed anything
     */
    boolean markUnhealthy(Endpoint endpoint, String reason);

    /**
     * Marks a member healthy again. Returns whether it changed anything.
     *
     * @param endpoint the member
     * @return whether the call changed anything
     */
    boolean markHealthy(Endpoint endpoint);

    /**
     * Ejects a member (passive outlier detection) for about {@code duration}; the caller ends the
     * ejection with {@link #unEject}. The duration is informational (error messages, views).
     * Returns whether it changed anything.
     *
     * @param endpoint the member
     * @param duration about how long the ejection lasts
     * @return whether the call changed anything
     */
    boolean eject(Endpoint endpoint, Duration duration);

    /**
     * Ends a member's ejection. Returns whether it changed anything.
     *
     * @param endpoint the member
     * @return whether the call changed anything
     */
    boolean unEject(Endpoint endpoint);

    /**
     * Adds a listener for every completed selection.
     *
     * @param listener called once per completed selection
     */
    void addOutcomeListener(OutcomeListener listener);

    /**
     * Removes a listener added with {@link #addOutcomeListener}.
     *
     * @param listener the listener to remove
     */
    void removeOutcomeListener(OutcomeListener listener);

    /**
     * Adds a listener called with each newly published snapshot, outside the balancer's lock, on
     * the writing thread. Listeners may see snapshots out of order under concurrent writers;
     * compare {@link Snapshot#version()} or re-read {@link #snapshot()}.
     *
     * @param listener called with each new snapshot
     */
    void addSnapshotListener(Consumer<Snapshot> listener);

    /**
     * Removes a listener added with {@link #addSnapshotListener}.
     *
     * @param listener the listener to remove
     */
    void removeSnapshotListener(Consumer<Snapshot> listener);

    /**
     * Completes when the balancer has its first list: at once for a static list, on the first
     * list a source delivers otherwise.
     *
     * @return a future completed with this balancer
     */
    CompletableFuture<Balancer> whenReady();

    /** {@return the balancer's ticker} */
    Ticker ticker();

    /** {@return how many errors its sources reported so far} */
    long sourceErrorCount();

    /** Closes the sources; later picks and updates throw {@link IllegalStateException}. Idempotent. */
    @Override
    void close();
}
