package io.lb4j.config;

import io.lb4j.core.Endpoint;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The application's own registration as {@link Lb4jRuntime} runs it ({@code lb4j.registration.*}):
 * in etcd (an {@code EtcdRegistration} of lb-discovery) or in ZooKeeper (a
 * {@code ZooKeeperRegistration} of lb-zookeeper), behind one interface so that the runtime and
 * frameworks need not know which.
 *
 * <p>Thread-safe.
 * <pre>{@code
 * InstanceRegistration r = runtime.register(8080);
 * r.whenRegistered().get(5, TimeUnit.SECONDS); // optional: wait until discoverable
 * r.location();                                // "/services/orders/10.0.0.7:8080"
 * }</pre>
 */
public interface InstanceRegistration extends AutoCloseable {

    /**
     * Where the instance is registered.
     *
     * @return the registry
     */
    RegistrationConfig.Registry registry();

    /**
     * The etcd key or the znode written.
     *
     * @return its path, e.g. {@code /services/orders/10.0.0.7:8080}
     */
    String location();

    /**
     * The address registered.
     *
     * @return the endpoint
     */
    Endpoint endpoint();

    /**
     * Whether the instance is believed discoverable now (the last write or keepalive succeeded).
     *
     * @return true while registered
     */
    boolean isRegistered();

    /**
     * Completes on the first successful registration; fails if closed before.
     *
     * @return a future completed with this registration, always the same
     */
    CompletableFuture<InstanceRegistration> whenRegistered();

    /**
     * The registration of the registry's own module, for what only it offers (an etcd lease id).
     *
     * @param <T> the type asked for
     * @param type {@code EtcdRegistration.class} or {@code ZooKeeperRegistration.class}
     * @return the registration, empty if it is not of that type
     */
    <T> Optional<T> unwrap(Class<T> type);

    /**
     * Drains, then deregisters (see the registry's registration): the instance is marked draining
     * for the drain period, then removed. Blocks for the drain period. Idempotent.
     */
    @Override
    void close();
}
