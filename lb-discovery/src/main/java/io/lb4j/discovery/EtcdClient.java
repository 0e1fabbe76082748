package io.lb4j.discovery;

import io.lb4j.core.internal.DaemonThreads;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The few calls of etcd's v3 JSON gateway that discovery needs, over {@code java.net.http},
 * with failover between members: a call that cannot reach one member (or gets a 5xx) goes to the
 * next, and the member that answered is tried first next time. Thread-safe.
 */
final class EtcdClient implements AutoCloseable {
    static final String DEFAULT_ENDPOINT = "http://127.0.0.1:2379";

    private final List<URI> endpoints;
    private final Duration timeout;
    private final ExecutorService executor;
    private final HttpClient http;
    private final AtomicInteger current = new AtomicInteger();

    EtcdClient(List<URI> endpoints, Duration timeout, String threadName) {
        this.endpoints = List.copyOf(endpoints);
        this.timeout = timeout;
        // our own executor: HttpClient's default one would start threads we cannot name or stop
        this.executor = Executors.newCachedThreadPool(DaemonThreads.factory(threadName));
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // the gateway speaks plain HTTP/1.1; no h2c upgrade
                .connectTimeout(timeout)
                .executor(executor)
                .build();
    }

    /**
     * Checks etcd client URLs: {@code http(s)://host:port}, no path.
     *
     * @throws IllegalArgumentException naming the URL and the rule
     */
    static List<URI> parseEndpoints(String... urls) {
        if (urls == null || urls.length == 0) {
            throw new IllegalArgumentException("endpoints: [] (expected: at least one etcd URL like " + DEFAULT_ENDPOINT + ")");
        }
        List<URI> result = new ArrayList<>();
        for (String url : urls) {
            if (url == null) {
                throw new NullPointerException("endpoints: " + Arrays.toString(urls) + " (expected: no null)");
            }
            URI u;
            try {
                u = new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            } catch (java.net.URISyntaxException e) {
                throw badEndpoint(url, e);
            }
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null || u.getPort() < 0
                    || (u.getRawPath() != null && !u.getRawPath().isEmpty()) || u.getRawQuery() != null) {
                throw badEndpoint(url, null);
            }
            result.add(u);
        }
        return List.copyOf(result);
    }

    private static IllegalArgumentException badEndpoint(String url, Throwable cause) {
        return new IllegalArgumentException("endpoint: '" + url + "' (expected: http(s)://host:port without a path, like "
                + DEFAULT_ENDPOINT + ")", cause);
    }

    List<URI> endpoints() {
        return endpoints;
    }

    /**
     * A unary call; returns the JSON answer of the first member that gives one.
     *
     * @throws EtcdException for a 4xx answer (not worth asking another member)
     * @throws IOException when no member could answer
     */
    JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
        IOException last = null;
        int start = current.get();
        for (int i = 0; i < endpoints.size(); i++) {
            int index = (start + i) % endpoints.size();
            URI base = endpoints.get(index);
            HttpResponse<String> r;
            try {
                r = http.send(request(base, path, body).timeout(timeout).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                last = new IOException(base + path + ": " + e, e);
                continue;
            }
            if (r.statusCode() == 200) {
                current.compareAndSet(start, index);
                return EndpointJson.MAPPER.readTree(r.body());
            }
            EtcdException e = new EtcdException(base + path, r.statusCode(), r.body());
            if (r.statusCode() < 500) {
                throw e;
            }
            last = e;
        }
        throw last;
    }

    /**
     * Opens a watch stream on the member tried first; on failure the next call goes to the next member.
     * The caller closes the stream; interrupting its reader ends a blocked read.
     */
    Stream<String> watch(JsonNode createRequest) throws IOException, InterruptedException {
        int index = current.get();
        URI base = endpoints.get(index % endpoints.size());
        HttpResponse<Stream<String>> r;
        try {
            // the timeout covers the wait for the response headers only, not the endless body
            r = http.send(request(base, "/v3/watch", createRequest).timeout(timeout).build(), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            current.compareAndSet(index, (index + 1) % endpoints.size());
            throw new IOException(base + "/v3/watch: " + e, e);
        }
        if (r.statusCode() != 200) {
            String body;
            try (Stream<String> lines = r.body()) {
                body = String.join("\n", lines.limit(20).toList());
            }
            current.compareAndSet(index, (index + 1) % endpoints.size());
            throw new EtcdException(base + "/v3/watch", r.statusCode(), body);
        }
        return r.body();
    }

    private static HttpRequest.Builder request(URI base, String path, JsonNode body) {
        return HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(EndpointJson.toJson(body)));
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    // ---- the gateway's encoding: bytes as base64, int64 as strings

    static String b64(String s) {
        return b64(s.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static byte[] unb64(JsonNode n) {
        return n == null || n.isNull() ? new byte[0] : Base64.getDecoder().decode(n.asText());
    }

    /** The smallest key after every key that starts with {@code prefix}: its last byte incremented. */
    static String rangeEnd(String prefix) {
        byte[] b = prefix.getBytes(StandardCharsets.UTF_8);
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] != (byte) 0xff) {
                byte[] end = Arrays.copyOf(b, i + 1);
                end[i]++;
                return b64(end);
            }
        }
        return b64(new byte[] {0}); // a prefix of 0xff bytes: everything from it on
    }

    static ObjectNode prefixRange(String prefix) {
        ObjectNode n = EndpointJson.MAPPER.createObjectNode();
        n.put("key", b64(prefix));
        n.put("range_end", rangeEnd(prefix));
        return n;
    }

    /** A non-2xx answer from the gateway, with etcd's message. */
    static final class EtcdException extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        EtcdException(String where, int status, String body) {
            super(where + ": HTTP " + status + ": " + message(body));
            this.status = status;
        }

        private static String message(String body) {
            try {
                JsonNode n = EndpointJson.MAPPER.readTree(body);
                if (n.hasNonNull("message")) {
                    return n.get("message").asText();
                }
            } catch (IOException | RuntimeException e) {
                // not JSON: show the start of it
            }
            return body.length() > 200 ? body.substring(0, 200) + "..." : body;
        }
    }
}
