package io.lb4j.http;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.internal.HttpClients;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients one service's attempts go out on, and how an attempt tells the backend which
 * service it is for. The service name is the logical authority; the endpoint only says where to
 * connect.
 *
 * <ul>
 *   <li>HTTPS attempts go to {@code https://<endpoint>/...} on one client per service, made from
 *       the delegate's settings with SNI = the service name: for an IP endpoint the JDK then sends
 *       that name and its trust manager checks the certificate against it (JDK 17-25, checked).
 *   <li>The {@code Host} header is restricted on the JDK's client unless the JVM was started with
 *       {@code -Djdk.httpclient.allowRestrictedHeaders=host}. When it is allowed, an HTTP/1.1
 *       attempt carries {@code Host: <service>[:port]} ({@link Mode#HOST_HEADER}). Not over HTTP/2:
 *       there the JDK sends {@code :authority} from the URI, and a second, different {@code host}
 *       field makes servers such as nginx answer 400.
 *   <li>Otherwise a plain-HTTP attempt keeps the service URI and goes through a client whose HTTP
 *       proxy is the endpoint ({@link Mode#VIA_PROXY}): the backend gets the absolute-form request
 *       line {@code GET http://users.internal/x HTTP/1.1} and {@code Host: users.internal}, which
 *       HTTP/1.1 servers must accept (RFC 9112, 3.2.2). One such client per endpoint, made on the
 *       endpoint's first attempt.
 * </ul>
 * A delegate that is not the JDK's own client (a user's decorator) is used as it is: copying its
 * settings would lose what it adds. Thread-safe.
 */
final class ServiceClients {
    private static final Logger log = LoggerFactory.getLogger(LoadBalancedHttpClient.class);

    /** Whether requests may carry their own Host header; the JDK reads its property once, at start-up. */
    static final boolean HOST_HEADER_ALLOWED = hostHeaderAllowed();

    /** How one attempt names the service to the backend. */
    enum Mode {
        /** URI authority and Host are the endpoint's (HTTPS without the Host property, or opted out). */
        ENDPOINT,
        /** URI authority is the endpoint's, a {@code Host} header carries the service's. */
        HOST_HEADER,
        /** The service URI is kept and sent with the endpoint as HTTP proxy (plain HTTP only). */
        VIA_PROXY
    }

    private final String service;
    private final Balancer balancer;
    private final HttpClient delegate;
    private final boolean jdkDelegate;
    private final boolean serviceHost;
    private final boolean proxyable;
    private final Map<Endpoint, HttpClient> proxied = new ConcurrentHashMap<>();
    private volatile HttpClient tls;

    ServiceClients(Balancer balancer, HttpClient delegate, boolean serviceHost) {
        this.service = balancer.service();
        this.balancer = balancer;
        this.delegate = delegate;
        this.jdkDelegate = HttpClients.isJdkClient(delegate);
        this.serviceHost = serviceHost;
        // a proxy of the user's own (a corporate one) wins over ours: their traffic must go through it
        this.proxyable = serviceHost && jdkDelegate && delegate.proxy().isEmpty();
    }

    private static boolean hostHeaderAllowed() {
        try {
            HttpRequest.newBuilder().setHeader("Host", "lb4j.invalid");
            return true;
        } catch (IllegalArgumentException restricted) {
            return false;
        }
    }

    /** How an attempt of {@code request} is sent. A Host header the caller set (when allowed) is kept. */
    Mode mode(HttpRequest request) {
        if (!serviceHost || Requests.firstHeader(request.headers(), "Host") != null) {
            return Mode.ENDPOINT;
        }
        if (HOST_HEADER_ALLOWED && request.version().orElse(delegate.version()) == HttpClient.Version.HTTP_1_1) {
            return Mode.HOST_HEADER;
        }
        if (proxyable && "http".equalsIgnoreCase(request.uri().getScheme())) {
            return Mode.VIA_PROXY;
        }
        return Mode.ENDPOINT;
    }

    /** The client an attempt in {@code mode} to {@code uri} (the service URI) at {@code endpoint} goes out on. */
    HttpClient client(Mode mode, URI uri, Endpoint endpoint) {
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            return tls();
        }
        return mode == Mode.VIA_PROXY ? proxied(endpoint) : delegate;
    }

    /** The service's TLS client, made on the first HTTPS attempt: one per service, shared by all calls. */
    private HttpClient tls() {
        HttpClient c = tls;
        if (c == null) {
            synchronized (this) {
                c = tls;
                if (c == null) {
                    if (jdkDelegate) {
                        c = HttpClients.withServerName(delegate, service);
                    } else {
                        log.warn("'{}': delegate {} is not the JDK's HttpClient; HTTPS attempts use it as it is, without"
                                + " the service name as TLS server name (set SNI on it yourself)", service, delegate);
                        c = delegate;
                    }
                    tls = c;
                }
            }
        }
        return c;
    }

    private HttpClient proxied(Endpoint endpoint) {
        HttpClient c = proxied.get(endpoint);
        if (c != null) {
            return c;
        }
        c = proxied.computeIfAbsent(endpoint, e -> HttpClients.copyOf(delegate).proxy(new EndpointProxy(service, e)).build());
        // a new endpoint is the moment to forget those that left the list (the JDK stops a client once unreachable)
        Set<Endpoint> members = new HashSet<>(balancer.endpoints());
        proxied.keySet().removeIf(e -> !e.equals(endpoint) && !members.contains(e));
        return c;
    }

    /** Every client this service made (not the delegate), for the lifecycle calls of Java 21+. */
    void forEachOwnClient(Consumer<HttpClient> action) {
        List<HttpClient> own = new ArrayList<>(proxied.values());
        HttpClient t = tls;
        if (t != null && t != delegate) {
            own.add(t);
        }
        own.forEach(action);
    }

    /** Sends requests for the service's plain-HTTP URIs to one endpoint as their proxy; anything else directly. */
    private static final class EndpointProxy extends ProxySelector {
        private static final List<Proxy> DIRECT = List.of(Proxy.NO_PROXY);
        private final String service;
        private final Endpoint endpoint;
        /** An IP endpoint's proxy, made once (the JDK asks on every request); null for a host name. */
        private final List<Proxy> literal;

        EndpointProxy(String service, Endpoint endpoint) {
            this.service = service;
            this.endpoint = endpoint;
            this.literal = Requests.isIpLiteral(endpoint.host()) ? proxy(endpoint) : null;
        }

        private static List<Proxy> proxy(Endpoint endpoint) {
            return List.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress(endpoint.host(), endpoint.port())));
        }

        @Override
        public List<Proxy> select(URI uri) {
            if ("http".equalsIgnoreCase(uri.getScheme()) && service.equalsIgnoreCase(uri.getHost())) {
                // a host name is resolved per request, so that it follows DNS (the JVM caches lookups)
                return literal != null ? literal : proxy(endpoint);
            }
            return DIRECT;
        }

        @Override
        public void connectFailed(URI uri, SocketAddress address, IOException failure) {
            // the attempt fails and the call's retry logic decides; nothing to remember here
        }

        @Override
        public String toString() {
            return "EndpointProxy{" + service + " -> " + endpoint.authority() + "}";
        }
    }
}
