package io.lb4j.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One documented configuration key: its name below its scope ({@code lb4j.}, {@code lb4j.registration.}
 * or {@code lb4j.services.<name>.}), the kind of value, the default and what it does.
 *
 * <p>Immutable and thread-safe. The catalogue, {@link #all()}, is what {@link Lb4jConfig} accepts,
 * what docs/configuration.md documents and what the Spring Boot starter's metadata describes.
 */
public final class Key {

    /** The scope a key lives in. */
    public enum Scope {
        /** Directly under {@code lb4j.}. */
        GLOBAL("lb4j."),
        /** Under {@code lb4j.registration.}: the application's own registration. */
        REGISTRATION("lb4j.registration."),
        /** Under {@code lb4j.services.<name>.}: one downstream service. */
        SERVICE("lb4j.services.<name>.");

        private final String prefix;

        Scope(String prefix) {
            this.prefix = prefix;
        }

        /**
         * The prefix of the keys of this scope, {@code <name>} standing for a service name.
         *
         * @return e.g. {@code lb4j.services.<name>.}
         */
        public String prefix() {
            return prefix;
        }
    }

    /** The kind of value a key takes, and so how its text is read. */
    public enum Type {
        /** Text, trimmed; not empty. */
        STRING("text"),
        /** A decimal integer. */
        INTEGER("an integer"),
        /** A decimal number. */
        DECIMAL("a number"),
        /** {@code true} or {@code false}. */
        BOOLEAN("true or false"),
        /** A duration with a unit ({@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d}) or ISO-8601 ({@code PT5S}). */
        DURATION("a duration with a unit, like 500ms, 5s, 2m or PT5S"),
        /** Comma-separated text, or an indexed list ({@code key[0]}, {@code key[1]}, ...). */
        LIST("a comma-separated list"),
        /** A map of text: {@code key.<entry>=value}. */
        MAP("entries key.<entry>=value");

        private final String expected;

        Type(String expected) {
            this.expected = expected;
        }

        /**
         * What a value of this type looks like, for error messages.
         *
         * @return e.g. {@code an integer}
         */
        public String expected() {
            return expected;
        }
    }

    private final Scope scope;
    private final String name;
    private final Type type;
    private final String defaultValue;
    private final String description;

    private Key(Scope scope, String name, Type type, String defaultValue, String description) {
        this.scope = scope;
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /**
     * The scope of the key.
     *
     * @return the scope
     */
    public Scope scope() {
        return scope;
    }

    /**
     * The name below the scope, in kebab case, e.g. {@code retry.max-attempts}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The full key, e.g. {@code lb4j.services.<name>.retry.max-attempts}.
     *
     * @return the scope's prefix followed by the name
     */
    public String fullName() {
        return scope.prefix() + name;
    }

    /**
     * The kind of value.
     *
     * @return the type
     */
    public Type type() {
        return type;
    }

    /**
     * The default, in words (a value, or what happens without the key).
     *
     * @return the default; empty when the key is required or has none
     */
    public String defaultValue() {
        return defaultValue;
    }

    /**
     * What the key does, one sentence.
     *
     * @return the description
     */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return fullName();
    }

    /**
     * Every documented key, in documentation order.
     *
     * @return an unmodifiable list
     */
    public static List<Key> all() {
        return ALL;
    }

    /**
     * The keys of one scope, by {@linkplain #relaxed relaxed} name.
     *
     * @param scope the scope
     * @return an unmodifiable map
     */
    static Map<String, Key> byRelaxedName(Scope scope) {
        return scope == Scope.GLOBAL ? GLOBAL_KEYS : scope == Scope.REGISTRATION ? REGISTRATION_KEYS : SERVICE_KEYS;
    }

    /** {@code Max_Attempts}, {@code maxAttempts} and {@code max-attempts} are the same name, as Spring's relaxed binding has it. */
    static String relaxed(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '-' && c != '_') {
                sb.append(Character.toLowerCase(c));
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    private static final List<Key> ALL;
    private static final Map<String, Key> GLOBAL_KEYS;
    private static final Map<String, Key> REGISTRATION_KEYS;
    private static final Map<String, Key> SERVICE_KEYS;

    static {
        KeyList k = new KeyList();
        Scope g = Scope.GLOBAL;
        k.add(g, "enabled", Type.BOOLEAN, "true", "Whether lb4j is configured at all (the Spring Boot starter backs off when false).");
        k.add(g, "metrics.enabled", Type.BOOLEAN, "true", "Whether meters are bound to the MeterRegistry the application hands over.");
        k.add(g, "metrics.per-endpoint-meters", Type.INTEGER, "0 (off)", "For every service: per-endpoint meters for at most this many endpoints of each (with a MeterRegistry only; see docs/metrics.md).");
        k.add(g, "zone", Type.STRING, "none", "The zone this application runs in: with it, every service prefers endpoints of the same zone and spills over as Envoy does.");
        k.add(g, "http.hash-key-header", Type.STRING, "none", "A request header whose value is the request's key (consistent-hash strategies route by it).");
        k.add(g, "http.hash-key-cookie", Type.STRING, "none", "A cookie whose value is the request's key; instead of http.hash-key-header.");
        k.add(g, "http.hash-key-query-parameter", Type.STRING, "none", "A query parameter whose value is the request's key; instead of http.hash-key-header.");
        k.add(g, "http.hash-key-path", Type.BOOLEAN, "false", "Whether the request's path is its key; instead of http.hash-key-header.");
        k.add(g, "http.service-host-header", Type.BOOLEAN, "true", "Whether backends see the service name as the Host (false: the endpoint's address, as a direct request would); see docs/http.md.");
        k.add(g, "http.load-reports", Type.BOOLEAN, "true", "Whether responses' load reports are read (for the load-weighted strategy).");
        k.add(g, "http.load-report-header", Type.STRING, "endpoint-load-metrics", "The response header that carries an endpoint's load report.");
        k.add(g, "etcd.endpoints", Type.LIST, "http://127.0.0.1:2379", "etcd client URLs used by every service with discovery=etcd and by the registration, unless they name their own.");
        k.add(g, "zookeeper.connect-string", Type.STRING, "127.0.0.1:2181", "The ZooKeeper ensemble (host:port,host:port[/chroot]) of every service with discovery=zookeeper and of the registration, unless they name their own.");
        k.add(g, "zookeeper.base-path", Type.STRING, "/services", "The parent znode of the services (Spring Cloud Zookeeper's discovery root) for discovery=zookeeper and the registration, unless they name their own.");

        Scope r = Scope.REGISTRATION;
        k.add(r, "enabled", Type.BOOLEAN, "false", "Whether the application registers itself (in etcd or ZooKeeper, see registry), so that other clients find it.");
        k.add(r, "registry", Type.STRING, "etcd", "Where the application registers: etcd, or zookeeper (Curator's layout; needs io.lb4j:lb-zookeeper).");
        k.add(r, "service", Type.STRING, "spring.application.name in Spring Boot; required otherwise", "The service name the application registers under.");
        k.add(r, "host", Type.STRING, "the local host's address", "The host or IP address other instances connect to.");
        k.add(r, "port", Type.INTEGER, "the web server's port in Spring Boot; required otherwise", "The port other instances connect to.");
        k.add(r, "id", Type.STRING, "host:port", "The instance id: the last part of the etcd key, or the znode's name.");
        k.add(r, "ttl", Type.DURATION, "10s", "registry=etcd: the lease's time to live (whole seconds): how long the key outlives a process killed without closing.");
        k.add(r, "weight", Type.INTEGER, "1", "The weight callers give this instance.");
        k.add(r, "zone", Type.STRING, "none", "The zone of this instance.");
        k.add(r, "metadata", Type.MAP, "none", "Metadata of this instance: lb4j.registration.metadata.<key>=<value>.");
        k.add(r, "health-path", Type.STRING, "none", "This instance's health check path, published as metadata 'health-path'.");
        k.add(r, "drain-period", Type.DURATION, "3s", "On close, how long the instance stays registered as draining (callers send it nothing new) before its key or znode is removed; 0s removes it at once.");
        k.add(r, "etcd.endpoints", Type.LIST, "lb4j.etcd.endpoints", "registry=etcd: etcd client URLs to register with.");
        k.add(r, "etcd.prefix", Type.STRING, "/services/<service>/", "registry=etcd: the folder of the key.");
        k.add(r, "etcd.request-timeout", Type.DURATION, "the smaller of 5s and the ttl", "registry=etcd: timeout of each etcd call.");
        k.add(r, "zookeeper.connect-string", Type.STRING, "lb4j.zookeeper.connect-string", "registry=zookeeper: the ensemble to register with.");
        k.add(r, "zookeeper.base-path", Type.STRING, "lb4j.zookeeper.base-path", "registry=zookeeper: the parent of the service znodes; the instance is <base-path>/<service>/<id>.");
        k.add(r, "zookeeper.session-timeout", Type.DURATION, "30s", "registry=zookeeper: the session timeout asked of the server: how long the znode outlives a process killed without closing.");
        k.add(r, "zookeeper.connect-timeout", Type.DURATION, "15s", "registry=zookeeper: how long without any server answering before a warning is logged.");
        k.add(r, "zookeeper.payload-class", Type.STRING, "org.springframework.cloud.zookeeper.discovery.ZookeeperInstance", "registry=zookeeper: the payload's @class, which Curator readers resolve (Spring Cloud Zookeeper's by default; java.util.LinkedHashMap for plain Curator readers).");

        Scope s = Scope.SERVICE;
        k.add(s, "endpoints", Type.LIST, "none", "Static instances, host:port each (a comma-separated list or a YAML list).");
        k.add(s, "discovery", Type.STRING, "static", "Where the instances come from: static (the endpoints key), etcd, dns, file, or zookeeper (needs io.lb4j:lb-zookeeper).");
        k.add(s, "etcd.endpoints", Type.LIST, "lb4j.etcd.endpoints", "discovery=etcd: etcd client URLs.");
        k.add(s, "etcd.prefix", Type.STRING, "/services/<name>/", "discovery=etcd: the key prefix watched.");
        k.add(s, "etcd.request-timeout", Type.DURATION, "5s", "discovery=etcd: timeout of connecting and of each unary call.");
        k.add(s, "etcd.watch-timeout", Type.DURATION, "60s", "discovery=etcd: how long a watch may stay silent before it is read again on a new connection.");
        k.add(s, "etcd.initial-backoff", Type.DURATION, "100ms", "discovery=etcd: the first wait before reconnecting after a failure, doubled on each failure.");
        k.add(s, "etcd.max-backoff", Type.DURATION, "5s", "discovery=etcd: the cap of the wait before reconnecting.");
        k.add(s, "etcd.relist-after", Type.DURATION, "30s", "discovery=etcd: after an outage this long, the whole prefix is read again instead of resuming the watch.");
        k.add(s, "dns.host", Type.STRING, "none", "discovery=dns: a name whose A/AAAA records are the instances (with dns.port); or use dns.srv.");
        k.add(s, "dns.port", Type.INTEGER, "none", "discovery=dns with dns.host: the port of every address.");
        k.add(s, "dns.srv", Type.STRING, "none", "discovery=dns: an SRV name such as _http._tcp.users.example.");
        k.add(s, "dns.server", Type.STRING, "the system's resolvers", "discovery=dns: the DNS server to ask, ip or ip:port.");
        k.add(s, "dns.interval", Type.DURATION, "30s", "discovery=dns: how often to look up again.");
        k.add(s, "dns.timeout", Type.DURATION, "1s", "discovery=dns: how long one query waits before its one retry.");
        k.add(s, "dns.ipv6", Type.BOOLEAN, "true", "discovery=dns: whether AAAA records are used besides A records.");
        k.add(s, "file.path", Type.STRING, "none", "discovery=file: the JSON file (see docs/discovery.md).");
        k.add(s, "file.key", Type.STRING, "<name>", "discovery=file: the top-level key whose array is read.");
        k.add(s, "file.poll-interval", Type.DURATION, "5s", "discovery=file: how often the file is checked besides watch events.");
        k.add(s, "file.watch", Type.BOOLEAN, "true", "discovery=file: whether the platform's watch service reloads promptly.");
        k.add(s, "zookeeper.connect-string", Type.STRING, "lb4j.zookeeper.connect-string", "discovery=zookeeper: the ensemble, host:port[,host:port...][/chroot].");
        k.add(s, "zookeeper.base-path", Type.STRING, "lb4j.zookeeper.base-path", "discovery=zookeeper: the parent of the service znodes; the instances are the children of <base-path>/<name>.");
        k.add(s, "zookeeper.session-timeout", Type.DURATION, "30s", "discovery=zookeeper: the session timeout asked of the server (which clamps it to its bounds).");
        k.add(s, "zookeeper.connect-timeout", Type.DURATION, "15s", "discovery=zookeeper: how long without any server answering before the balancer is told.");
        k.add(s, "zookeeper.ssl-port", Type.BOOLEAN, "false", "discovery=zookeeper: connect to each instance's sslPort instead of its port.");
        k.add(s, "min-hosts", Type.INTEGER, "0 (off)", "discovery=etcd, dns, file or zookeeper: an answer with fewer instances than this is not applied (the last list stays).");
        k.add(s, "strategy", Type.STRING, "round-robin", "The strategy, by name: round-robin, random, weighted-round-robin, weighted-random, least-connections, peak-ewma, consistent-hash, maglev, load-weighted, or a StrategyProvider's name.");
        k.add(s, "choice-count", Type.INTEGER, "2", "least-connections, peak-ewma: how many endpoints each pick samples.");
        k.add(s, "least-connections.stall-aware", Type.BOOLEAN, "false", "least-connections: also weigh how long the calls in flight have waited, so that an endpoint whose calls stall loses picks (costs two clock reads per call; see docs/strategies.md).");
        k.add(s, "peak-ewma.failure-penalty", Type.DECIMAL, "1.0", "peak-ewma: how much a recent failure raises an endpoint's cost, as a multiple of the larger compared cost, 0-1000 (0 turns it off; see docs/strategies.md).");
        k.add(s, "slow-start.window", Type.DURATION, "0s (off)", "weighted-*, least-connections, peak-ewma: how long a new endpoint ramps up.");
        k.add(s, "slow-start.min-share", Type.DECIMAL, "0.1", "weighted-*, least-connections, peak-ewma: the share of its traffic a new endpoint starts with.");
        k.add(s, "consistent-hash.virtual-nodes", Type.INTEGER, "1024", "consistent-hash: ring points of the heaviest endpoint.");
        k.add(s, "consistent-hash.bounded-load", Type.BOOLEAN, "false", "consistent-hash: pass calls on from endpoints above their share of the load.");
        k.add(s, "consistent-hash.balance-factor", Type.DECIMAL, "1.25", "consistent-hash with bounded load: how far above its share an endpoint may go.");
        k.add(s, "maglev.table-size-factor", Type.INTEGER, "100", "maglev: table slots per endpoint, at least, 10-1000 (the table size is a prime; see docs/strategies.md).");
        k.add(s, "maglev.bounded-load", Type.BOOLEAN, "false", "maglev: pass calls on from endpoints above their share of the load.");
        k.add(s, "maglev.balance-factor", Type.DECIMAL, "1.25", "maglev with bounded load: how far above its share an endpoint may go.");
        k.add(s, "load-weighted.blackout", Type.DURATION, "10s", "load-weighted: how long a new endpoint's reports are ignored.");
        k.add(s, "load-weighted.expiration", Type.DURATION, "3m", "load-weighted: how long a report stays valid.");
        k.add(s, "load-weighted.update-period", Type.DURATION, "1s", "load-weighted: how often weights are recomputed.");
        k.add(s, "load-weighted.error-penalty", Type.DECIMAL, "1.0", "load-weighted: how much errors weigh against an endpoint.");
        k.add(s, "failover-zones", Type.LIST, "none", "With lb4j.zone: the zones to spill over to, in order, before all others.");
        k.add(s, "overprovisioning-factor", Type.DECIMAL, "1.4", "With lb4j.zone: how much healthy capacity a zone needs (times its share) before traffic spills out.");
        k.add(s, "max-in-flight-per-endpoint", Type.INTEGER, "0 (none)", "The most calls in flight to one endpoint; a pick skips endpoints at the limit.");
        k.add(s, "metrics.per-endpoint-meters", Type.INTEGER, "lb4j.metrics.per-endpoint-meters", "Per-endpoint meters for at most this many endpoints of the service (with a MeterRegistry only).");
        k.add(s, "panic-threshold", Type.DECIMAL, "0.5", "Under this share of eligible endpoints, pick among all (0 disables panic).");
        k.add(s, "latency-decay", Type.DURATION, "10s", "The decay time of each endpoint's latency average.");
        k.add(s, "health.enabled", Type.BOOLEAN, "true when health.path or health.probe is set, else false", "Whether endpoints are probed actively.");
        k.add(s, "health.probe", Type.STRING, "http when health.path is set, else tcp", "The probe: http or https (GET health.path, healthy iff 200-399; https checks the certificate against the service name) or tcp (a connect).");
        k.add(s, "health.path", Type.STRING, "none", "The path of the http probe, starting with '/'.");
        k.add(s, "health.interval", Type.DURATION, "5s", "Time from the end of one probe of an endpoint to the start of its next.");
        k.add(s, "health.timeout", Type.DURATION, "1s", "How long a probe may take before it counts as failed.");
        k.add(s, "health.jitter", Type.DECIMAL, "0.1", "Spread of each probe delay as a share of the interval.");
        k.add(s, "health.unhealthy-threshold", Type.INTEGER, "3", "Failed probes in a row that make an endpoint unhealthy.");
        k.add(s, "health.healthy-threshold", Type.INTEGER, "2", "Passed probes in a row that make an unhealthy endpoint healthy.");
        k.add(s, "health.max-concurrent-probes", Type.INTEGER, "16", "Probes in flight at once over all endpoints.");
        k.add(s, "outlier.enabled", Type.BOOLEAN, "true", "Passive outlier ejection from real call outcomes.");
        k.add(s, "outlier.consecutive-failures", Type.INTEGER, "5", "Failed calls in a row that eject an endpoint (0 turns the rule off).");
        k.add(s, "outlier.base-ejection-time", Type.DURATION, "30s", "The first ejection's length; the n-th lasts n times as long.");
        k.add(s, "outlier.max-ejection-time", Type.DURATION, "300s", "The cap of an ejection's length.");
        k.add(s, "outlier.jitter", Type.DURATION, "0s", "A random extra of up to this added to each ejection.");
        k.add(s, "outlier.max-ejection-percent", Type.INTEGER, "10", "The share of endpoints that may be ejected at once, in percent (never under one).");
        k.add(s, "outlier.interval", Type.DURATION, "10s", "How often ejection multipliers decay and the failure-percentage rule is judged.");
        k.add(s, "outlier.failure-percentage.threshold", Type.INTEGER, "off", "Eject an endpoint whose calls in an interval failed at least this often, in percent.");
        k.add(s, "outlier.failure-percentage.minimum-requests", Type.INTEGER, "50", "The calls an endpoint needs in an interval before the failure-percentage rule judges it.");
        k.add(s, "outlier.un-eject-on-healthy-probe", Type.BOOLEAN, "true", "With health checking on: whether a passing probe ends an ejection early.");
        k.add(s, "reconnect.enabled", Type.BOOLEAN, "true", "Whether a connection failure takes an endpoint out until a TCP connect succeeds again.");
        k.add(s, "reconnect.initial-backoff", Type.DURATION, "1s", "The first wait before a reconnect check.");
        k.add(s, "reconnect.max-backoff", Type.DURATION, "30s", "The cap of the wait before a reconnect check.");
        k.add(s, "reconnect.multiplier", Type.DECIMAL, "1.6", "The growth of the wait per failed check.");
        k.add(s, "reconnect.jitter", Type.DECIMAL, "0.2", "The random spread of each wait, as a share of it.");
        k.add(s, "reconnect.check-timeout", Type.DURATION, "1s", "The timeout of the TCP connect check.");
        k.add(s, "retry.max-attempts", Type.INTEGER, "3", "Attempts per call, the first included; 1 disables retries.");
        k.add(s, "retry.statuses", Type.LIST, "502,503,504", "Statuses (500-599) that are retried on another endpoint.");
        k.add(s, "retry.per-attempt-timeout", Type.DURATION, "none", "The timeout of each attempt; a timed-out attempt is retried elsewhere.");
        k.add(s, "retry.backoff.base", Type.DURATION, "25ms", "Base of the exponential backoff with full jitter (0 retries at once).");
        k.add(s, "retry.backoff.cap", Type.DURATION, "250ms", "Cap of the backoff.");
        k.add(s, "retry.retry-after-cap", Type.DURATION, "3s", "The longest Retry-After waited for.");
        k.add(s, "retry.idempotency-key-header", Type.STRING, "none", "A header whose presence makes a non-idempotent request retryable.");
        k.add(s, "retry.all-methods", Type.BOOLEAN, "false", "Retry every method, POST and PATCH included.");
        k.add(s, "retry.hedge-after", Type.DURATION, "off", "Send a hedged attempt to another endpoint after this delay.");
        k.add(s, "retry.budget.enabled", Type.BOOLEAN, "true", "Whether retries are limited by a budget (false: unlimited).");
        k.add(s, "retry.budget.ratio", Type.DECIMAL, "0.2", "Retries allowed per request over the window.");
        k.add(s, "retry.budget.window", Type.DURATION, "10s", "The window of the retry budget.");
        k.add(s, "retry.budget.min-retries-per-second", Type.INTEGER, "10", "Retries allowed per second of the window whatever the traffic.");
        ALL = Collections.unmodifiableList(k.keys);
        GLOBAL_KEYS = k.index(Scope.GLOBAL);
        REGISTRATION_KEYS = k.index(Scope.REGISTRATION);
        SERVICE_KEYS = k.index(Scope.SERVICE);
    }

    private static final class KeyList {
        final List<Key> keys = new java.util.ArrayList<>();

        void add(Scope scope, String name, Type type, String defaultValue, String description) {
            keys.add(new Key(scope, name, type, defaultValue, description));
        }

        Map<String, Key> index(Scope scope) {
            Map<String, Key> m = new LinkedHashMap<>();
            for (Key key : keys) {
                if (key.scope == scope && m.put(relaxed(key.name), key) != null) {
                    throw new AssertionError("duplicate key " + key);
                }
            }
            return Collections.unmodifiableMap(m);
        }
    }
}
