package io.lb4j.core;

import java.util.List;

/**
 * Pushes whole endpoint lists into a balancer: a static list, a file, DNS, a registry.
 * The balancer {@link #start starts} it when built and {@link #close closes} it with itself.
 *
 * <p>A source reports trouble through {@link Listener#onError}, never by pushing an empty or
 * partial list: the balancer keeps the last good list (fail static).
 * <pre>{@code
 * Balancer b = Balancer.builder("users").source(FileSource.of(path)).build();
 * b.whenReady().get(5, TimeUnit.SECONDS);
 * }</pre>
 */
public interface EndpointSource extends AutoCloseable {

    /**
     * Begins delivering lists to {@code listener}; returns promptly (work goes to the source's
     * own threads). Called once.
     *
     * @param listener where lists and errors go
     */
    void start(Listener listener);

    /** Stops delivering and releases threads and connections; idempotent. */
    @Override
    void close();

    /** Where a source delivers; implemented by the balancer; thread-safe. */
    interface Listener {

        /**
         * A complete new list. An invalid list (duplicates, nulls) is rejected with an
         * exception and the previous list stays.
         *
         * @param endpoints the complete list
         */
        void onEndpoints(List<Endpoint> endpoints);

        /**
         * The source could not produce a list this time; the current list stays.
         *
         * @param cause what went wrong
         */
        void onError(Throwable cause);
    }
}
