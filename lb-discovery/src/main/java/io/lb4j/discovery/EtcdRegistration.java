package io.lb4j.discovery;

import static io.lb4j.core.internal.Checks.notNull;
import static io.lb4j.core.internal.Checks.notSetYet;
import static io.lb4j.core.internal.Checks.positive;

import io.lb4j.core.Endpoint;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The serving side of {@link EtcdSource}: keeps one instance registered in etcd v3 under
 * {@code /services/<service>/<id>} for as long as the process lives.
 *
 * <p>Lifecycle: {@link Builder#register()} returns at once and, on its own thread, grants a lease
 * (TTL default 10 s), puts the instance's JSON with that lease, then keeps the lease alive every
 * TTL/3. If etcd is unreachable it retries (trying the next member of {@link Builder#endpoints});
 * if the lease was lost meanwhile (it expired during an outage, or someone revoked it), it grants
 * a new one and puts the key again. {@link #close()} drains first: it rewrites the value with
 * {@code "draining": "true"} in its metadata (which {@link EtcdSource} turns into weight 0: no new
 * calls, without counting as a failure), waits the {@link Builder#drainPeriod drain period}
 * (default 3 s) while the keepalive goes on, then revokes the lease, so the key disappears; a
 * process that dies without closing disappears when the lease expires, one TTL later. With {@link Builder#shutdownHook(boolean) shutdownHook(true)} a JVM
 * shutdown (SIGTERM, {@code System.exit}) closes the registration.
 *
 * <p>Thread-safe. Threads: one named daemon thread for the lease plus the HTTP client's named
 * daemon workers; all stop on {@link #close()}.
 * <pre>{@code
 * EtcdRegistration reg = EtcdRegistration.builder("users", Endpoint.of("10.0.0.7", 8080))
 *         .endpoints("http://10.0.0.5:2379", "http://10.0.0.6:2379")
 *         .shutdownHook(true)
 *         .register();
 * reg.whenRegistered().get(5, TimeUnit.SECONDS); // optional: wait until discoverable
 * }</pre>
 */
public interface EtcdRegistration extends AutoCloseable {

    /** The metadata key that marks an instance draining when its value is {@code "true"}. */
    String DRAINING_KEY = "draining";

    /**
     * A builder registering {@code endpoint} as an instance of {@code service}.
     *
     * @param service the service name
     * @param endpoint the instance's address
     * @return a new builder
     * @throws IllegalArgumentException if the service name is blank or contains '/'
     * @throws NullPointerException if an argument is null
     */
    static Builder builder(String service, Endpoint endpoint) {
        return new Builder(service, endpoint);
    }

    /** {@return the key written, e.g. {@code /services/users/10.0.0.7:8080}} */
    String key();

    /** {@return the address registered} */
    Endpoint endpoint();

    /** {@return the current lease, or 0 while none is held} */
    long leaseId();

    /** {@return whether the last put or keepalive succeeded, that is the instance is believed discoverable} */
    boolean isRegistered();

    /**
     * Completes on the first successful registration; fails if closed before.
     *
     * @return a future completed with this registration
     */
    CompletableFuture<EtcdRegistration> whenRegistered();

    /**
     * Drains, then deregisters: marks the instance draining, waits the drain period (only when
     * the mark was written), stops the keepalive and revokes the lease (waiting up to the request
     * timeout), so the key disappears. Blocks for the drain period. Idempotent; safe from a
     * shutdown hook.
     */
    @Override
    void close();

    /** Builds and starts an {@link EtcdRegistration}; not thread-safe. */
    final class Builder {
        final EtcdOptions etcd;
        final Endpoint endpoint;
        String id;
        Duration ttl;
        Duration drainPeriod;
        boolean shutdownHook;

        Builder(String service, Endpoint endpoint) {
            this.etcd = new EtcdOptions(service);
            this.endpoint = notNull(endpoint, "endpoint");
        }

        /**
         * Where to register: etcd members' client URLs, the next one tried when a call fails;
         * default {@code http://127.0.0.1:2379}. Rules as in {@link EtcdSource.Builder#endpoints}.
         *
         * @param urls the client URLs
         * @return this builder
         * @throws IllegalArgumentException if there is none or one is not {@code http(s)://host:port}
         * @throws IllegalStateException on a second call
         */
        public Builder endpoints(String... urls) {
            etcd.endpoints(urls);
            return this;
        }

        /**
         * The folder of the key, the id being appended; default {@code /services/<service>/},
         * which is what {@link EtcdSource} watches by default.
         *
         * @param prefix the folder
         * @return this builder
         * @throws IllegalArgumentException if it does not both start and end with '/'
         * @throws IllegalStateException on a second call
         */
        public Builder prefix(String prefix) {
            etcd.prefix(prefix);
            return this;
        }

        /**
         * The instance's id, the last part of the key; default the endpoint's {@code host:port}.
         *
         * @param id the id
         * @return this builder
         * @throws IllegalArgumentException if blank or containing '/'
         * @throws IllegalStateException if already set
         */
        public Builder id(String id) {
            notSetYet(this.id, "id");
            notNull(id, "id");
            if (id.isBlank() || id.indexOf('/') >= 0) {
                throw new IllegalArgumentException("id: '" + id + "' (expected: not blank, no '/')");
            }
            this.id = id;
            return this;
        }

        /**
         * The lease's time to live, in whole seconds; default 10 s. The key disappears this long
         * after the process dies without {@link EtcdRegistration#close()}.
         *
         * @param ttl the time to live
         * @return this builder
         * @throws IllegalArgumentException unless whole seconds of at least 1
         * @throws IllegalStateException if already set
         */
        public Builder ttl(Duration ttl) {
            notSetYet(this.ttl, "ttl");
            positive(ttl, "ttl");
            if (ttl.getNano() != 0) {
                throw new IllegalArgumentException("ttl: " + ttl + " (expected: whole seconds, at least 1)");
            }
            this.ttl = ttl;
            return this;
        }

        /**
         * Timeout of connecting and of each call; default the smaller of 5 s and the TTL.
         *
         * @param timeout the timeout
         * @return this builder
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder requestTimeout(Duration timeout) {
            etcd.requestTimeout(timeout);
            return this;
        }

        /**
         * How long {@link EtcdRegistration#close()} keeps the instance registered as draining
         * before revoking its lease; default 3 s, zero to revoke at once.
         *
         * @param period the period
         * @return this builder
         * @throws IllegalArgumentException if negative
         * @throws IllegalStateException if already set
         */
        public Builder drainPeriod(Duration period) {
            notSetYet(this.drainPeriod, "drainPeriod");
            this.drainPeriod = io.lb4j.core.internal.Checks.notNegative(period, "drainPeriod");
            return this;
        }

        /**
         * Whether a JVM shutdown hook closes (deregisters) it; default false.
         *
         * @param enabled whether a shutdown hook deregisters
         * @return this builder
         */
        public Builder shutdownHook(boolean enabled) {
            this.shutdownHook = enabled;
            return this;
        }

        /**
         * Starts registering, in the background, and returns at once.
         *
         * @return the registration, already running
         */
        public EtcdRegistration register() {
            Duration t = ttl != null ? ttl : Duration.ofSeconds(10);
            DefaultEtcdRegistration r = new DefaultEtcdRegistration(
                    etcd.endpointsOrDefault(),
                    etcd.prefixOrDefault() + (id != null ? id : endpoint.authority()),
                    endpoint, t,
                    etcd.requestTimeoutOr(t.compareTo(Duration.ofSeconds(5)) < 0 ? t : Duration.ofSeconds(5)),
                    drainPeriod != null ? drainPeriod : Duration.ofSeconds(3),
                    shutdownHook);
            r.start();
            return r;
        }
    }
}
