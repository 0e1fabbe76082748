package io.lb4j.config;

import io.lb4j.core.Endpoint;
import io.lb4j.discovery.EtcdRegistration;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The application's own registration (keys {@code lb4j.registration.*}), so that other clients
 * discover it: the registry (etcd, or ZooKeeper in Apache Curator's layout, which Curator and
 * Spring Cloud Zookeeper clients read too), the service it registers under, its address and
 * metadata, and the registry's settings. ZooKeeper needs the optional module
 * {@code io.lb4j:lb-zookeeper}: without it, {@code registry=zookeeper} is a configuration
 * problem naming that artifact.
 *
 * <p>Immutable and thread-safe.
 */
public final class RegistrationConfig {

    /** The metadata key under which {@code health-path} is published. */
    public static final String HEALTH_PATH_METADATA = "health-path";

    /** Where the application registers. */
    public enum Registry {
        /** etcd v3: lb-discovery's {@code EtcdRegistration}, a key with a lease. */
        ETCD,
        /** ZooKeeper: lb-zookeeper's {@code ZooKeeperRegistration}, an ephemeral znode in Curator's layout. */
        ZOOKEEPER;

        /**
         * The name used in configuration.
         *
         * @return e.g. {@code zookeeper}
         */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Registry registry;
    private final String service;
    private final String host;
    private final Integer port;
    private final String id;
    private final Duration ttl;
    private final Integer weight;
    private final String zone;
    private final Map<String, String> metadata;
    private final List<String> etcdEndpoints;
    private final String etcdPrefix;
    private final Duration requestTimeout;
    private final Duration drainPeriod;
    private final ZooKeeperSettings zookeeper;
    private final String payloadClass;

    private RegistrationConfig(Registry registry, Values v, List<String> defaultEtcd, ZooKeeperSettings defaultZooKeeper) {
        this.registry = registry;
        this.service = v.string("service");
        this.host = v.string("host");
        this.port = v.integer("port");
        this.id = v.string("id");
        this.ttl = v.duration("ttl");
        this.weight = v.integer("weight");
        this.zone = v.string("zone");
        Map<String, String> m = new LinkedHashMap<>(v.map("metadata"));
        String healthPath = v.string("health-path");
        if (healthPath != null) {
            m.put(HEALTH_PATH_METADATA, healthPath);
        }
        this.metadata = java.util.Collections.unmodifiableMap(m);
        List<String> etcd = v.list("etcd.endpoints");
        this.etcdEndpoints = registry == Registry.ETCD ? (etcd != null ? etcd : defaultEtcd) : null;
        this.etcdPrefix = v.string("etcd.prefix");
        this.requestTimeout = v.duration("etcd.request-timeout");
        this.drainPeriod = v.duration("drain-period");
        this.zookeeper = registry == Registry.ZOOKEEPER ? ZooKeeperSettings.read(v, defaultZooKeeper) : null;
        this.payloadClass = v.string("zookeeper.payload-class");
    }

