package io.lb4j.http;

import static io.lb4j.core.internal.Checks.notNull;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * Ready-made request keys for {@link LoadBalancedHttpClientBuilder#hashKey(Function)}: the value
 * a consistent-hash strategy routes by, so that requests with the same key reach the same
 * instance (sticky sessions, per-user caches). Each function returns null when the request has
 * no such value; the pick is then random (a consistent-hash strategy picks a random point of its
 * ring).
 * <pre>{@code
 * LoadBalancedHttpClient client = LoadBalancedHttpClient.builder(HttpClient.newHttpClient())
 *         .service(Balancer.builder("carts").strategy(Strategies.consistentHash()).build())
 *         .hashKey(RequestKeys.header("X-User-Id"))
 *         .build();
 * }</pre>
 * The functions are stateless and thread-safe; they never log what they read.
 */
public final class RequestKeys {

    private RequestKeys() {}

    /**
     * The first value of a request header.
     *
     * @param name the header name (case-insensitive)
     * @return a key function
     * @throws IllegalArgumentException if the name is blank
     */
    public static Function<HttpRequest, String> header(String name) {
        String n = notBlank(name, "header");
        return request -> Requests.firstHeader(request.headers(), n);
    }

    /**
     * The value of one cookie of the request's {@code Cookie} headers (RFC 6265 form
     * {@code name=value; name2=value2}), without surrounding quotes.
     *
     * @param name the cookie name (case-sensitive)
     * @return a key function
     * @throws IllegalArgumentException if the name is blank
     */
    public static Function<HttpRequest, String> cookie(String name) {
        String n = notBlank(name, "cookie");
        return request -> {
            List<String> headers = request.headers().allValues("Cookie");
            for (String header : headers) {
                for (String pair : header.split(";")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).strip().equals(n)) {
                        String v = pair.substring(eq + 1).strip();
                        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                            v = v.substring(1, v.length() - 1);
                        }
                        return v;
                    }
                }
            }
            return null;
        };
    }

    /**
     * The first value of a query parameter, percent-decoded ({@code +} as a space); a parameter
     * without {@code =} has the empty value.
     *
     * @param name the parameter name, decoded (case-sensitive)
     * @return a key function
     * @throws IllegalArgumentException if the name is blank
     */
    public static Function<HttpRequest, String> queryParameter(String name) {
        String n = notBlank(name, "queryParameter");
        return request -> {
            String query = request.uri().getRawQuery();
            if (query == null) {
                return null;
            }
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                if (key != null && key.equals(n)) {
                    return eq < 0 ? "" : decode(pair.substring(eq + 1));
                }
            }
            return null;
        };
    }

    /**
     * The request's path, as sent (raw, not decoded); {@code /} for an empty one.
     *
     * @return a key function
     */
    public static Function<HttpRequest, String> path() {
        return request -> {
            URI uri = request.uri();
            String p = uri.getRawPath();
            return p == null || p.isEmpty() ? "/" : p;
        };
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null; // a malformed escape names no parameter
        }
    }

    private static String notBlank(String name, String what) {
        notNull(name, what);
        if (name.isBlank()) {
            throw new IllegalArgumentException(what + ": '" + name + "' (expected: a name that is not blank)");
        }
        return name;
    }
}
