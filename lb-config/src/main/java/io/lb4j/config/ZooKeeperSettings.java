package io.lb4j.config;

import java.time.Duration;

/**
 * The ZooKeeper keys that a service's discovery and the registration share ({@code zookeeper.*}),
 * with the global {@code lb4j.zookeeper.connect-string} and {@code lb4j.zookeeper.base-path} as
 * fallbacks. Plain values: no ZooKeeper type, so that reading them needs no lb-zookeeper.
 */
final class ZooKeeperSettings {
    static final String CONNECT_STRING = "zookeeper.connect-string";
    static final String BASE_PATH = "zookeeper.base-path";
    static final String SESSION_TIMEOUT = "zookeeper.session-timeout";
    static final String CONNECT_TIMEOUT = "zookeeper.connect-timeout";

    /** Null: the builder's default. */
    final String connectString;
    final String basePath;
    final Duration sessionTimeout;
    final Duration connectTimeout;
    /** Whether connectString and basePath were given in this scope (else they are the global ones, checked once). */
    final boolean ownConnectString;
    final boolean ownBasePath;

    private ZooKeeperSettings(String connectString, String basePath, Duration sessionTimeout, Duration connectTimeout,
                              boolean ownConnectString, boolean ownBasePath) {
        this.connectString = connectString;
        this.basePath = basePath;
        this.sessionTimeout = sessionTimeout;
        this.connectTimeout = connectTimeout;
        this.ownConnectString = ownConnectString;
        this.ownBasePath = ownBasePath;
    }

    /** The global keys: the connect string and base path every scope falls back on. */
    static ZooKeeperSettings global(Values g) {
        return new ZooKeeperSettings(g.string(CONNECT_STRING), g.string(BASE_PATH), null, null, g.has(CONNECT_STRING), g.has(BASE_PATH));
    }

    /** The keys of a service or of the registration, falling back on {@code global}'s. */
    static ZooKeeperSettings read(Values v, ZooKeeperSettings global) {
        boolean cs = v.has(CONNECT_STRING);
        boolean bp = v.has(BASE_PATH);
        return new ZooKeeperSettings(cs ? v.string(CONNECT_STRING) : global.connectString, bp ? v.string(BASE_PATH) : global.basePath,
                v.duration(SESSION_TIMEOUT), v.duration(CONNECT_TIMEOUT), cs, bp);
    }

    boolean any() {
        return ownConnectString || ownBasePath;
    }

    @Override
    public String toString() {
        return "connectString=" + (connectString != null ? connectString : "default") + (basePath != null ? ", basePath=" + basePath : "");
    }
}
