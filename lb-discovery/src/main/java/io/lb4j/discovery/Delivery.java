package io.lb4j.discovery;

import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointSource;
import java.util.List;

/**
 * Hands lists and errors to the balancer's listener. Skips a list equal (attributes included) to
 * the last one delivered, so that a periodic refresh does not rebuild snapshots for nothing, but
 * always delivers after an error so that the balancer sees the recovery. Holds back a list that
 * shrinks below {@code minHosts}, reporting it as an error instead. Thread-safe.
 */
final class Delivery {
    private final EndpointSource.Listener listener;
    private final Object source;
    private final int minHosts;
    private List<Endpoint> last;
    private boolean failing;
    private volatile boolean closed;

    Delivery(EndpointSource.Listener listener, Object source, int minHosts) {
        this.listener = listener;
        this.source = source;
        this.minHosts = minHosts;
    }

    /**
     * The delivery of a source being started.
     *
     * @throws IllegalStateException if the source was started or closed before
     */
    static Delivery forStart(Object source, Delivery current, boolean closed, EndpointSource.Listener listener, int minHosts) {
        if (current != null) {
            throw new IllegalStateException(source + " was already started");
        }
        if (closed) {
            throw new IllegalStateException(source + " is closed");
        }
        return new Delivery(io.lb4j.core.internal.Checks.notNull(listener, "listener"), source, minHosts);
    }

    /** Returns whether the list went to the listener (false when unchanged, held back or closed). */
    synchronized boolean deliver(List<Endpoint> endpoints) {
        if (closed || (!failing && last != null && same(last, endpoints))) {
            return false;
        }
        if (last != null && endpoints.size() < minHosts && endpoints.size() < last.size()) {
            fail(new java.io.IOException(source + ": " + endpoints.size() + " instance(s), fewer than minHosts " + minHosts
                    + "; keeping the last " + last.size() + " until enough are back"));
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
