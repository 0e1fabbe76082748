package io.lb4j.discovery;

import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointSource;
import java.util.List;

/**
 * Hands lists and errors to the balancer's listener. Skips a list equal (attributes included) to
 * the last one delivered, so that a periodic refresh does not rebuild snapshots for nothing, but
 * always delivers after an error so that the balancer sees the recovery. Thread-safe.
 */
final class Delivery {
    private final EndpointSource.Listener listener;
    private List<Endpoint> last;
    private boolean failing;
    private volatile boolean closed;

    Delivery(EndpointSource.Listener listener) {
        this.listener = listener;
    }

    /**
     * The delivery of a source being started.
     *
     * @throws IllegalStateException if the source was started or closed before
     */
    static Delivery forStart(Object source, Delivery current, boolean closed, EndpointSource.Listener listener) {
        if (current != null) {
            throw new IllegalStateException(source + " was already started");
        }
        if (closed) {
            throw new IllegalStateException(source + " is closed");
        }
        return new Delivery(io.lb4j.core.internal.Checks.notNull(listener, "listener"));
    }

    /** Returns whether the list went to the listener (false when unchanged or closed). */
    synchronized boolean deliver(List<Endpoint> endpoints) {
        if (closed || (!failing && last != null && same(last, endpoints))) {
            return false;
        }
        List<Endpoint> copy = List.copyOf(endpoints);
        listener.onEndpoints(copy);
        last = copy;
        failing = false;
        return true;
    }

    synchronized void fail(Throwable cause) {
        if (closed) {
            return;
        }
        failing = true;
        listener.onError(cause);
    }

    void close() {
        closed = true;
    }

    static boolean same(List<Endpoint> a, List<Endpoint> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).sameAttributes(b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
