package io.lb4j.admin;

import com.sun.net.httpserver.HttpHandler;
import io.lb4j.core.Balancer;
import java.util.List;

/**
 * An {@link HttpHandler} for the JDK's {@code com.sun.net.httpserver} that shows the balancers
 * registered with it: mounted at {@code /lb4j} it serves
 * <ul>
 *   <li>{@code GET /lb4j}: every balancer's view as JSON, {@code {"balancers": [...]}}, by service name;</li>
 *   <li>{@code GET /lb4j/{service}}: one balancer's view, or 404 with {@code {"error": ..., "status": 404}};</li>
 *   <li>{@code GET /lb4j/ui}: one self-contained HTML page (inline CSS, JavaScript and SVG; it
 *       loads nothing from elsewhere, which its Content-Security-Policy enforces) that polls the
 *       JSON and shows each service's endpoints with state, reasons, share of recent picks,
 *       in-flight and latency, updating live.</li>
 * </ul>
 * The schema of the JSON is in docs/admin.md ({@link AdminJson} writes it). The handler works
 * under any context path: the page polls the path it was served under. Only GET and HEAD are
 * answered (405 otherwise). A closed balancer is dropped from the listing; registering a balancer
 * of a service already registered replaces it (a rebuilt balancer).
 *
 * <p>The page and the JSON show endpoint addresses, metadata and failure reasons: mount the
 * handler on a server only operators can reach (it has no authentication of its own; wrap it or
 * add an {@code Authenticator} to its context).
 *
 * <p>Thread-safe.
 * <pre>{@code
 * HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 9090), 0);
 * server.createContext("/lb4j", AdminHandler.of(users, orders));
 * server.start();   // then open http://127.0.0.1:9090/lb4j/ui
 * }</pre>
 */
public interface AdminHandler extends HttpHandler {

    /**
     * A handler showing {@code balancers}, with the defaults of {@link AdminHandlerBuilder}.
     *
     * @param balancers the balancers to show
     * @return a new handler
     * @throws NullPointerException if an argument is null
     */
    static AdminHandler of(Balancer... balancers) {
        return builder().balancers(List.of(balancers)).build();
    }

    /**
     * A builder of a handler.
     *
     * @return a new builder
     */
    static AdminHandlerBuilder builder() {
        return new AdminHandlerBuilder();
    }

    /**
     * Shows a balancer too; a registered balancer of the same service is replaced.
     *
     * @param balancer the balancer
     * @throws NullPointerException if the balancer is null
     */
    void register(Balancer balancer);

    /**
     * Stops showing a balancer; no-op if it is not registered.
     *
     * @param balancer the balancer
     */
    void unregister(Balancer balancer);

    /**
     * The balancers shown, by service name; closed ones are dropped.
     *
     * @return a copy, sorted by service name
     */
    List<Balancer> balancers();
}
