package io.lb4j.config;

import io.lb4j.core.EndpointSource;
import io.lb4j.discovery.DnsSource;
import io.lb4j.discovery.EtcdSource;
import io.lb4j.discovery.FileSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a service's instances come from: its static list, etcd, DNS, a JSON file or ZooKeeper,
 * with the settings of that source (keys {@code lb4j.services.<name>.discovery}, {@code etcd.*},
 * {@code dns.*}, {@code file.*}, {@code zookeeper.*}). Settings left out keep the source's own
 * defaults. ZooKeeper needs the optional module {@code io.lb4j:lb-zookeeper}: without it,
 * {@code discovery=zookeeper} is a configuration problem naming that artifact, and nothing of
 * ZooKeeper is loaded for the other kinds.
 *
 * <p>Immutable and thread-safe; {@link #newSource()} makes a new, unstarted source each call.
 */
public final class DiscoveryConfig {

    /** The kinds of discovery. */
    public enum Kind {
        /** The {@code endpoints} key: a fixed list. */
        STATIC,
        /** etcd v3, see {@link EtcdSource}. */
        ETCD,
        /** DNS A/AAAA or SRV records, see {@link DnsSource}. */
        DNS,
        /** A JSON file, see {@link FileSource}. */
        FILE,
        /** ZooKeeper in Apache Curator's layout: lb-zookeeper's {@code ZooKeeperSource} (docs/discovery.md). */
        ZOOKEEPER;

        /**
         * The name used in configuration.
         *
         * @return e.g. {@code etcd}
         */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** EtcdSource's defaults (its builder sets both bounds at once). */
    private static final Duration ETCD_INITIAL_BACKOFF = Duration.ofMillis(100);
    private static final Duration ETCD_MAX_BACKOFF = Duration.ofSeconds(5);

    private final String service;
    private final Kind kind;
    private final List<String> etcdEndpoints;
    private final String etcdPrefix;
    private final Duration etcdRequestTimeout;
    private final Duration etcdWatchTimeout;
    private final Duration etcdInitialBackoff;
    private final Duration etcdMaxBackoff;
    private final Duration etcdRelistAfter;
    private final Integer minHosts;
    private final String dnsHost;
    private final Integer dnsPort;
    private final String dnsSrv;
    private final String dnsServer;
    private final Duration dnsInterval;
    private final Duration dnsTimeout;
    private final Boolean dnsIpv6;
    private final Path filePath;
    private final String fileKey;
    private final Duration filePollInterval;
    private final Boolean fileWatch;
    private final ZooKeeperSettings zookeeper;
    private final Boolean zookeeperSslPort;

    private DiscoveryConfig(String service, Kind kind, Values v, List<String> defaultEtcd, ZooKeeperSettings defaultZooKeeper) {
        this.service = service;
        this.kind = kind;
        List<String> etcd = v.list("etcd.endpoints");
        this.etcdEndpoints = kind == Kind.ETCD ? (etcd != null ? etcd : defaultEtcd) : null;
        this.etcdPrefix = v.string("etcd.prefix");
        this.etcdRequestTimeout = v.duration("etcd.request-timeout");
        this.etcdWatchTimeout = v.duration("etcd.watch-timeout");
        this.etcdInitialBackoff = v.duration("etcd.initial-backoff");
        this.etcdMaxBackoff = v.duration("etcd.max-backoff");
        this.etcdRelistAfter = v.duration("etcd.relist-after");
        this.minHosts = v.integer("min-hosts");
        this.dnsHost = v.string("dns.host");
        this.dnsPort = v.integer("dns.port");
        this.dnsSrv = v.string("dns.srv");
        this.dnsServer = v.string("dns.server");
        this.dnsInterval = v.duration("dns.interval");
        this.dnsTimeout = v.duration("dns.timeout");
        this.dnsIpv6 = v.bool("dns.ipv6");
        String path = v.string("file.path");
        this.filePath = path != null ? Path.of(path) : null;
        this.fileKey = v.string("file.key");
        this.filePollInterval = v.duration("file.poll-interval");
        this.fileWatch = v.bool("file.watch");
        this.zookeeper = kind == Kind.ZOOKEEPER ? ZooKeeperSettings.read(v, defaultZooKeeper) : null;
        this.zookeeperSslPort = v.bool("zookeeper.ssl-port");
    }

    /** Reads and checks the discovery keys of one service; problems go to {@code v}. */
    static DiscoveryConfig read(String service, Kind kind, Values v, List<String> defaultEtcd, ZooKeeperSettings defaultZooKeeper) {
        v.onlyWith("etcd", kind == Kind.ETCD, "discovery=etcd");
        v.onlyWith("dns", kind == Kind.DNS, "discovery=dns");
        v.onlyWith("file", kind == Kind.FILE, "discovery=file");
        v.onlyWith("zookeeper", kind == Kind.ZOOKEEPER, "discovery=zookeeper");
        v.onlyWith("min-hosts", kind != Kind.STATIC, "discovery=etcd, dns, file or zookeeper");
        DiscoveryConfig d = new DiscoveryConfig(service, kind, v, defaultEtcd, defaultZooKeeper);
        int before = v.problems.size();
        d.check(v);
        return v.problems.size() == before ? d : null;
    }

    /** Applies every setting to a real builder, whose rules decide; a rejection names its key. */
    private void check(Values v) {
        switch (kind) {
            case ETCD: {
                EtcdSource.Builder b;
                try {
                    b = EtcdSource.builder(service);
                } catch (IllegalArgumentException e) {
                    v.problem("discovery", "service '" + service + "' cannot be watched in etcd: " + e.getMessage());
                    return;
                }
                if (etcdEndpoints != null) {
                    v.apply("etcd.endpoints", etcdEndpoints, l -> b.endpoints(l.toArray(new String[0])));
                }
                v.apply("etcd.prefix", etcdPrefix, b::prefix);
                v.apply("etcd.request-timeout", etcdRequestTimeout, b::requestTimeout);
                v.apply("etcd.watch-timeout", etcdWatchTimeout, b::watchTimeout);
                v.apply("etcd.relist-after", etcdRelistAfter, b::relistAfter);
                if (etcdInitialBackoff != null || etcdMaxBackoff != null) {
                    try {
                        b.backoff(etcdInitialBackoff(), etcdMaxBackoff());
                    } catch (IllegalArgumentException e) {
                        v.pairProblem("etcd.initial-backoff", "etcd.max-backoff", e.getMessage().startsWith("backoff initial"), e.getMessage());
                    }
                }
                v.apply("min-hosts", minHosts, b::minHosts);
                break;
            }
            case DNS: {
                boolean host = v.has("dns.host");
                boolean srv = v.has("dns.srv");
                if (host == srv) {
                    v.problem(host ? "dns.srv" : "dns.host", host ? "only without dns.host: give dns.host and dns.port, or dns.srv"
                            : "discovery=dns needs dns.host with dns.port, or dns.srv");
                    return;
                }
                if (host && !v.has("dns.port")) {
                    v.problem("dns.port", "required with dns.host");
                    return;
                }
                if (srv && v.has("dns.port")) {
                    v.problem("dns.port", "only with dns.host: SRV records carry their ports");
                    return;
                }
                if (host ? dnsHost == null || dnsPort == null : dnsSrv == null) {
                    return; // already reported as unreadable
                }
                DnsSource.Builder b;
                try {
                    b = host ? DnsSource.forHost(dnsHost, dnsPort) : DnsSource.forSrv(dnsSrv);
                } catch (IllegalArgumentException e) {
                    v.problem(!host ? "dns.srv" : e.getMessage().startsWith("port") ? "dns.port" : "dns.host", e.getMessage());
                    return;
                }
                v.apply("dns.server", dnsServer, b::server);
                v.apply("dns.interval", dnsInterval, b::interval);
                v.apply("dns.timeout", dnsTimeout, b::timeout);
                v.apply("min-hosts", minHosts, b::minHosts);
                break;
            }
            case FILE: {
                if (filePath == null) {
                    if (!v.has("file.path")) {
                        v.problem("file.path", "required with discovery=file");
                    }
                    return;
                }
                FileSource.Builder b;
                try {
                    b = FileSource.builder(filePath, fileKey != null ? fileKey : service);
                } catch (IllegalArgumentException e) {
                    v.problem("file.key", e.getMessage());
                    return;
                }
                v.apply("file.poll-interval", filePollInterval, b::pollInterval);
                v.apply("min-hosts", minHosts, b::minHosts);
                break;
            }
            case ZOOKEEPER: {
                String missing = ZooKeeperSupport.missing();
                if (missing != null) {
                    v.problem("discovery", missing);
                    return;
                }
                ZooKeeperWiring.checkSource(service, v, zookeeper, minHosts);
                break;
            }
            default:
                break;
        }
    }

    /** The given bound, or EtcdSource's default when only the other one is given. */
    private Duration etcdInitialBackoff() {
        return etcdInitialBackoff != null ? etcdInitialBackoff : ETCD_INITIAL_BACKOFF;
    }

    private Duration etcdMaxBackoff() {
        return etcdMaxBackoff != null ? etcdMaxBackoff : ETCD_MAX_BACKOFF;
    }

    /**
     * The kind of discovery.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * discovery=etcd: the etcd client URLs (the service's own, else {@code lb4j.etcd.endpoints}).
     *
     * @return the URLs, or empty for the source's default ({@code http://127.0.0.1:2379})
     */
    public Optional<List<String>> etcdEndpoints() {
        return Optional.ofNullable(etcdEndpoints);
    }

    /**
     * discovery=zookeeper: the ensemble (the service's own, else {@code lb4j.zookeeper.connect-string}).
     *
     * @return the connect string, or empty for the source's default ({@code 127.0.0.1:2181}) and for other kinds
     */
    public Optional<String> zooKeeperConnectString() {
        return Optional.ofNullable(zookeeper != null ? zookeeper.connectString : null);
    }

    /**
     * discovery=dns: the name of the A/AAAA lookup, or of the SRV lookup.
     *
     * @return the name looked up; empty for other kinds
     */
    public Optional<String> dnsName() {
        return Optional.ofNullable(dnsHost != null ? dnsHost : dnsSrv);
    }

    /**
     * discovery=file: the file read.
     *
     * @return the path; empty for other kinds
     */
    public Optional<Path> filePath() {
        return Optional.ofNullable(filePath);
    }

    /**
     * A new, unstarted source for this configuration; a balancer starts and closes it.
     *
     * @return a new source (for {@link Kind#ZOOKEEPER} lb-zookeeper's, whose module the configuration found)
     * @throws IllegalStateException for {@link Kind#STATIC}, which has none
     */
    public EndpointSource newSource() {
        switch (kind) {
            case ETCD: {
                EtcdSource.Builder b = EtcdSource.builder(service);
                if (etcdEndpoints != null) {
                    b.endpoints(etcdEndpoints.toArray(new String[0]));
                }
                if (etcdPrefix != null) {
                    b.prefix(etcdPrefix);
                }
                if (etcdRequestTimeout != null) {
                    b.requestTimeout(etcdRequestTimeout);
                }
                if (etcdWatchTimeout != null) {
                    b.watchTimeout(etcdWatchTimeout);
                }
                if (etcdRelistAfter != null) {
                    b.relistAfter(etcdRelistAfter);
                }
                if (etcdInitialBackoff != null || etcdMaxBackoff != null) {
                    b.backoff(etcdInitialBackoff(), etcdMaxBackoff());
                }
                if (minHosts != null) {
                    b.minHosts(minHosts);
                }
                return b.build();
            }
            case DNS: {
                DnsSource.Builder b = dnsHost != null ? DnsSource.forHost(dnsHost, dnsPort) : DnsSource.forSrv(dnsSrv);
                if (dnsServer != null) {
                    b.server(dnsServer);
                }
                if (dnsInterval != null) {
                    b.interval(dnsInterval);
                }
                if (dnsTimeout != null) {
                    b.timeout(dnsTimeout);
                }
                if (dnsIpv6 != null) {
                    b.ipv6(dnsIpv6);
                }
                if (minHosts != null) {
                    b.minHosts(minHosts);
                }
                return b.build();
            }
            case FILE: {
                FileSource.Builder b = FileSource.builder(filePath, fileKey != null ? fileKey : service);
                if (filePollInterval != null) {
                    b.pollInterval(filePollInterval);
                }
                if (fileWatch != null) {
                    b.watch(fileWatch);
                }
                if (minHosts != null) {
                    b.minHosts(minHosts);
                }
                return b.build();
            }
            case ZOOKEEPER:
                return ZooKeeperWiring.newSource(service, zookeeper, zookeeperSslPort, minHosts);
            default:
                throw new IllegalStateException("discovery=static has no source: its endpoints are the list");
        }
    }

    @Override
    public String toString() {
        switch (kind) {
            case ETCD:
                return "etcd{endpoints=" + (etcdEndpoints != null ? etcdEndpoints : "default")
                        + (etcdPrefix != null ? ", prefix=" + etcdPrefix : "") + "}";
            case DNS:
                return dnsHost != null ? "dns{host=" + dnsHost + ", port=" + dnsPort + "}" : "dns{srv=" + dnsSrv + "}";
            case FILE:
                return "file{path=" + filePath + ", key=" + (fileKey != null ? fileKey : service) + "}";
            case ZOOKEEPER:
                return "zookeeper{" + zookeeper + (Boolean.TRUE.equals(zookeeperSslPort) ? ", sslPort" : "") + "}";
            default:
                return "static";
        }
    }
}
