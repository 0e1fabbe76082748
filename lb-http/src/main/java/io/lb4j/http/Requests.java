package io.lb4j.http;

import io.lb4j.core.Endpoint;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

/** Request plumbing: service host lookup, URI rewriting, the logical authority, body replayability, Retry-After. */
final class Requests {
    private Requests() {}

    private static final BiPredicate<String, String> ALL_HEADERS = (name, value) -> true;

    /** Whether an endpoint's host (as {@code Endpoint.host()} gives it: IPv6 without brackets) is an IP literal. */
    static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The first value of header {@code name}, or null: {@code HttpHeaders.firstValue} goes through
     * a stream and an {@code Optional} (about 150 bytes), and it runs on every response.
     */
    static String firstHeader(HttpHeaders headers, String name) {
        List<String> values = headers.allValues(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /**
     * Publishers of the JDK that produce the whole body again on each subscription. Anything
     * else (fromPublisher, ofInputStream whose supplier may hand out the same stream, concat of
     * unknown parts, user classes) is assumed to be single-use.
     */
    private static final Set<String> REPLAYABLE = Set.of(
            "jdk.internal.net.http.RequestPublishers$ByteArrayPublisher",
            "jdk.internal.net.http.RequestPublishers$StringPublisher",
            "jdk.internal.net.http.RequestPublishers$EmptyPublisher",
            "jdk.internal.net.http.RequestPublishers$FilePublisher",
            "jdk.internal.net.http.RequestPublishers$IterablePublisher");

    /**
     * The logical authority of a service URI, as a {@code Host} header gives it: the host as
     * written, with {@code :port} only when the URI has a port other than its scheme's default
     * (what the JDK itself puts in {@code Host}).
     */
    static String logicalAuthority(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || port == ("https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    /** {@code uri} with its authority replaced by the endpoint's; scheme, user info, path, query, fragment kept raw. */
    static URI rewrite(URI uri, Endpoint endpoint) {
        String path = uri.getRawPath();
        String query = uri.getRawQuery();
        String fragment = uri.getRawFragment();
        String userInfo = uri.getRawUserInfo();
        StringBuilder sb = new StringBuilder(uri.getScheme().length() + 24 + (path == null ? 0 : path.length())
                + (query == null ? 0 : query.length() + 1));
        sb.append(uri.getScheme()).append("://");
        if (userInfo != null) {
            sb.append(userInfo).append('@');
        }
        sb.append(endpoint.authority());
        if (path != null) {
            sb.append(path);
        }
        if (query != null) {
            sb.append('?').append(query);
        }
        if (fragment != null) {
            sb.append('#').append(fragment);
        }
        return URI.create(sb.toString());
    }

    /**
     * A copy of {@code request} (method, headers, body publisher, version, expect-continue) to
     * {@code uri}, with {@code timeoutNanos} as its timeout when positive.
     */
    static HttpRequest attemptRequest(HttpRequest request, URI uri, long timeoutNanos) {
        return attemptRequest(request, uri, timeoutNanos, null);
    }

    /** Like {@link #attemptRequest(HttpRequest, URI, long)}, with a {@code Host} header when {@code host} is not null. */
    static HttpRequest attemptRequest(HttpRequest request, URI uri, long timeoutNanos, String host) {
        HttpRequest.Builder b = HttpRequest.newBuilder(request, ALL_HEADERS).uri(uri);
        if (timeoutNanos > 0) {
            b.timeout(Duration.ofNanos(timeoutNanos));
        }
        if (host != null) {
            b.setHeader("Host", host); // only called when the JVM allows it (ServiceClients.HOST_HEADER_ALLOWED)
        }
        return b.build();
    }

    /** Whether the body can be sent again: none, or a JDK publisher known to replay. */
    static boolean replayable(HttpRequest request) {
        return request.bodyPublisher()
                .map(p -> p.contentLength() == 0 || REPLAYABLE.contains(p.getClass().getName()))
                .orElse(true);
    }

    /**
     * The wait a {@code Retry-After} value asks for in nanoseconds: delta-seconds or an HTTP date
     * (a past date means now); -1 when absent or malformed.
     */
    static long retryAfterNanos(String value, Clock clock) {
        if (value == null) {
            return -1;
        }
        String v = value.trim();
        if (!v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return Duration.ofSeconds(Long.parseLong(v)).toNanos();
            } catch (ArithmeticException | NumberFormatException e) {
                return Long.MAX_VALUE;
            }
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Math.max(0, Duration.between(clock.instant(), at).toNanos());
        } catch (DateTimeParseException | ArithmeticException e) {
            return -1;
        }
    }
}
