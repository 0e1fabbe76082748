package io.lb4j.zookeeper;

import static io.lb4j.core.internal.Checks.notNull;
import static io.lb4j.core.internal.Checks.notSetYet;
import static io.lb4j.core.internal.Checks.positive;

import java.time.Duration;
import java.util.regex.Pattern;

/** The options {@link ZooKeeperSource.Builder} and {@link ZooKeeperRegistration.Builder} share, validated once. */
final class ZooKeeperOptions {
    static final String DEFAULT_CONNECT_STRING = "127.0.0.1:2181";
    static final String DEFAULT_BASE_PATH = "/services";
    static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(15);

    // host:port[,host:port...][/chroot]; hosts as names, IPv4 or [IPv6]
    private static final Pattern CONNECT = Pattern.compile(
            "(?:[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+\\])(?::\\d{1,5})?(?:,(?:[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+\\])(?::\\d{1,5})?)*(?:/[^/\\s]+(?:/[^/\\s]+)*)?");

    final String service;
    private String connectString;
    private String basePath;
    private Duration sessionTimeout;
    private Duration connectTimeout;

    ZooKeeperOptions(String service) {
        notNull(service, "service");
        if (service.isBlank() || service.indexOf('/') >= 0) {
            throw new IllegalArgumentException("service: '" + service + "' (expected: not blank, no '/')");
        }
        this.service = service;
    }

    void connectString(String connectString) {
        notSetYet(this.connectString, "connectString");
        notNull(connectString, "connectString");
        if (!CONNECT.matcher(connectString).matches()) {
            throw new IllegalArgumentException("connectString: '" + connectString
                    + "' (expected: host:port[,host:port...][/chroot], like zk1:2181,zk2:2181,zk3:2181)");
        }
        this.connectString = connectString;
    }

    void basePath(String path) {
        notSetYet(this.basePath, "basePath");
        notNull(path, "basePath");
        if (!path.startsWith("/") || path.endsWith("/") || path.contains("//") || path.length() < 2) {
            throw new IllegalArgumentException("basePath: '" + path + "' (expected: an absolute znode path without a trailing '/', like /services)");
        }
        this.basePath = path;
    }

    void sessionTimeout(Duration timeout) {
        notSetYet(sessionTimeout, "sessionTimeout");
        positive(timeout, "sessionTimeout");
        if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("sessionTimeout: " + timeout + " (expected: 1 ms to 10 min; the server clamps it to its own bounds)");
        }
        this.sessionTimeout = timeout;
    }

    void connectTimeout(Duration timeout) {
        notSetYet(connectTimeout, "connectTimeout");
        this.connectTimeout = positive(timeout, "connectTimeout");
    }

    String connectStringOrDefault() {
        return connectString != null ? connectString : DEFAULT_CONNECT_STRING;
    }

    String servicePath() {
        return (basePath != null ? basePath : DEFAULT_BASE_PATH) + "/" + service;
    }

    Duration sessionTimeoutOrDefault() {
        return sessionTimeout != null ? sessionTimeout : DEFAULT_SESSION_TIMEOUT;
    }

    Duration connectTimeoutOrDefault() {
        return connectTimeout != null ? connectTimeout : DEFAULT_CONNECT_TIMEOUT;
    }
}
