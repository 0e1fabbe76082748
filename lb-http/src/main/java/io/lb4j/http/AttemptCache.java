package io.lb4j.http;

import io.lb4j.core.Endpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last attempt prepared per endpoint of one service: its request and the client it goes out
 * on ({@link ServiceClients}). A call that repeats the previous call's request object (a
 * constant, or a request reused in a loop) gets the same attempt back; one that repeats only its
 * URI gets the same rewritten {@link URI} instance. Measured on loopback, a fresh URI per call
 * costs the JDK client 7-10 % of the call's time, far more than building it. All of it is
 * immutable, so sharing it between calls and threads is safe. Thread-safe; racing writers just
 * replace each other's entry.
 */
final class AttemptCache {
    /** Far above any real endpoint count; only reached when endpoints churn, then simply restarted. */
    private static final int MAX_ENTRIES = 4096;

    private final ServiceClients clients;
    private final Map<Endpoint, Prepared> last = new ConcurrentHashMap<>();

    AttemptCache(ServiceClients clients) {
        this.clients = clients;
    }

    /** The attempt at {@code endpoint}, with {@code timeoutNanos} when positive. */
    Prepared attempt(HttpRequest request, Endpoint endpoint, long timeoutNanos) {
        Prepared e = last.get(endpoint);
        if (e != null && e.source == request && e.timeoutNanos == timeoutNanos) {
            return e;
        }
        ServiceClients.Mode mode = clients.mode(request);
        URI uri = request.uri();
        URI target;
        if (mode == ServiceClients.Mode.VIA_PROXY) {
            target = uri; // the proxy (the endpoint) is told the service URI itself
        } else if (e != null && e.mode != ServiceClients.Mode.VIA_PROXY
                && (e.source.uri() == uri || e.source.uri().equals(uri))) {
            target = e.request.uri();
        } else {
            target = Requests.rewrite(uri, endpoint);
        }
        String host = mode == ServiceClients.Mode.HOST_HEADER ? Requests.logicalAuthority(uri) : null;
        Prepared p = new Prepared(request, timeoutNanos, mode, Requests.attemptRequest(request, target, timeoutNanos, host),
                clients.client(mode, uri, endpoint));
        if (last.size() >= MAX_ENTRIES) {
            last.clear();
        }
        last.put(endpoint, p);
        return p;
    }

    /** One attempt ready to send: {@link #request} on {@link #client}. */
    static final class Prepared {
        final HttpRequest source;
        final long timeoutNanos;
        final ServiceClients.Mode mode;
        /** The request to send. */
        final HttpRequest request;
        /** The client to send it on. */
        final HttpClient client;

        Prepared(HttpRequest source, long timeoutNanos, ServiceClients.Mode mode, HttpRequest request, HttpClient client) {
            this.source = source;
            this.timeoutNanos = timeoutNanos;
            this.mode = mode;
            this.request = request;
            this.client = client;
        }
    }
}
