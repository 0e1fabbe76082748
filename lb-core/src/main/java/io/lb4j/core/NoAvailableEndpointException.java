package io.lb4j.core;

/**
 * Thrown by {@link Balancer#pick()} when no endpoint may be picked; the message names the
 * service and why, e.g. {@code no endpoint for 'users': 4 known, 0 eligible (2 unhealthy, 2 ejected)}.
 */
public class NoAvailableEndpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The service that had no endpoint. */
    private final String service;

    /**
     * An exception for {@code service}.
     *
     * @param service the service that had no endpoint
     * @param message why, naming the service
     */
    public NoAvailableEndpointException(String service, String message) {
        super(message);
        this.service = service;
    }

    /** {@return the service that had no endpoint} */
    public String service() {
        return service;
    }
}
