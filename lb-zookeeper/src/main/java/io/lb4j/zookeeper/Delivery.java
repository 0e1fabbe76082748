package io.lb4j.zookeeper;

import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointSource;
import java.io.IOException;
import java.util.List;

/**
 * Hands lists and errors to the balancer's listener on the source's thread: skips a list equal
 * (attributes included) to the last one, always delivers after an error so that the balancer
 * sees the recovery, and holds back a list that shrinks below {@code minHosts}.
 */
final class Delivery {
    private final EndpointSource.Listener listener;
    private final int minHosts;
    private final String what;
    private List<Endpoint> last;
    private boolean failing;
    private volatile boolean closed;

    Delivery(EndpointSource.Listener listener, int minHosts, String what) {
        this.listener = listener;
        this.minHosts = minHosts;
        this.what = what;
    }

    void deliver(List<Endpoint> endpoints) {
        if (closed || (!failing && last != null && same(last, endpoints))) {
            return;
        }
        if (last != null && endpoints.size() < minHosts && endpoints.size() < last.size()) {
            fail(new IOException(what + ": " + endpoints.size() + " instance(s), fewer than minHosts " + minHosts
                    + "; keeping the last " + last.size() + " until enough are back"));
            return;
        }
        List<Endpoint> copy = List.copyOf(endpoints);
        listener.onEndpoints(copy);
        last = copy;
        failing = false;
    }

    void fail(Throwable cause) {
        if (closed) {
            return;
        }
        failing = true;
        listener.onError(cause);
    }

    void close() {
        closed = true;
    }

    private static boolean same(List<Endpoint> a, List<Endpoint> b) {
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
