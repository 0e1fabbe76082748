package io.lb4j.core;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Chooses an instance of one logical service per call. Holds the endpoint list as an immutable
 * {@link Snapshot}, replaced atomically on every change; a pick is one volatile read plus the
 * strategy's picker, with no lock.
 *
 * <p>Thread-safe. Every change (list updates, exclusions, strategy switches) is applied in
 * order by the balancer's control executor, which builds the next snapshot; picks never lock or
 * wait, and a thread reporting an outcome never rebuilds anything itself.
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
 * <p>An endpoint is eligible when no owner {@linkplain #newExclusions excludes} it and its weight is
 * above 0. Safe by default: a connection failure takes an endpoint out at once and a background
 * check brings it back ({@link ReconnectPolicy}); five failed calls in a row eject it for a while
 * ({@link OutlierEjection}); both can be switched off on the builder. When the eligible share of
 * the endpoints of weight above 0 falls under the panic threshold (default 0.5), picks go to all
 * of them instead: better to spread load over possibly-sick instances than to crush the few left.
 * Weight-0 (drained) endpoints are never picked, not even in panic.
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
     * Replaces the endpoint list, waiting until the control executor has published it. Endpoints
     * that stay (same host and port) keep their live state and take the new attributes; an empty
     * list is allowed and means "no instances".
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
     * Switches strategy at run time, waiting until it is applied; in-flight counts and latency
     * averages are kept.
     *
     * @param strategy the new strategy
     * @throws IllegalArgumentException if the strategy rejects the current list; the old one stays
     * @throws IllegalStateException if closed
     */
    void strategy(Strategy strategy);

    /** {@return whether picks currently spread over all endpoints because too few are eligible} */
    boolean inPanic();

    /**
     * A new handle through which one owner takes endpoints out of rotation and brings them back
     * (a health checker, a manual drain, ...); see {@link Exclusions}. Owners never see or clear
     * each other's exclusions. The balancer's own owners are {@code "connection"} (see
     * {@link ReconnectPolicy}) and {@code "outlier-ejection"} (see {@link OutlierEjection}).
     *
     * @param owner the owner's name, shown in {@link Exclusion#owner()} and messages
     * @return a new handle; close it to end all of its exclusions
     * @throws IllegalArgumentException if the name is blank
     * @throws IllegalStateException if the balancer is closed
     */
    Exclusions newExclusions(String owner);

    /**
     * A future completed, on the control executor, once every change submitted before this call
     * (list updates, exclusions, strategy switches) is published.
     *
     * @return a future of the snapshot published by then
     */
    CompletableFuture<Snapshot> flush();

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
     * Adds a listener called with each newly published snapshot, on the control executor, in
     * version order, one at a time. It must be quick; it may call the balancer (a change it makes
     * is applied after it returns).
     *
     * @param listener the listener
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

    /**
     * The balancer's ticker: latencies, backoffs and ejection lengths.
     *
     * @return the ticker
     */
    Ticker ticker();

    /**
     * The balancer's wall clock: the times of {@link Exclusion}s.
     *
     * @return the clock
     */
    java.time.Clock clock();

    /**
     * The limit of calls in flight per endpoint ({@link BalancerBuilder#maxInFlightPerEndpoint}).
     *
     * @return the limit, or 0 for none
     */
    int maxInFlightPerEndpoint();

    /**
     * How many picks passed over an endpoint because it was at {@link #maxInFlightPerEndpoint()}
     * and went to another one.
     *
     * @return the count since the balancer was built
     */
    long atLimitSkipCount();

    /**
     * How many picks failed with {@link EndpointsAtLimitException} because every pickable
     * endpoint was at {@link #maxInFlightPerEndpoint()}.
     *
     * @return the count since the balancer was built
     */
    long atLimitRejectionCount();

    /**
     * The zone picks prefer ({@link BalancerBuilder#localZone}); {@link Snapshot#zones()} tells
     * how picks are split between zones now.
     *
     * @return the local zone, or empty without zone-aware routing
     */
    java.util.Optional<String> localZone();

    /** {@return how many errors its sources reported so far} */
    long sourceErrorCount();

    /** Closes the sources; later picks and updates throw {@link IllegalStateException}. Idempotent. */
    @Override
    void close();
}
