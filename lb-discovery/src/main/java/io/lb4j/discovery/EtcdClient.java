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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
     * The caller closes the stream, which may be done from any thread and ends a blocked read.
     */
    WatchStream watch(JsonNode createRequest) throws IOException, InterruptedException {
        int index = current.get();
        URI base = endpoints.get(index % endpoints.size());
        WatchStream stream = new WatchStream(base + "/v3/watch");
        // the timeout covers the wait for the response headers only, not the endless body
        CompletableFuture<HttpResponse<Void>> call = http.sendAsync(request(base, "/v3/watch", createRequest).timeout(timeout).build(),
                info -> {
                    stream.status = info.statusCode();
                    return HttpResponse.BodySubscribers.fromLineSubscriber(stream.subscriber, r -> null, StandardCharsets.UTF_8, null);
                });
        stream.call = call;
        call.whenComplete((r, e) -> stream.lines.add(e != null ? e : WatchStream.END));
        try {
            stream.awaitStatus(timeout.toNanos());
        } catch (IOException e) {
            stream.close();
            current.compareAndSet(index, (index + 1) % endpoints.size());
            throw e;
        }
        return stream;
    }

    /**
     * The lines of one watch response, each read with a timeout so that a silent connection is
     * noticed; {@link #close()} ends it from any thread.
     */
    static final class WatchStream implements AutoCloseable {
        static final Object END = new Object();

        private final String where;
        final BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
        private final CountDownLatch subscribed = new CountDownLatch(1);
        private volatile Flow.Subscription subscription;
        volatile int status;
        volatile CompletableFuture<?> call;

        final Flow.Subscriber<String> subscriber = new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                subscribed.countDown();
                s.request(1);
            }

            @Override
            public void onNext(String line) {
                lines.add(line);
            }

            @Override
            public void onError(Throwable e) {
                lines.add(e);
            }

            @Override
            public void onComplete() {
                lines.add(END);
            }
        };

        WatchStream(String where) {
            this.where = where;
        }

        /** Waits for the response headers; a status other than 200 becomes an exception with etcd's message. */
        void awaitStatus(long timeoutNanos) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeoutNanos;
            while (!subscribed.await(10, TimeUnit.MILLISECONDS)) {
                Object first = lines.peek();
                if (first instanceof Throwable t) {
                    throw new IOException(where + ": " + t, t);
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException(where + ": no response within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
                }
            }
            if (status != 200) {
                StringBuilder body = new StringBuilder();
                for (int i = 0; i < 20; i++) {
                    String line = next(timeoutNanos);
                    if (line == null) {
                        break;
                    }
                    body.append(line).append('\n');
                }
                throw new EtcdException(where, status, body.toString());
            }
        }

        /**
         * The next line, or null if none arrived within the timeout.
         *
         * @throws IOException when the stream ended or broke
         */
        String next(long timeoutNanos) throws IOException, InterruptedException {
            Object o = lines.poll(timeoutNanos, TimeUnit.NANOSECONDS);
            if (o == null) {
                return null;
            }
            if (o == END) {
                lines.add(END); // it stays ended
                throw new IOException("the watch stream ended");
            }
            if (o instanceof Throwable t) {
                lines.add(o);
                throw t instanceof IOException io ? io : new IOException(t.toString(), t);
            }
            Flow.Subscription s = subscription;
            if (s != null) {
                s.request(1);
            }
            return (String) o;
        }

        @Override
        public void close() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel(); // closes the connection
            }
            CompletableFuture<?> c = call;
            if (c != null) {
                c.cancel(true);
            }
            lines.add(END);
        }
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
