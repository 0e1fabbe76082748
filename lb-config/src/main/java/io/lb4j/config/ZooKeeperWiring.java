package io.lb4j.config;

import static io.lb4j.config.ZooKeeperSettings.BASE_PATH;
import static io.lb4j.config.ZooKeeperSettings.CONNECT_STRING;
import static io.lb4j.config.ZooKeeperSettings.CONNECT_TIMEOUT;
import static io.lb4j.config.ZooKeeperSettings.SESSION_TIMEOUT;

import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointSource;
import io.lb4j.zookeeper.ZooKeeperRegistration;
import io.lb4j.zookeeper.ZooKeeperSource;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The only class of lb-config that names lb-zookeeper's types. lb-zookeeper is an optional
 * dependency: this class is loaded (and its references resolved) only once
 * {@link ZooKeeperSupport#missing()} said that lb-zookeeper and the ZooKeeper client are there,
 * so that an application without them runs every other configuration.
 */
final class ZooKeeperWiring {
    private static final String PAYLOAD_CLASS = "zookeeper.payload-class";

    private ZooKeeperWiring() {}

    /** Checks the global connect string and base path once, against the builder's rules. */
    static void checkGlobal(Values global, ZooKeeperSettings zk) {
        ZooKeeperSource.Builder b = ZooKeeperSource.builder("lb4j-config-check");
        if (zk.ownConnectString) {
            global.apply(CONNECT_STRING, zk.connectString, b::connectString);
        }
        if (zk.ownBasePath) {
            global.apply(BASE_PATH, zk.basePath, b::basePath);
        }
    }

    /** Applies a service's settings to a real builder, whose rules decide; a rejection names its key. */
    static void checkSource(String service, Values v, ZooKeeperSettings zk, Integer minHosts) {
        ZooKeeperSource.Builder b;
        try {
            b = ZooKeeperSource.builder(service);
        } catch (IllegalArgumentException e) {
            v.problem("discovery", "service '" + service + "' cannot be watched in ZooKeeper: " + e.getMessage());
            return;
        }
        check(v, zk, b::connectString, b::basePath, b::sessionTimeout, b::connectTimeout);
        v.apply("min-hosts", minHosts, b::minHosts);
    }

    /** A new, unstarted source. */
    static EndpointSource newSource(String service, ZooKeeperSettings zk, Boolean sslPort, Integer minHosts) {
        ZooKeeperSource.Builder b = ZooKeeperSource.builder(service);
        set(zk, b::connectString, b::basePath, b::sessionTimeout, b::connectTimeout);
        if (sslPort != null) {
            b.sslPort(sslPort);
        }
        if (minHosts != null) {
            b.minHosts(minHosts);
        }
        return b.build();
    }

    /** Applies the registration's settings to a real builder; a rejection names its key. */
    static void checkRegistration(Values v, String service, Endpoint endpoint, ZooKeeperSettings zk, String id, String payloadClass,
                                  Duration drainPeriod) {
        ZooKeeperRegistration.Builder b;
        try {
            b = ZooKeeperRegistration.builder(service, endpoint);
        } catch (IllegalArgumentException e) {
            v.problem("service", e.getMessage());
            return;
        }
        check(v, zk, b::connectString, b::basePath, b::sessionTimeout, b::connectTimeout);
        v.apply("id", id, b::id);
        v.apply(PAYLOAD_CLASS, payloadClass, b::payloadClass);
        v.apply("drain-period", drainPeriod, b::drainPeriod);
    }

    /** Starts registering {@code endpoint}, in the background. */
    static InstanceRegistration register(String service, Endpoint endpoint, ZooKeeperSettings zk, String id, String payloadClass,
                                         Duration drainPeriod) {
        ZooKeeperRegistration.Builder b = ZooKeeperRegistration.builder(service, endpoint);
        set(zk, b::connectString, b::basePath, b::sessionTimeout, b::connectTimeout);
        if (id != null) {
            b.id(id);
        }
        if (payloadClass != null) {
            b.payloadClass(payloadClass);
        }
        if (drainPeriod != null) {
            b.drainPeriod(drainPeriod);
        }
        ZooKeeperRegistration r = b.register();
        return new Registered(RegistrationConfig.Registry.ZOOKEEPER, r.path(), r.endpoint(), r, r::isRegistered, r.whenRegistered(), r::close);
    }

    /** The connect string and base path only when given in this scope: the global ones were checked once, under their own keys. */
    private static void check(Values v, ZooKeeperSettings zk, Consumer<String> connectString, Consumer<String> basePath,
                              Consumer<Duration> sessionTimeout, Consumer<Duration> connectTimeout) {
        if (zk.ownConnectString) {
            v.apply(CONNECT_STRING, zk.connectString, connectString);
        }
        if (zk.ownBasePath) {
            v.apply(BASE_PATH, zk.basePath, basePath);
        }
        v.apply(SESSION_TIMEOUT, zk.sessionTimeout, sessionTimeout);
        v.apply(CONNECT_TIMEOUT, zk.connectTimeout, connectTimeout);
    }

    private static void set(ZooKeeperSettings zk, Consumer<String> connectString, Consumer<String> basePath,
                            Consumer<Duration> sessionTimeout, Consumer<Duration> connectTimeout) {
        if (zk.connectString != null) {
            connectString.accept(zk.connectString);
        }
        if (zk.basePath != null) {
            basePath.accept(zk.basePath);
        }
        if (zk.sessionTimeout != null) {
            sessionTimeout.accept(zk.sessionTimeout);
        }
        if (zk.connectTimeout != null) {
            connectTimeout.accept(zk.connectTimeout);
        }
    }
}