    /** Reads the registration keys: null when registration is off or a problem was found. */
    static RegistrationConfig read(Values v, Lb4jConfig.Shared shared) {
        Boolean enabled = v.bool("enabled");
        if (!Boolean.TRUE.equals(enabled)) {
            v.rejectGroup("", "enabled", "only with lb4j.registration.enabled=true");
            return null;
        }
        int before = v.problems.size();
        Registry registry = Registry.ETCD;
        String given = v.string("registry");
        if (given != null) {
            try {
                registry = Registry.valueOf(given.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                v.problem("registry", "expected one of: etcd, zookeeper");
                return null;
            }
        }
        v.onlyWith("etcd", registry == Registry.ETCD, "registry=etcd");
        v.onlyWith("ttl", registry == Registry.ETCD, "registry=etcd");
        v.onlyWith("zookeeper", registry == Registry.ZOOKEEPER, "registry=zookeeper");
        String missing = registry == Registry.ZOOKEEPER ? ZooKeeperSupport.missing() : null;
        if (missing != null) {
            v.problem("registry", missing);
        }
        RegistrationConfig r = new RegistrationConfig(registry, v, shared.etcdEndpoints, shared.zookeeper);
        if (r.service == null && !v.has("service")) {
            v.problem("service", "required with lb4j.registration.enabled=true");
        }
        if (v.problems.size() != before) {
            return null;
        }
        Endpoint.Builder eb;
        try {
            eb = Endpoint.builder(r.host != null ? r.host : "127.0.0.1", r.port != null ? r.port : 1);
        } catch (IllegalArgumentException e) {
            v.problem(e.getMessage().startsWith("port") ? "port" : "host", e.getMessage());
            return null;
        }
        v.apply("weight", r.weight, eb::weight);
        v.apply("zone", r.zone, eb::zone);
        if (registry == Registry.ZOOKEEPER) {
            ZooKeeperWiring.checkRegistration(v, r.service, eb.build(), r.zookeeper, r.id, r.payloadClass, r.drainPeriod);
            return v.problems.size() == before ? r : null;
        }
        EtcdRegistration.Builder b;
        try {
            b = EtcdRegistration.builder(r.service, eb.build());
        } catch (IllegalArgumentException e) {
            v.problem("service", e.getMessage());
            return null;
        }
        if (r.etcdEndpoints != null) {
            v.apply("etcd.endpoints", r.etcdEndpoints, l -> b.endpoints(l.toArray(new String[0])));
        }
        v.apply("etcd.prefix", r.etcdPrefix, b::prefix);
        v.apply("etcd.request-timeout", r.requestTimeout, b::requestTimeout);
        v.apply("id", r.id, b::id);
        v.apply("ttl", r.ttl, b::ttl);
        v.apply("drain-period", r.drainPeriod, b::drainPeriod);
        return v.problems.size() == before ? r : null;
    }

    /**
     * Where the application registers ({@code lb4j.registration.registry}).
     *
     * @return the registry, {@link Registry#ETCD} by default
     */
    public Registry registry() {
        return registry;
    }

    /**
     * The service the application registers under.
     *
     * @return the name
     */
    public String service() {
        return service;
    }

    /**
     * The configured host.
     *
     * @return the host, empty for the local host's address
     */
    public Optional<String> host() {
        return Optional.ofNullable(host);
    }

    /**
     * The configured port.
     *
     * @return the port, empty when the application gives it at run time (the web server's port)
     */
    public OptionalInt port() {
        return port != null ? OptionalInt.of(port) : OptionalInt.empty();
    }

    /**
     * The metadata published with the instance, {@code health-path} included.
     *
     * @return an unmodifiable map
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * The lease's time to live.
     *
     * @return the TTL, empty for the registration's default (10 s)
     */
    public Optional<Duration> ttl() {
        return Optional.ofNullable(ttl);
    }

    /**
     * How long closing keeps the instance registered as draining before removing it.
     *
     * @return the period, empty for the registration's default (3 s)
     */
    public Optional<Duration> drainPeriod() {
        return Optional.ofNullable(drainPeriod);
    }

    /**
     * Starts registering the instance on {@code port} (or the configured port, which wins), in
     * the configured registry.
     *
     * @param runtimePort the port the application listens on, used when none is configured; 0 for none
     * @return the registration, registering in the background
     * @throws IllegalStateException if no port is configured and {@code runtimePort} is 0
     * @throws IllegalArgumentException if the port is not 1-65535
     */
    public InstanceRegistration register(int runtimePort) {
        int p = port != null ? port : runtimePort;
        if (p == 0) {
            throw new IllegalStateException("lb4j.registration.port: not set (expected: the port the application listens on)");
        }
        Endpoint.Builder eb = Endpoint.builder(host != null ? host : localAddress(), p).metadata(metadata);
        if (weight != null) {
            eb.weight(weight);
        }
        if (zone != null) {
            eb.zone(zone);
        }
        if (registry == Registry.ZOOKEEPER) {
            return ZooKeeperWiring.register(service, eb.build(), zookeeper, id, payloadClass, drainPeriod);
        }
        EtcdRegistration.Builder b = EtcdRegistration.builder(service, eb.build());
        if (etcdEndpoints != null) {
            b.endpoints(etcdEndpoints.toArray(new String[0]));
        }
        if (etcdPrefix != null) {
            b.prefix(etcdPrefix);
        }
        if (requestTimeout != null) {
            b.requestTimeout(requestTimeout);
        }
        if (id != null) {
            b.id(id);
        }
        if (ttl != null) {
            b.ttl(ttl);
        }
        if (drainPeriod != null) {
            b.drainPeriod(drainPeriod);
        }
        EtcdRegistration r = b.register();
        return new Registered(Registry.ETCD, r.key(), r.endpoint(), r, r::isRegistered, r.whenRegistered(), r::close);
    }

    private static String localAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("lb4j.registration.host: not set and the local host's address is unknown (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public String toString() {
        boolean etcd = registry == Registry.ETCD;
        return "RegistrationConfig{" + (etcd ? "" : "registry=" + registry.configName() + ", ") + "service=" + service
                + ", host=" + (host != null ? host : "local") + ", port=" + (port != null ? port : "runtime") + (id != null ? ", id=" + id : "")
                + (etcd ? ", ttl=" + (ttl != null ? ttl : "default") : "") + (drainPeriod != null ? ", drainPeriod=" + drainPeriod : "")
                + ", metadata=" + metadata + (etcd ? ", etcd=" + (etcdEndpoints != null ? etcdEndpoints : "default")
                : ", zookeeper{" + zookeeper + (payloadClass != null ? ", payloadClass=" + payloadClass : "") + "}") + "}";
    }
}
