package io.lb4j.config;

import io.lb4j.core.Endpoint;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/** An {@link InstanceRegistration} over a registry's own registration, held without naming its type. */
final class Registered implements InstanceRegistration {
    private final RegistrationConfig.Registry registry;
    private final String location;
    private final Endpoint endpoint;
    private final Object delegate;
    private final BooleanSupplier registered;
    private final CompletableFuture<InstanceRegistration> whenRegistered;
    private final Runnable close;

    Registered(RegistrationConfig.Registry registry, String location, Endpoint endpoint, Object delegate, BooleanSupplier registered,
               CompletableFuture<?> first, Runnable close) {
        this.registry = registry;
        this.location = location;
        this.endpoint = endpoint;
        this.delegate = delegate;
        this.registered = registered;
        this.whenRegistered = first.thenApply(r -> this);
        this.close = close;
    }

    @Override
    public RegistrationConfig.Registry registry() {
        return registry;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public boolean isRegistered() {
        return registered.getAsBoolean();
    }

    @Override
    public CompletableFuture<InstanceRegistration> whenRegistered() {
        return whenRegistered;
    }

    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(delegate) ? Optional.of(type.cast(delegate)) : Optional.empty();
    }

    @Override
    public void close() {
        close.run();
    }

    @Override
    public String toString() {
        return registry.configName() + " registration " + location + (isRegistered() ? " (registered)" : " (not registered)");
    }
}
