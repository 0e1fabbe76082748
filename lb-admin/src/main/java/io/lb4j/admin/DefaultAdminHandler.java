package io.lb4j.admin;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.lb4j.core.Balancer;
import io.lb4j.core.BalancerView;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link AdminHandler}: views taken per request, the page's template read once. */
final class DefaultAdminHandler implements AdminHandler {
    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);
    private static final String JSON = "application/json; charset=utf-8";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String UI = "/ui";

    private final Map<String, Balancer> balancers = new TreeMap<>(); // guarded by itself
    private final long refreshMillis;
    private final String template;
    private final SecureRandom random = new SecureRandom();

    DefaultAdminHandler(AdminHandlerBuilder b) {
        this.refreshMillis = b.refreshInterval.toMillis();
        this.template = readTemplate();
        for (Balancer balancer : b.balancers) {
            register(balancer);
        }
    }

    private static String readTemplate() {
        try (InputStream in = DefaultAdminHandler.class.getResourceAsStream("ui.html")) {
            if (in == null) {
                throw new IllegalStateException("io/lb4j/admin/ui.html is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void register(Balancer balancer) {
        Objects.requireNonNull(balancer, "balancer");
        synchronized (balancers) {
            balancers.put(balancer.service(), balancer);
        }
    }

    @Override
    public void unregister(Balancer balancer) {
        if (balancer == null) {
            return;
        }
        synchronized (balancers) {
            balancers.remove(balancer.service(), balancer);
        }
    }

    @Override
    public List<Balancer> balancers() {
        List<Balancer> open = new ArrayList<>();
        for (Map.Entry<Balancer, BalancerView> e : views().entrySet()) {
            open.add(e.getKey());
        }
        return open;
    }

    /** A view of each registered balancer, by service name; closed balancers are dropped. */
    private Map<Balancer, BalancerView> views() {
        List<Balancer> all;
        synchronized (balancers) {
            all = new ArrayList<>(balancers.values());
        }
        Map<Balancer, BalancerView> views = new LinkedHashMap<>();
        for (Balancer b : all) {
            BalancerView v = b.view();
            if (v.closed()) {
                unregister(b);
            } else {
                views.put(b, v);
            }
        }
        return views;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod();
            boolean head = method.equals("HEAD");
            if (!head && !method.equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                error(exchange, 405, "method " + method + " not allowed (expected: GET or HEAD)", false);
                return;
            }
            String rest = pathUnderContext(exchange);
            if (rest.isEmpty() || rest.equals("/")) {
                List<BalancerView> views = new ArrayList<>(views().values());
                send(exchange, 200, JSON, AdminJson.bytes(Map.of("balancers", views)), head);
            } else if (rest.equals(UI) || rest.equals(UI + "/")) {
                page(exchange, head);
            } else {
                String service = rest.substring(1);
                if (service.endsWith("/")) {
                    service = service.substring(0, service.length() - 1);
                }
                if (service.contains("/")) {
                    error(exchange, 404, "no such path: " + exchange.getRequestURI().getPath(), head);
                    return;
                }
                Balancer b;
                synchronized (balancers) {
                    b = balancers.get(service);
                }
                BalancerView v = b == null ? null : b.view();
                if (v != null && v.closed()) {
                    unregister(b);
                    v = null;
                }
                if (v != null) {
                    send(exchange, 200, JSON, AdminJson.bytes(v), head);
                    return;
                }
                String known;
                synchronized (balancers) {
                    known = balancers.isEmpty() ? "none" : String.join(", ", balancers.keySet());
                }
                error(exchange, 404, "no balancer '" + service + "' (known: " + known + ")", head);
            }
        } catch (RuntimeException e) {
            log.warn("lb4j admin: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
            error(exchange, 500, "internal error: " + e.getClass().getSimpleName(), false);
        } finally {
            exchange.close();
        }
    }

    /** The decoded path below the handler's context ("" for the context itself). */
    private static String pathUnderContext(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        String context = exchange.getHttpContext().getPath();
        String rest = path.startsWith(context) ? path.substring(context.length()) : path;
        if (!rest.isEmpty() && !rest.startsWith("/")) {
            rest = "/" + rest; // a context path ending in '/'
        }
        return rest;
    }

    private void page(HttpExchange exchange, boolean head) throws IOException {
        byte[] n = new byte[18];
        random.nextBytes(n);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(n);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("base", exchange.getHttpContext().getPath());
        config.put("refreshMillis", refreshMillis);
        // JSON is valid JavaScript; '<' escaped so that no value can close the script element
        String json = new String(AdminJson.bytes(config), StandardCharsets.UTF_8).replace("<", "\\u003c");
        String html = template.replace("__LB4J_NONCE__", nonce).replace("__LB4J_CONFIG__", json);
        Headers h = exchange.getResponseHeaders();
        h.set("Content-Security-Policy", "default-src 'none'; script-src 'nonce-" + nonce + "'; style-src 'nonce-" + nonce
                + "'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        send(exchange, 200, HTML, html.getBytes(StandardCharsets.UTF_8), head);
    }

    private static void error(HttpExchange exchange, int status, String message, boolean head) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("status", status);
        send(exchange, status, JSON, AdminJson.bytes(body), head);
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body, boolean head) throws IOException {
        Headers h = exchange.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        if (head) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
