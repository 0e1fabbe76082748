package io.lb4j.core.internal;

import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointSource;
import java.util.List;

/**
 * Hands lists and errors to the balancer's listener. Skips a list equal (attributes included) to
 * the last one delivered, so that a periodic refresh does not rebuild snapshots for nothing, but
 * always delivers after an error so that the balancer sees the recovery. Holds back a list that
 * shrinks below {@code minHosts}, reporting it as an error instead. Shared by every lb4j source
 * (lb-discovery, lb-zookeeper); not API. Thread-safe.
 */
public final class Delivery {
    private final EndpointSource.Listener listener;
    private final Object source;
    private final int minHosts;
    private List<Endpoint> last;
    private boolean failing;
    private volatile boolean closed;

    /**
     * A delivery to {@code listener}.
     *
     * @param listener the balancer's listener
     * @param source the source, named in messages
     * @param minHosts the floor under which a shrinking list is held back; 0 for none
     */
    public Delivery(EndpointSource.Listener listener, Object source, int minHosts) {
        this.listener = listener;
        this.source = source;
        this.minHosts = minHosts;
    }

    /**
     * The delivery of a source being started.
     *
     * @param source the source, named in messages
     * @param current the source's delivery so far, null if never started
     * @param closed whether the source is closed
     * @param listener the balancer's listener
     * @param minHosts the floor under which a shrinking list is held back; 0 for none
     * @return a new delivery
     * @throws IllegalStateException if the source was started or closed before
     */
    public static Delivery forStart(Object source, Delivery current, boolean closed, EndpointSource.Listener listener, int minHosts) {
        if (current != null) {
            throw new IllegalStateException(source + " was already started");
        }
        if (closed) {
            throw new IllegalStateException(source + " is closed");
        }
        return new Delivery(io.lb4j.core.internal.Checks.notNull(listener, "listener"), source, minHosts);
    }

    /**
     * Delivers a list unless it is unchanged, held back or the delivery is closed.
     *
     * @param endpoints the source's current list
     * @return whether the list went to the listener
     */
    public synchronized boolean deliver(List<Endpoint> endpoints) {
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

    /**
     * Reports a source error (the balancer keeps its last list).
     *
     * @param cause what failed
     */
    public synchronized void fail(Throwable cause) {
        if (closed) {
            return;
        }
        failing = true;
        listener.onError(cause);
    }

    /** Delivers nothing more. */
    public void close() {
        closed = true;
    }

    /**
     * Whether two lists hold the same endpoints, attributes included, in the same order.
     *
     * @param a a list
     * @param b another list
     * @return true if equal with attributes
     */
    public static boolean same(List<Endpoint> a, List<Endpoint> b) {
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
