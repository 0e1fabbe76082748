package io.lb4j.core;

import static io.lb4j.core.internal.Checks.notNull;
import static io.lb4j.core.internal.Checks.positive;

import io.lb4j.core.internal.SharedExecutors;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Tells whether an endpoint that could not be connected to is reachable again; the
 * {@link ReconnectPolicy} runs it in the background before an endpoint excluded for a
 * connection failure returns to rotation, so that live calls are not used as probes.
 *
 * <p>Implementations must be thread-safe and must not block the calling thread.
 */
@FunctionalInterface
public interface ConnectionCheck {

    /**
     * Checks one endpoint.
     *
     * @param endpoint the endpoint to check
     * @return a stage completed with true when the endpoint accepts connections again; false or
     *         an exceptional completion keeps it out
     */
    CompletionStage<Boolean> check(Endpoint endpoint);

    /**
     * Opens (and closes at once) a TCP connection to the endpoint, on a shared pool of named
     * daemon threads ({@code lb4j-reconnect}).
     *
     * @param timeout the connect timeout
     * @return a TCP connect check
     * @throws IllegalArgumentException unless the timeout is positive
     */
    static ConnectionCheck tcp(Duration timeout) {
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, positive(timeout, "timeout").toMillis()));
        return new ConnectionCheck() {
            @Override
            public CompletionStage<Boolean> check(Endpoint endpoint) {
                notNull(endpoint, "endpoint");
                return CompletableFuture.supplyAsync(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), millis);
                        return true;
                    } catch (IOException | RuntimeException e) {
                        return false;
                    }
                }, SharedExecutors.blocking());
            }

            @Override
            public String toString() {
                return "tcp(" + timeout + ")";
            }
        };
    }

    /**
     * No check: an endpoint returns when its backoff is over, and the next call to it is the test.
     *
     * @return a check that always passes
     */
    static ConnectionCheck none() {
        return new ConnectionCheck() {
            @Override
            public CompletionStage<Boolean> check(Endpoint endpoint) {
                return CompletableFuture.completedFuture(true);
            }

            @Override
            public String toString() {
                return "none";
            }
        };
    }
}
