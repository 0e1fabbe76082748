package io.lb4j.spring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The shape of the {@code lb4j.*} properties, for IDE completion only: the configuration processor
 * turns it into {@code META-INF/spring-configuration-metadata.json}. It is never bound; the starter
 * reads {@code lb4j.*} through lb-config's {@link io.lb4j.config.Lb4jConfig}, the one parser, and a test
 * checks that this class and {@link io.lb4j.config.Key#all()} name the same keys. Generated from
 * {@code Key.all()}: do not edit by hand (see docs/spring-boot.md).
 *
 * <p>Not thread-safe (a plain bean).
 */
@ConfigurationProperties("lb4j")
public final class Lb4jProperties {

    /** Creates the settings with nothing set. */
    public Lb4jProperties() {
    }

    /** The application's own registration in etcd ({@code lb4j.registration.*}). */
    private final Registration registration = new Registration();

    /** The downstream services by name ({@code lb4j.services.<name>.*}); a name with dots goes in brackets. */
    private final Map<String, Service> services = new LinkedHashMap<>();

    /** Whether lb4j is configured at all (the Spring Boot starter backs off when false). Default: true. */
    private Boolean enabled;

    /** The {@code metrics.*} settings. */
    private final Metrics metrics = new Metrics();

    /** The zone this application runs in: with it, every service prefers endpoints of the same zone and spills over as Envoy does. Default: none. */
    private String zone;

    /** The {@code http.*} settings. */
    private final Http http = new Http();

    /** The {@code etcd.*} settings. */
    private final Etcd etcd = new Etcd();

    /** The {@code zookeeper.*} settings. */
    private final Zookeeper zookeeper = new Zookeeper();

    /**
     * Gets registration.
     *
     * @return the settings, never null
     */
    public Registration getRegistration() {
        return registration;
    }

    /**
     * Gets services.
     *
     * @return the settings, never null
     */
    public Map<String, Service> getServices() {
        return services;
    }

    /**
     * Gets enabled.
     *
     * @return the value, null when not set
     */
    public Boolean getEnabled() {
        return enabled;
    }

    /**
     * Sets enabled.
     *
     * @param enabled the value
     */
    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * Gets metrics.
     *
     * @return the settings, never null
     */
    public Metrics getMetrics() {
        return metrics;
    }

    /**
     * Gets zone.
     *
     * @return the value, null when not set
     */
    public String getZone() {
        return zone;
    }

    /**
     * Sets zone.
     *
     * @param zone the value
     */
    public void setZone(String zone) {
        this.zone = zone;
    }

    /**
     * Gets http.
     *
     * @return the settings, never null
     */
    public Http getHttp() {
        return http;
    }

    /**
     * Gets etcd.
     *
     * @return the settings, never null
     */
    public Etcd getEtcd() {
        return etcd;
    }

    /**
     * Gets zookeeper.
     *
     * @return the settings, never null
     */
    public Zookeeper getZookeeper() {
        return zookeeper;
    }

    /** The {@code metrics.*} settings. */
    public static final class Metrics {

        /** Creates the settings with nothing set. */
        public Metrics() {
        }

        /** Whether meters are bound to the MeterRegistry the application hands over. Default: true. */
        private Boolean enabled;

        /** For every service: per-endpoint meters for at most this many endpoints of each (with a MeterRegistry only; see docs/metrics.md). Default: 0 (off). */
        private Integer perEndpointMeters;

        /**
         * Gets enabled.
         *
         * @return the value, null when not set
         */
        public Boolean getEnabled() {
            return enabled;
        }

        /**
         * Sets enabled.
         *
         * @param enabled the value
         */
        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * Gets perEndpointMeters.
         *
         * @return the value, null when not set
         */
        public Integer getPerEndpointMeters() {
            return perEndpointMeters;
        }

        /**
         * Sets perEndpointMeters.
         *
         * @param perEndpointMeters the value
         */
        public void setPerEndpointMeters(Integer perEndpointMeters) {
            this.perEndpointMeters = perEndpointMeters;
        }
    }

    /** The {@code http.*} settings. */
    public static final class Http {

        /** Creates the settings with nothing set. */
        public Http() {
        }

        /** A request header whose value is the request's key (consistent-hash strategies route by it). Default: none. */
        private String hashKeyHeader;

        /** A cookie whose value is the request's key; instead of http.hash-key-header. Default: none. */
        private String hashKeyCookie;

        /** A query parameter whose value is the request's key; instead of http.hash-key-header. Default: none. */
        private String hashKeyQueryParameter;

        /** Whether the request's path is its key; instead of http.hash-key-header. Default: false. */
        private Boolean hashKeyPath;

        /** Whether backends see the service name as the Host (false: the endpoint's address, as a direct request would); see docs/http.md. Default: true. */
        private Boolean serviceHostHeader;

        /** Whether responses' load reports are read (for the load-weighted strategy). Default: true. */
        private Boolean loadReports;

        /** The response header that carries an endpoint's load report. Default: endpoint-load-metrics. */
        private String loadReportHeader;

        /**
         * Gets hashKeyHeader.
         *
         * @return the value, null when not set
         */
        public String getHashKeyHeader() {
            return hashKeyHeader;
        }

        /**
         * Sets hashKeyHeader.
         *
         * @param hashKeyHeader the value
         */
        public void setHashKeyHeader(String hashKeyHeader) {
            this.hashKeyHeader = hashKeyHeader;
        }

        /**
         * Gets hashKeyCookie.
         *
         * @return the value, null when not set
         */
        public String getHashKeyCookie() {
            return hashKeyCookie;
        }

        /**
         * Sets hashKeyCookie.
         *
         * @param hashKeyCookie the value
         */
        public void setHashKeyCookie(String hashKeyCookie) {
            this.hashKeyCookie = hashKeyCookie;
        }

        /**
         * Gets hashKeyQueryParameter.
         *
         * @return the value, null when not set
         */
        public String getHashKeyQueryParameter() {
            return hashKeyQueryParameter;
        }

        /**
         * Sets hashKeyQueryParameter.
         *
         * @param hashKeyQueryParameter the value
         */
        public void setHashKeyQueryParameter(String hashKeyQueryParameter) {
            this.hashKeyQueryParameter = hashKeyQueryParameter;
        }

        /**
         * Gets hashKeyPath.
         *
         * @return the value, null when not set
         */
        public Boolean getHashKeyPath() {
            return hashKeyPath;
        }

        /**
         * Sets hashKeyPath.
         *
         * @param hashKeyPath the value
         */
        public void setHashKeyPath(Boolean hashKeyPath) {
            this.hashKeyPath = hashKeyPath;
        }

        /**
         * Gets serviceHostHeader.
         *
         * @return the value, null when not set
         */
        public Boolean getServiceHostHeader() {
            return serviceHostHeader;
        }

        /**
         * Sets serviceHostHeader.
         *
         * @param serviceHostHeader the value
         */
        public void setServiceHostHeader(Boolean serviceHostHeader) {
            this.serviceHostHeader = serviceHostHeader;
        }

        /**
         * Gets loadReports.
         *
         * @return the value, null when not set
         */
        public Boolean getLoadReports() {
            return loadReports;
        }

        /**
         * Sets loadReports.
         *
         * @param loadReports the value
         */
        public void setLoadReports(Boolean loadReports) {
            this.loadReports = loadReports;
        }

        /**
         * Gets loadReportHeader.
         *
         * @return the value, null when not set
         */
        public String getLoadReportHeader() {
            return loadReportHeader;
        }

        /**
         * Sets loadReportHeader.
         *
         * @param loadReportHeader the value
         */
        public void setLoadReportHeader(String loadReportHeader) {
            this.loadReportHeader = loadReportHeader;
        }
    }

    /** The {@code etcd.*} settings. */
    public static final class Etcd {

        /** Creates the settings with nothing set. */
        public Etcd() {
        }

        /** etcd client URLs used by every service with discovery=etcd and by the registration, unless they name their own. Default: http://127.0.0.1:2379. */
        private List<String> endpoints;

        /**
         * Gets endpoints.
         *
         * @return the value, null when not set
         */
        public List<String> getEndpoints() {
            return endpoints;
        }

        /**
         * Sets endpoints.
         *
         * @param endpoints the value
         */
        public void setEndpoints(List<String> endpoints) {
            this.endpoints = endpoints;
        }
    }

    /** The {@code zookeeper.*} settings. */
    public static final class Zookeeper {

        /** Creates the settings with nothing set. */
        public Zookeeper() {
        }

        /** The ZooKeeper ensemble (host:port,host:port[/chroot]) of every service with discovery=zookeeper and of the registration, unless they name their own. Default: 127.0.0.1:2181. */
        private String connectString;

        /** The parent znode of the services (Spring Cloud Zookeeper's discovery root) for discovery=zookeeper and the registration, unless they name their own. Default: /services. */
        private String basePath;

        /**
         * Gets connectString.
         *
         * @return the value, null when not set
         */
        public String getConnectString() {
            return connectString;
        }

        /**
         * Sets connectString.
         *
         * @param connectString the value
         */
        public void setConnectString(String connectString) {
            this.connectString = connectString;
        }

        /**
         * Gets basePath.
         *
         * @return the value, null when not set
         */
        public String getBasePath() {
            return basePath;
        }

        /**
         * Sets basePath.
         *
         * @param basePath the value
         */
        public void setBasePath(String basePath) {
            this.basePath = basePath;
        }
    }

    /** The {@code lb4j.registration.*} settings. */
    public static final class Registration {

        /** Creates the settings with nothing set. */
        public Registration() {
        }

        /** Whether the application registers itself (in etcd or ZooKeeper, see registry), so that other clients find it. Default: false. */
        private Boolean enabled;

        /** Where the application registers: etcd, or zookeeper (Curator's layout; needs io.lb4j:lb-zookeeper). Default: etcd. */
        private String registry;

        /** The service name the application registers under. Default: spring.application.name in Spring Boot; required otherwise. */
        private String service;

        /** The host or IP address other instances connect to. Default: the local host's address. */
        private String host;

        /** The port other instances connect to. Default: the web server's port in Spring Boot; required otherwise. */
        private Integer port;

        /** The instance id: the last part of the etcd key, or the znode's name. Default: host:port. */
        private String id;

        /** registry=etcd: the lease's time to live (whole seconds): how long the key outlives a process killed without closing. Default: 10s. */
        private Duration ttl;

        /** The weight callers give this instance. Default: 1. */
        private Integer weight;

        /** The zone of this instance. Default: none. */
        private String zone;

        /** Metadata of this instance: lb4j.registration.metadata.&lt;key&gt;=&lt;value&gt;. Default: none. */
        private Map<String, String> metadata;

        /** This instance's health check path, published as metadata 'health-path'. Default: none. */
        private String healthPath;

        /** On close, how long the instance stays registered as draining (callers send it nothing new) before its key or znode is removed; 0s removes it at once. Default: 3s. */
        private Duration drainPeriod;

        /** The {@code etcd.*} settings. */
        private final Etcd etcd = new Etcd();

        /** The {@code zookeeper.*} settings. */
        private final Zookeeper zookeeper = new Zookeeper();

        /**
         * Gets enabled.
         *
         * @return the value, null when not set
         */
        public Boolean getEnabled() {
            return enabled;
        }

        /**
         * Sets enabled.
         *
         * @param enabled the value
         */
        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * Gets registry.
         *
         * @return the value, null when not set
         */
        public String getRegistry() {
            return registry;
        }

        /**
         * Sets registry.
         *
         * @param registry the value
         */
        public void setRegistry(String registry) {
            this.registry = registry;
        }

        /**
         * Gets service.
         *
         * @return the value, null when not set
         */
        public String getService() {
            return service;
        }

        /**
         * Sets service.
         *
         * @param service the value
         */
        public void setService(String service) {
            this.service = service;
        }

        /**
         * Gets host.
         *
         * @return the value, null when not set
         */
        public String getHost() {
            return host;
        }

        /**
         * Sets host.
         *
         * @param host the value
         */
        public void setHost(String host) {
            this.host = host;
        }

        /**
         * Gets port.
         *
         * @return the value, null when not set
         */
        public Integer getPort() {
            return port;
        }

        /**
         * Sets port.
         *
         * @param port the value
         */
        public void setPort(Integer port) {
            this.port = port;
        }

        /**
         * Gets id.
         *
         * @return the value, null when not set
         */
        public String getId() {
            return id;
        }

        /**
         * Sets id.
         *
         * @param id the value
         */
        public void setId(String id) {
            this.id = id;
        }

        /**
         * Gets ttl.
         *
         * @return the value, null when not set
         */
        public Duration getTtl() {
            return ttl;
        }

        /**
         * Sets ttl.
         *
         * @param ttl the value
         */
        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }

        /**
         * Gets weight.
         *
         * @return the value, null when not set
         */
        public Integer getWeight() {
            return weight;
        }

        /**
         * Sets weight.
         *
         * @param weight the value
         */
        public void setWeight(Integer weight) {
            this.weight = weight;
        }

        /**
         * Gets zone.
         *
         * @return the value, null when not set
         */
        public String getZone() {
            return zone;
        }

        /**
         * Sets zone.
         *
         * @param zone the value
         */
        public void setZone(String zone) {
            this.zone = zone;
        }

        /**
         * Gets metadata.
         *
         * @return the value, null when not set
         */
        public Map<String, String> getMetadata() {
            return metadata;
        }

        /**
         * Sets metadata.
         *
         * @param metadata the value
         */
        public void setMetadata(Map<String, String> metadata) {
            this.metadata = metadata;
        }

        /**
         * Gets healthPath.
         *
         * @return the value, null when not set
         */
        public String getHealthPath() {
            return healthPath;
        }

        /**
         * Sets healthPath.
         *
         * @param healthPath the value
         */
        public void setHealthPath(String healthPath) {
            this.healthPath = healthPath;
        }

        /**
         * Gets drainPeriod.
         *
         * @return the value, null when not set
         */
        public Duration getDrainPeriod() {
            return drainPeriod;
        }

        /**
         * Sets drainPeriod.
         *
         * @param drainPeriod the value
         */
        public void setDrainPeriod(Duration drainPeriod) {
            this.drainPeriod = drainPeriod;
        }

        /**
         * Gets etcd.
         *
         * @return the settings, never null
         */
        public Etcd getEtcd() {
            return etcd;
        }

        /**
         * Gets zookeeper.
         *
         * @return the settings, never null
         */
        public Zookeeper getZookeeper() {
            return zookeeper;
        }

        /** The {@code etcd.*} settings. */
        public static final class Etcd {

            /** Creates the settings with nothing set. */
            public Etcd() {
            }

            /** registry=etcd: etcd client URLs to register with. Default: lb4j.etcd.endpoints. */
            private List<String> endpoints;

            /** registry=etcd: the folder of the key. Default: /services/&lt;service&gt;/. */
            private String prefix;

            /** registry=etcd: timeout of each etcd call. Default: the smaller of 5s and the ttl. */
            private Duration requestTimeout;

            /**
             * Gets endpoints.
             *
             * @return the value, null when not set
             */
            public List<String> getEndpoints() {
                return endpoints;
            }

            /**
             * Sets endpoints.
             *
             * @param endpoints the value
             */
            public void setEndpoints(List<String> endpoints) {
                this.endpoints = endpoints;
            }

            /**
             * Gets prefix.
             *
             * @return the value, null when not set
             */
            public String getPrefix() {
                return prefix;
            }

            /**
             * Sets prefix.
             *
             * @param prefix the value
             */
            public void setPrefix(String prefix) {
                this.prefix = prefix;
            }

            /**
             * Gets requestTimeout.
             *
             * @return the value, null when not set
             */
            public Duration getRequestTimeout() {
                return requestTimeout;
            }

            /**
             * Sets requestTimeout.
             *
             * @param requestTimeout the value
             */
            public void setRequestTimeout(Duration requestTimeout) {
                this.requestTimeout = requestTimeout;
            }
        }

        /** The {@code zookeeper.*} settings. */
        public static final class Zookeeper {

            /** Creates the settings with nothing set. */
            public Zookeeper() {
            }

            /** registry=zookeeper: the ensemble to register with. Default: lb4j.zookeeper.connect-string. */
            private String connectString;

            /** registry=zookeeper: the parent of the service znodes; the instance is &lt;base-path&gt;/&lt;service&gt;/&lt;id&gt;. Default: lb4j.zookeeper.base-path. */
            private String basePath;

            /** registry=zookeeper: the session timeout asked of the server: how long the znode outlives a process killed without closing. Default: 30s. */
            private Duration sessionTimeout;

            /** registry=zookeeper: how long without any server answering before a warning is logged. Default: 15s. */
            private Duration connectTimeout;

            /** registry=zookeeper: the payload's {@literal @}class, which Curator readers resolve (Spring Cloud Zookeeper's by default; java.util.LinkedHashMap for plain Curator readers). Default: org.springframework.cloud.zookeeper.discovery.ZookeeperInstance. */
            private String payloadClass;

            /**
             * Gets connectString.
             *
             * @return the value, null when not set
             */
            public String getConnectString() {
                return connectString;
            }

            /**
             * Sets connectString.
             *
             * @param connectString the value
             */
            public void setConnectString(String connectString) {
                this.connectString = connectString;
            }

            /**
             * Gets basePath.
             *
             * @return the value, null when not set
             */
            public String getBasePath() {
                return basePath;
            }

            /**
             * Sets basePath.
             *
             * @param basePath the value
             */
            public void setBasePath(String basePath) {
                this.basePath = basePath;
            }

            /**
             * Gets sessionTimeout.
             *
             * @return the value, null when not set
             */
            public Duration getSessionTimeout() {
                return sessionTimeout;
            }

            /**
             * Sets sessionTimeout.
             *
             * @param sessionTimeout the value
             */
            public void setSessionTimeout(Duration sessionTimeout) {
                this.sessionTimeout = sessionTimeout;
            }

            /**
             * Gets connectTimeout.
             *
             * @return the value, null when not set
             */
            public Duration getConnectTimeout() {
                return connectTimeout;
            }

            /**
             * Sets connectTimeout.
             *
             * @param connectTimeout the value
             */
            public void setConnectTimeout(Duration connectTimeout) {
                this.connectTimeout = connectTimeout;
            }

            /**
             * Gets payloadClass.
             *
             * @return the value, null when not set
             */
            public String getPayloadClass() {
                return payloadClass;
            }

            /**
             * Sets payloadClass.
             *
             * @param payloadClass the value
             */
            public void setPayloadClass(String payloadClass) {
                this.payloadClass = payloadClass;
            }
        }
    }

    /** The {@code lb4j.services.<name>.*} settings of one service. */
    public static final class Service {

        /** Creates the settings with nothing set. */
        public Service() {
        }

        /** Static instances, host:port each (a comma-separated list or a YAML list). Default: none. */
        private List<String> endpoints;

        /** Where the instances come from: static (the endpoints key), etcd, dns, file, or zookeeper (needs io.lb4j:lb-zookeeper). Default: static. */
        private String discovery;

        /** The {@code etcd.*} settings. */
        private final Etcd etcd = new Etcd();

        /** The {@code dns.*} settings. */
        private final Dns dns = new Dns();

        /** The {@code file.*} settings. */
        private final File file = new File();

        /** The {@code zookeeper.*} settings. */
        private final Zookeeper zookeeper = new Zookeeper();

        /** discovery=etcd, dns, file or zookeeper: an answer with fewer instances than this is not applied (the last list stays). Default: 0 (off). */
        private Integer minHosts;

        /** The strategy, by name: round-robin, random, weighted-round-robin, weighted-random, least-connections, peak-ewma, consistent-hash, maglev, load-weighted, or a StrategyProvider's name. Default: round-robin. */
        private String strategy;

        /** least-connections, peak-ewma: how many endpoints each pick samples. Default: 2. */
        private Integer choiceCount;

        /** The {@code least-connections.*} settings. */
        private final LeastConnections leastConnections = new LeastConnections();

        /** The {@code peak-ewma.*} settings. */
        private final PeakEwma peakEwma = new PeakEwma();

        /** The {@code slow-start.*} settings. */
        private final SlowStart slowStart = new SlowStart();

        /** The {@code consistent-hash.*} settings. */
        private final ConsistentHash consistentHash = new ConsistentHash();

        /** The {@code maglev.*} settings. */
        private final Maglev maglev = new Maglev();

        /** The {@code load-weighted.*} settings. */
        private final LoadWeighted loadWeighted = new LoadWeighted();

        /** With lb4j.zone: the zones to spill over to, in order, before all others. Default: none. */
        private List<String> failoverZones;

        /** With lb4j.zone: how much healthy capacity a zone needs (times its share) before traffic spills out. Default: 1.4. */
        private Double overprovisioningFactor;

        /** The most calls in flight to one endpoint; a pick skips endpoints at the limit. Default: 0 (none). */
        private Integer maxInFlightPerEndpoint;

        /** The {@code metrics.*} settings. */
        private final Metrics metrics = new Metrics();

        /** Under this share of eligible endpoints, pick among all (0 disables panic). Default: 0.5. */
        private Double panicThreshold;

        /** The decay time of each endpoint's latency average. Default: 10s. */
        private Duration latencyDecay;

        /** The {@code health.*} settings. */
        private final Health health = new Health();

        /** The {@code outlier.*} settings. */
        private final Outlier outlier = new Outlier();

        /** The {@code reconnect.*} settings. */
        private final Reconnect reconnect = new Reconnect();

        /** The {@code retry.*} settings. */
        private final Retry retry = new Retry();

        /**
         * Gets endpoints.
         *
         * @return the value, null when not set
         */
        public List<String> getEndpoints() {
            return endpoints;
        }

        /**
         * Sets endpoints.
         *
         * @param endpoints the value
         */
        public void setEndpoints(List<String> endpoints) {
            this.endpoints = endpoints;
        }

        /**
         * Gets discovery.
         *
         * @return the value, null when not set
         */
        public String getDiscovery() {
            return discovery;
        }

        /**
         * Sets discovery.
         *
         * @param discovery the value
         */
        public void setDiscovery(String discovery) {
            this.discovery = discovery;
        }

        /**
         * Gets etcd.
         *
         * @return the settings, never null
         */
        public Etcd getEtcd() {
            return etcd;
        }

        /**
         * Gets dns.
         *
         * @return the settings, never null
         */
        public Dns getDns() {
            return dns;
        }

        /**
         * Gets file.
         *
         * @return the settings, never null
         */
        public File getFile() {
            return file;
        }

        /**
         * Gets zookeeper.
         *
         * @return the settings, never null
         */
        public Zookeeper getZookeeper() {
            return zookeeper;
        }

        /**
         * Gets minHosts.
         *
         * @return the value, null when not set
         */
        public Integer getMinHosts() {
            return minHosts;
        }

        /**
         * Sets minHosts.
         *
         * @param minHosts the value
         */
        public void setMinHosts(Integer minHosts) {
            this.minHosts = minHosts;
        }

        /**
         * Gets strategy.
         *
         * @return the value, null when not set
         */
        public String getStrategy() {
            return strategy;
        }

        /**
         * Sets strategy.
         *
         * @param strategy the value
         */
        public void setStrategy(String strategy) {
            this.strategy = strategy;
        }

        /**
         * Gets choiceCount.
         *
         * @return the value, null when not set
         */
        public Integer getChoiceCount() {
            return choiceCount;
        }

        /**
         * Sets choiceCount.
         *
         * @param choiceCount the value
         */
        public void setChoiceCount(Integer choiceCount) {
            this.choiceCount = choiceCount;
        }

        /**
         * Gets leastConnections.
         *
         * @return the settings, never null
         */
        public LeastConnections getLeastConnections() {
            return leastConnections;
        }

        /**
         * Gets peakEwma.
         *
         * @return the settings, never null
         */
        public PeakEwma getPeakEwma() {
            return peakEwma;
        }

        /**
         * Gets slowStart.
         *
         * @return the settings, never null
         */
        public SlowStart getSlowStart() {
            return slowStart;
        }

        /**
         * Gets consistentHash.
         *
         * @return the settings, never null
         */
        public ConsistentHash getConsistentHash() {
            return consistentHash;
        }

        /**
         * Gets maglev.
         *
         * @return the settings, never null
         */
        public Maglev getMaglev() {
            return maglev;
        }

        /**
         * Gets loadWeighted.
         *
         * @return the settings, never null
         */
        public LoadWeighted getLoadWeighted() {
            return loadWeighted;
        }

        /**
         * Gets failoverZones.
         *
         * @return the value, null when not set
         */
        public List<String> getFailoverZones() {
            return failoverZones;
        }

        /**
         * Sets failoverZones.
         *
         * @param failoverZones the value
         */
        public void setFailoverZones(List<String> failoverZones) {
            this.failoverZones = failoverZones;
        }

        /**
         * Gets overprovisioningFactor.
         *
         * @return the value, null when not set
         */
        public Double getOverprovisioningFactor() {
            return overprovisioningFactor;
        }

        /**
         * Sets overprovisioningFactor.
         *
         * @param overprovisioningFactor the value
         */
        public void setOverprovisioningFactor(Double overprovisioningFactor) {
            this.overprovisioningFactor = overprovisioningFactor;
        }

        /**
         * Gets maxInFlightPerEndpoint.
         *
         * @return the value, null when not set
         */
        public Integer getMaxInFlightPerEndpoint() {
            return maxInFlightPerEndpoint;
        }

        /**
         * Sets maxInFlightPerEndpoint.
         *
         * @param maxInFlightPerEndpoint the value
         */
        public void setMaxInFlightPerEndpoint(Integer maxInFlightPerEndpoint) {
            this.maxInFlightPerEndpoint = maxInFlightPerEndpoint;
        }

        /**
         * Gets metrics.
         *
         * @return the settings, never null
         */
        public Metrics getMetrics() {
            return metrics;
        }

        /**
         * Gets panicThreshold.
         *
         * @return the value, null when not set
         */
        public Double getPanicThreshold() {
            return panicThreshold;
        }

        /**
         * Sets panicThreshold.
         *
         * @param panicThreshold the value
         */
        public void setPanicThreshold(Double panicThreshold) {
            this.panicThreshold = panicThreshold;
        }

        /**
         * Gets latencyDecay.
         *
         * @return the value, null when not set
         */
        public Duration getLatencyDecay() {
            return latencyDecay;
        }

        /**
         * Sets latencyDecay.
         *
         * @param latencyDecay the value
         */
        public void setLatencyDecay(Duration latencyDecay) {
            this.latencyDecay = latencyDecay;
        }

        /**
         * Gets health.
         *
         * @return the settings, never null
         */
        public Health getHealth() {
            return health;
        }

        /**
         * Gets outlier.
         *
         * @return the settings, never null
         */
        public Outlier getOutlier() {
            return outlier;
        }

        /**
         * Gets reconnect.
         *
         * @return the settings, never null
         */
        public Reconnect getReconnect() {
            return reconnect;
        }

        /**
         * Gets retry.
         *
         * @return the settings, never null
         */
        public Retry getRetry() {
            return retry;
        }

        /** The {@code etcd.*} settings. */
        public static final class Etcd {

            /** Creates the settings with nothing set. */
            public Etcd() {
            }

            /** discovery=etcd: etcd client URLs. Default: lb4j.etcd.endpoints. */
            private List<String> endpoints;

            /** discovery=etcd: the key prefix watched. Default: /services/&lt;name&gt;/. */
            private String prefix;

            /** discovery=etcd: timeout of connecting and of each unary call. Default: 5s. */
            private Duration requestTimeout;

            /** discovery=etcd: how long a watch may stay silent before it is read again on a new connection. Default: 60s. */
            private Duration watchTimeout;

            /** discovery=etcd: the first wait before reconnecting after a failure, doubled on each failure. Default: 100ms. */
            private Duration initialBackoff;

            /** discovery=etcd: the cap of the wait before reconnecting. Default: 5s. */
            private Duration maxBackoff;

            /** discovery=etcd: after an outage this long, the whole prefix is read again instead of resuming the watch. Default: 30s. */
            private Duration relistAfter;

            /**
             * Gets endpoints.
             *
             * @return the value, null when not set
             */
            public List<String> getEndpoints() {
                return endpoints;
            }

            /**
             * Sets endpoints.
             *
             * @param endpoints the value
             */
            public void setEndpoints(List<String> endpoints) {
                this.endpoints = endpoints;
            }

            /**
             * Gets prefix.
             *
             * @return the value, null when not set
             */
            public String getPrefix() {
                return prefix;
            }

            /**
             * Sets prefix.
             *
             * @param prefix the value
             */
            public void setPrefix(String prefix) {
                this.prefix = prefix;
            }

            /**
             * Gets requestTimeout.
             *
             * @return the value, null when not set
             */
            public Duration getRequestTimeout() {
                return requestTimeout;
            }

            /**
             * Sets requestTimeout.
             *
             * @param requestTimeout the value
             */
            public void setRequestTimeout(Duration requestTimeout) {
                this.requestTimeout = requestTimeout;
            }

            /**
             * Gets watchTimeout.
             *
             * @return the value, null when not set
             */
            public Duration getWatchTimeout() {
                return watchTimeout;
            }

            /**
             * Sets watchTimeout.
             *
             * @param watchTimeout the value
             */
            public void setWatchTimeout(Duration watchTimeout) {
                this.watchTimeout = watchTimeout;
            }

            /**
             * Gets initialBackoff.
             *
             * @return the value, null when not set
             */
            public Duration getInitialBackoff() {
                return initialBackoff;
            }

            /**
             * Sets initialBackoff.
             *
             * @param initialBackoff the value
             */
            public void setInitialBackoff(Duration initialBackoff) {
                this.initialBackoff = initialBackoff;
            }

            /**
             * Gets maxBackoff.
             *
             * @return the value, null when not set
             */
            public Duration getMaxBackoff() {
                return maxBackoff;
            }

            /**
             * Sets maxBackoff.
             *
             * @param maxBackoff the value
             */
            public void setMaxBackoff(Duration maxBackoff) {
                this.maxBackoff = maxBackoff;
            }

            /**
             * Gets relistAfter.
             *
             * @return the value, null when not set
             */
            public Duration getRelistAfter() {
                return relistAfter;
            }

            /**
             * Sets relistAfter.
             *
             * @param relistAfter the value
             */
            public void setRelistAfter(Duration relistAfter) {
                this.relistAfter = relistAfter;
            }
        }

        /** The {@code dns.*} settings. */
        public static final class Dns {

            /** Creates the settings with nothing set. */
            public Dns() {
            }

            /** discovery=dns: a name whose A/AAAA records are the instances (with dns.port); or use dns.srv. Default: none. */
            private String host;

            /** discovery=dns with dns.host: the port of every address. Default: none. */
            private Integer port;

            /** discovery=dns: an SRV name such as _http._tcp.users.example. Default: none. */
            private String srv;

            /** discovery=dns: the DNS server to ask, ip or ip:port. Default: the system's resolvers. */
            private String server;

            /** discovery=dns: how often to look up again. Default: 30s. */
            private Duration interval;

            /** discovery=dns: how long one query waits before its one retry. Default: 1s. */
            private Duration timeout;

            /** discovery=dns: whether AAAA records are used besides A records. Default: true. */
            private Boolean ipv6;

            /**
             * Gets host.
             *
             * @return the value, null when not set
             */
            public String getHost() {
                return host;
            }

            /**
             * Sets host.
             *
             * @param host the value
             */
            public void setHost(String host) {
                this.host = host;
            }

            /**
             * Gets port.
             *
             * @return the value, null when not set
             */
            public Integer getPort() {
                return port;
            }

            /**
             * Sets port.
             *
             * @param port the value
             */
            public void setPort(Integer port) {
                this.port = port;
            }

            /**
             * Gets srv.
             *
             * @return the value, null when not set
             */
            public String getSrv() {
                return srv;
            }

            /**
             * Sets srv.
             *
             * @param srv the value
             */
            public void setSrv(String srv) {
                this.srv = srv;
            }

            /**
             * Gets server.
             *
             * @return the value, null when not set
             */
            public String getServer() {
                return server;
            }

            /**
             * Sets server.
             *
             * @param server the value
             */
            public void setServer(String server) {
                this.server = server;
            }

            /**
             * Gets interval.
             *
             * @return the value, null when not set
             */
            public Duration getInterval() {
                return interval;
            }

            /**
             * Sets interval.
             *
             * @param interval the value
             */
            public void setInterval(Duration interval) {
                this.interval = interval;
            }

            /**
             * Gets timeout.
             *
             * @return the value, null when not set
             */
            public Duration getTimeout() {
                return timeout;
            }

            /**
             * Sets timeout.
             *
             * @param timeout the value
             */
            public void setTimeout(Duration timeout) {
                this.timeout = timeout;
            }

            /**
             * Gets ipv6.
             *
             * @return the value, null when not set
             */
            public Boolean getIpv6() {
                return ipv6;
            }

            /**
             * Sets ipv6.
             *
             * @param ipv6 the value
             */
            public void setIpv6(Boolean ipv6) {
                this.ipv6 = ipv6;
            }
        }

        /** The {@code file.*} settings. */
        public static final class File {

            /** Creates the settings with nothing set. */
            public File() {
            }

            /** discovery=file: the JSON file (see docs/discovery.md). Default: none. */
            private String path;

            /** discovery=file: the top-level key whose array is read. Default: &lt;name&gt;. */
            private String key;

            /** discovery=file: how often the file is checked besides watch events. Default: 5s. */
            private Duration pollInterval;

            /** discovery=file: whether the platform's watch service reloads promptly. Default: true. */
            private Boolean watch;

            /**
             * Gets path.
             *
             * @return the value, null when not set
             */
            public String getPath() {
                return path;
            }

            /**
             * Sets path.
             *
             * @param path the value
             */
            public void setPath(String path) {
                this.path = path;
            }

            /**
             * Gets key.
             *
             * @return the value, null when not set
             */
            public String getKey() {
                return key;
            }

            /**
             * Sets key.
             *
             * @param key the value
             */
            public void setKey(String key) {
                this.key = key;
            }

            /**
             * Gets pollInterval.
             *
             * @return the value, null when not set
             */
            public Duration getPollInterval() {
                return pollInterval;
            }

            /**
             * Sets pollInterval.
             *
             * @param pollInterval the value
             */
            public void setPollInterval(Duration pollInterval) {
                this.pollInterval = pollInterval;
            }

            /**
             * Gets watch.
             *
             * @return the value, null when not set
             */
            public Boolean getWatch() {
                return watch;
            }

            /**
             * Sets watch.
             *
             * @param watch the value
             */
            public void setWatch(Boolean watch) {
                this.watch = watch;
            }
        }

        /** The {@code zookeeper.*} settings. */
        public static final class Zookeeper {

            /** Creates the settings with nothing set. */
            public Zookeeper() {
            }

            /** discovery=zookeeper: the ensemble, host:port[,host:port...][/chroot]. Default: lb4j.zookeeper.connect-string. */
            private String connectString;

            /** discovery=zookeeper: the parent of the service znodes; the instances are the children of &lt;base-path&gt;/&lt;name&gt;. Default: lb4j.zookeeper.base-path. */
            private String basePath;

            /** discovery=zookeeper: the session timeout asked of the server (which clamps it to its bounds). Default: 30s. */
            private Duration sessionTimeout;

            /** discovery=zookeeper: how long without any server answering before the balancer is told. Default: 15s. */
            private Duration connectTimeout;

            /** discovery=zookeeper: connect to each instance's sslPort instead of its port. Default: false. */
            private Boolean sslPort;

            /**
             * Gets connectString.
             *
             * @return the value, null when not set
             */
            public String getConnectString() {
                return connectString;
            }

            /**
             * Sets connectString.
             *
             * @param connectString the value
             */
            public void setConnectString(String connectString) {
                this.connectString = connectString;
            }

            /**
             * Gets basePath.
             *
             * @return the value, null when not set
             */
            public String getBasePath() {
                return basePath;
            }

            /**
             * Sets basePath.
             *
             * @param basePath the value
             */
            public void setBasePath(String basePath) {
                this.basePath = basePath;
            }

            /**
             * Gets sessionTimeout.
             *
             * @return the value, null when not set
             */
            public Duration getSessionTimeout() {
                return sessionTimeout;
            }

            /**
             * Sets sessionTimeout.
             *
             * @param sessionTimeout the value
             */
            public void setSessionTimeout(Duration sessionTimeout) {
                this.sessionTimeout = sessionTimeout;
            }

            /**
             * Gets connectTimeout.
             *
             * @return the value, null when not set
             */
            public Duration getConnectTimeout() {
                return connectTimeout;
            }

            /**
             * Sets connectTimeout.
             *
             * @param connectTimeout the value
             */
            public void setConnectTimeout(Duration connectTimeout) {
                this.connectTimeout = connectTimeout;
            }

            /**
             * Gets sslPort.
             *
             * @return the value, null when not set
             */
            public Boolean getSslPort() {
                return sslPort;
            }

            /**
             * Sets sslPort.
             *
             * @param sslPort the value
             */
            public void setSslPort(Boolean sslPort) {
                this.sslPort = sslPort;
            }
        }

        /** The {@code least-connections.*} settings. */
        public static final class LeastConnections {

            /** Creates the settings with nothing set. */
            public LeastConnections() {
            }

            /** least-connections: also weigh how long the calls in flight have waited, so that an endpoint whose calls stall loses picks (costs two clock reads per call; see docs/strategies.md). Default: false. */
            private Boolean stallAware;

            /**
             * Gets stallAware.
             *
             * @return the value, null when not set
             */
            public Boolean getStallAware() {
                return stallAware;
            }

            /**
             * Sets stallAware.
             *
             * @param stallAware the value
             */
            public void setStallAware(Boolean stallAware) {
                this.stallAware = stallAware;
            }
        }

        /** The {@code peak-ewma.*} settings. */
        public static final class PeakEwma {

            /** Creates the settings with nothing set. */
            public PeakEwma() {
            }

            /** peak-ewma: how much a recent failure raises an endpoint's cost, as a multiple of the larger compared cost, 0-1000 (0 turns it off; see docs/strategies.md). Default: 1.0. */
            private Double failurePenalty;

            /**
             * Gets failurePenalty.
             *
             * @return the value, null when not set
             */
            public Double getFailurePenalty() {
                return failurePenalty;
            }

            /**
             * Sets failurePenalty.
             *
             * @param failurePenalty the value
             */
            public void setFailurePenalty(Double failurePenalty) {
                this.failurePenalty = failurePenalty;
            }
        }

        /** The {@code slow-start.*} settings. */
        public static final class SlowStart {

            /** Creates the settings with nothing set. */
            public SlowStart() {
            }

            /** weighted-*, least-connections, peak-ewma: how long a new endpoint ramps up. Default: 0s (off). */
            private Duration window;

            /** weighted-*, least-connections, peak-ewma: the share of its traffic a new endpoint starts with. Default: 0.1. */
            private Double minShare;

            /**
             * Gets window.
             *
             * @return the value, null when not set
             */
            public Duration getWindow() {
                return window;
            }

            /**
             * Sets window.
             *
             * @param window the value
             */
            public void setWindow(Duration window) {
                this.window = window;
            }

            /**
             * Gets minShare.
             *
             * @return the value, null when not set
             */
            public Double getMinShare() {
                return minShare;
            }

            /**
             * Sets minShare.
             *
             * @param minShare the value
             */
            public void setMinShare(Double minShare) {
                this.minShare = minShare;
            }
        }

        /** The {@code consistent-hash.*} settings. */
        public static final class ConsistentHash {

            /** Creates the settings with nothing set. */
            public ConsistentHash() {
            }

            /** consistent-hash: ring points of the heaviest endpoint. Default: 1024. */
            private Integer virtualNodes;

            /** consistent-hash: pass calls on from endpoints above their share of the load. Default: false. */
            private Boolean boundedLoad;

            /** consistent-hash with bounded load: how far above its share an endpoint may go. Default: 1.25. */
            private Double balanceFactor;

            /**
             * Gets virtualNodes.
             *
             * @return the value, null when not set
             */
            public Integer getVirtualNodes() {
                return virtualNodes;
            }

            /**
             * Sets virtualNodes.
             *
             * @param virtualNodes the value
             */
            public void setVirtualNodes(Integer virtualNodes) {
                this.virtualNodes = virtualNodes;
            }

            /**
             * Gets boundedLoad.
             *
             * @return the value, null when not set
             */
            public Boolean getBoundedLoad() {
                return boundedLoad;
            }

            /**
             * Sets boundedLoad.
             *
             * @param boundedLoad the value
             */
            public void setBoundedLoad(Boolean boundedLoad) {
                this.boundedLoad = boundedLoad;
            }

            /**
             * Gets balanceFactor.
             *
             * @return the value, null when not set
             */
            public Double getBalanceFactor() {
                return balanceFactor;
            }

            /**
             * Sets balanceFactor.
             *
             * @param balanceFactor the value
             */
            public void setBalanceFactor(Double balanceFactor) {
                this.balanceFactor = balanceFactor;
            }
        }

        /** The {@code maglev.*} settings. */
        public static final class Maglev {

            /** Creates the settings with nothing set. */
            public Maglev() {
            }

            /** maglev: table slots per endpoint, at least, 10-1000 (the table size is a prime; see docs/strategies.md). Default: 100. */
            private Integer tableSizeFactor;

            /** maglev: pass calls on from endpoints above their share of the load. Default: false. */
            private Boolean boundedLoad;

            /** maglev with bounded load: how far above its share an endpoint may go. Default: 1.25. */
            private Double balanceFactor;

            /**
             * Gets tableSizeFactor.
             *
             * @return the value, null when not set
             */
            public Integer getTableSizeFactor() {
                return tableSizeFactor;
            }

            /**
             * Sets tableSizeFactor.
             *
             * @param tableSizeFactor the value
             */
            public void setTableSizeFactor(Integer tableSizeFactor) {
                this.tableSizeFactor = tableSizeFactor;
            }

            /**
             * Gets boundedLoad.
             *
             * @return the value, null when not set
             */
            public Boolean getBoundedLoad() {
                return boundedLoad;
            }

            /**
             * Sets boundedLoad.
             *
             * @param boundedLoad the value
             */
            public void setBoundedLoad(Boolean boundedLoad) {
                this.boundedLoad = boundedLoad;
            }

            /**
             * Gets balanceFactor.
             *
             * @return the value, null when not set
             */
            public Double getBalanceFactor() {
                return balanceFactor;
            }

            /**
             * Sets balanceFactor.
             *
             * @param balanceFactor the value
             */
            public void setBalanceFactor(Double balanceFactor) {
                this.balanceFactor = balanceFactor;
            }
        }

        /** The {@code load-weighted.*} settings. */
        public static final class LoadWeighted {

            /** Creates the settings with nothing set. */
            public LoadWeighted() {
            }

            /** load-weighted: how long a new endpoint's reports are ignored. Default: 10s. */
            private Duration blackout;

            /** load-weighted: how long a report stays valid. Default: 3m. */
            private Duration expiration;

            /** load-weighted: how often weights are recomputed. Default: 1s. */
            private Duration updatePeriod;

            /** load-weighted: how much errors weigh against an endpoint. Default: 1.0. */
            private Double errorPenalty;

            /**
             * Gets blackout.
             *
             * @return the value, null when not set
             */
            public Duration getBlackout() {
                return blackout;
            }

            /**
             * Sets blackout.
             *
             * @param blackout the value
             */
            public void setBlackout(Duration blackout) {
                this.blackout = blackout;
            }

            /**
             * Gets expiration.
             *
             * @return the value, null when not set
             */
            public Duration getExpiration() {
                return expiration;
            }

            /**
             * Sets expiration.
             *
             * @param expiration the value
             */
            public void setExpiration(Duration expiration) {
                this.expiration = expiration;
            }

            /**
             * Gets updatePeriod.
             *
             * @return the value, null when not set
             */
            public Duration getUpdatePeriod() {
                return updatePeriod;
            }

            /**
             * Sets updatePeriod.
             *
             * @param updatePeriod the value
             */
            public void setUpdatePeriod(Duration updatePeriod) {
                this.updatePeriod = updatePeriod;
            }

            /**
             * Gets errorPenalty.
             *
             * @return the value, null when not set
             */
            public Double getErrorPenalty() {
                return errorPenalty;
            }

            /**
             * Sets errorPenalty.
             *
             * @param errorPenalty the value
             */
            public void setErrorPenalty(Double errorPenalty) {
                this.errorPenalty = errorPenalty;
            }
        }

        /** The {@code metrics.*} settings. */
        public static final class Metrics {

            /** Creates the settings with nothing set. */
            public Metrics() {
            }

            /** Per-endpoint meters for at most this many endpoints of the service (with a MeterRegistry only). Default: lb4j.metrics.per-endpoint-meters. */
            private Integer perEndpointMeters;

            /**
             * Gets perEndpointMeters.
             *
             * @return the value, null when not set
             */
            public Integer getPerEndpointMeters() {
                return perEndpointMeters;
            }

            /**
             * Sets perEndpointMeters.
             *
             * @param perEndpointMeters the value
             */
            public void setPerEndpointMeters(Integer perEndpointMeters) {
                this.perEndpointMeters = perEndpointMeters;
            }
        }

        /** The {@code health.*} settings. */
        public static final class Health {

            /** Creates the settings with nothing set. */
            public Health() {
            }

            /** Whether endpoints are probed actively. Default: true when health.path or health.probe is set, else false. */
            private Boolean enabled;

            /** The probe: http or https (GET health.path, healthy iff 200-399; https checks the certificate against the service name) or tcp (a connect). Default: http when health.path is set, else tcp. */
            private String probe;

            /** The path of the http probe, starting with '/'. Default: none. */
            private String path;

            /** Time from the end of one probe of an endpoint to the start of its next. Default: 5s. */
            private Duration interval;

            /** How long a probe may take before it counts as failed. Default: 1s. */
            private Duration timeout;

            /** Spread of each probe delay as a share of the interval. Default: 0.1. */
            private Double jitter;

            /** Failed probes in a row that make an endpoint unhealthy. Default: 3. */
            private Integer unhealthyThreshold;

            /** Passed probes in a row that make an unhealthy endpoint healthy. Default: 2. */
            private Integer healthyThreshold;

            /** Probes in flight at once over all endpoints. Default: 16. */
            private Integer maxConcurrentProbes;

            /**
             * Gets enabled.
             *
             * @return the value, null when not set
             */
            public Boolean getEnabled() {
                return enabled;
            }

            /**
             * Sets enabled.
             *
             * @param enabled the value
             */
            public void setEnabled(Boolean enabled) {
                this.enabled = enabled;
            }

            /**
             * Gets probe.
             *
             * @return the value, null when not set
             */
            public String getProbe() {
                return probe;
            }

            /**
             * Sets probe.
             *
             * @param probe the value
             */
            public void setProbe(String probe) {
                this.probe = probe;
            }

            /**
             * Gets path.
             *
             * @return the value, null when not set
             */
            public String getPath() {
                return path;
            }

            /**
             * Sets path.
             *
             * @param path the value
             */
            public void setPath(String path) {
                this.path = path;
            }

            /**
             * Gets interval.
             *
             * @return the value, null when not set
             */
            public Duration getInterval() {
                return interval;
            }

            /**
             * Sets interval.
             *
             * @param interval the value
             */
            public void setInterval(Duration interval) {
                this.interval = interval;
            }

            /**
             * Gets timeout.
             *
             * @return the value, null when not set
             */
            public Duration getTimeout() {
                return timeout;
            }

            /**
             * Sets timeout.
             *
             * @param timeout the value
             */
            public void setTimeout(Duration timeout) {
                this.timeout = timeout;
            }

            /**
             * Gets jitter.
             *
             * @return the value, null when not set
             */
            public Double getJitter() {
                return jitter;
            }

            /**
             * Sets jitter.
             *
             * @param jitter the value
             */
            public void setJitter(Double jitter) {
                this.jitter = jitter;
            }

            /**
             * Gets unhealthyThreshold.
             *
             * @return the value, null when not set
             */
            public Integer getUnhealthyThreshold() {
                return unhealthyThreshold;
            }

            /**
             * Sets unhealthyThreshold.
             *
             * @param unhealthyThreshold the value
             */
            public void setUnhealthyThreshold(Integer unhealthyThreshold) {
                this.unhealthyThreshold = unhealthyThreshold;
            }

            /**
             * Gets healthyThreshold.
             *
             * @return the value, null when not set
             */
            public Integer getHealthyThreshold() {
                return healthyThreshold;
            }

            /**
             * Sets healthyThreshold.
             *
             * @param healthyThreshold the value
             */
            public void setHealthyThreshold(Integer healthyThreshold) {
                this.healthyThreshold = healthyThreshold;
            }

            /**
             * Gets maxConcurrentProbes.
             *
             * @return the value, null when not set
             */
            public Integer getMaxConcurrentProbes() {
                return maxConcurrentProbes;
            }

            /**
             * Sets maxConcurrentProbes.
             *
             * @param maxConcurrentProbes the value
             */
            public void setMaxConcurrentProbes(Integer maxConcurrentProbes) {
                this.maxConcurrentProbes = maxConcurrentProbes;
            }
        }

        /** The {@code outlier.*} settings. */
        public static final class Outlier {

            /** Creates the settings with nothing set. */
            public Outlier() {
            }

            /** Passive outlier ejection from real call outcomes. Default: true. */
            private Boolean enabled;

            /** Failed calls in a row that eject an endpoint (0 turns the rule off). Default: 5. */
            private Integer consecutiveFailures;

            /** The first ejection's length; the n-th lasts n times as long. Default: 30s. */
            private Duration baseEjectionTime;

            /** The cap of an ejection's length. Default: 300s. */
            private Duration maxEjectionTime;

            /** A random extra of up to this added to each ejection. Default: 0s. */
            private Duration jitter;

            /** The share of endpoints that may be ejected at once, in percent (never under one). Default: 10. */
            private Integer maxEjectionPercent;

            /** How often ejection multipliers decay and the failure-percentage rule is judged. Default: 10s. */
            private Duration interval;

            /** The {@code failure-percentage.*} settings. */
            private final FailurePercentage failurePercentage = new FailurePercentage();

            /** With health checking on: whether a passing probe ends an ejection early. Default: true. */
            private Boolean unEjectOnHealthyProbe;

            /**
             * Gets enabled.
             *
             * @return the value, null when not set
             */
            public Boolean getEnabled() {
                return enabled;
            }

            /**
             * Sets enabled.
             *
             * @param enabled the value
             */
            public void setEnabled(Boolean enabled) {
                this.enabled = enabled;
            }

            /**
             * Gets consecutiveFailures.
             *
             * @return the value, null when not set
             */
            public Integer getConsecutiveFailures() {
                return consecutiveFailures;
            }

            /**
             * Sets consecutiveFailures.
             *
             * @param consecutiveFailures the value
             */
            public void setConsecutiveFailures(Integer consecutiveFailures) {
                this.consecutiveFailures = consecutiveFailures;
            }

            /**
             * Gets baseEjectionTime.
             *
             * @return the value, null when not set
             */
            public Duration getBaseEjectionTime() {
                return baseEjectionTime;
            }

            /**
             * Sets baseEjectionTime.
             *
             * @param baseEjectionTime the value
             */
            public void setBaseEjectionTime(Duration baseEjectionTime) {
                this.baseEjectionTime = baseEjectionTime;
            }

            /**
             * Gets maxEjectionTime.
             *
             * @return the value, null when not set
             */
            public Duration getMaxEjectionTime() {
                return maxEjectionTime;
            }

            /**
             * Sets maxEjectionTime.
             *
             * @param maxEjectionTime the value
             */
            public void setMaxEjectionTime(Duration maxEjectionTime) {
                this.maxEjectionTime = maxEjectionTime;
            }

            /**
             * Gets jitter.
             *
             * @return the value, null when not set
             */
            public Duration getJitter() {
                return jitter;
            }

            /**
             * Sets jitter.
             *
             * @param jitter the value
             */
            public void setJitter(Duration jitter) {
                this.jitter = jitter;
            }

            /**
             * Gets maxEjectionPercent.
             *
             * @return the value, null when not set
             */
            public Integer getMaxEjectionPercent() {
                return maxEjectionPercent;
            }

            /**
             * Sets maxEjectionPercent.
             *
             * @param maxEjectionPercent the value
             */
            public void setMaxEjectionPercent(Integer maxEjectionPercent) {
                this.maxEjectionPercent = maxEjectionPercent;
            }

            /**
             * Gets interval.
             *
             * @return the value, null when not set
             */
            public Duration getInterval() {
                return interval;
            }

            /**
             * Sets interval.
             *
             * @param interval the value
             */
            public void setInterval(Duration interval) {
                this.interval = interval;
            }

            /**
             * Gets failurePercentage.
             *
             * @return the settings, never null
             */
            public FailurePercentage getFailurePercentage() {
                return failurePercentage;
            }

            /**
             * Gets unEjectOnHealthyProbe.
             *
             * @return the value, null when not set
             */
            public Boolean getUnEjectOnHealthyProbe() {
                return unEjectOnHealthyProbe;
            }

            /**
             * Sets unEjectOnHealthyProbe.
             *
             * @param unEjectOnHealthyProbe the value
             */
            public void setUnEjectOnHealthyProbe(Boolean unEjectOnHealthyProbe) {
                this.unEjectOnHealthyProbe = unEjectOnHealthyProbe;
            }

            /** The {@code failure-percentage.*} settings. */
            public static final class FailurePercentage {

                /** Creates the settings with nothing set. */
                public FailurePercentage() {
                }

                /** Eject an endpoint whose calls in an interval failed at least this often, in percent. Default: off. */
                private Integer threshold;

                /** The calls an endpoint needs in an interval before the failure-percentage rule judges it. Default: 50. */
                private Integer minimumRequests;

                /**
                 * Gets threshold.
                 *
                 * @return the value, null when not set
                 */
                public Integer getThreshold() {
                    return threshold;
                }

                /**
                 * Sets threshold.
                 *
                 * @param threshold the value
                 */
                public void setThreshold(Integer threshold) {
                    this.threshold = threshold;
                }

                /**
                 * Gets minimumRequests.
                 *
                 * @return the value, null when not set
                 */
                public Integer getMinimumRequests() {
                    return minimumRequests;
                }

                /**
                 * Sets minimumRequests.
                 *
                 * @param minimumRequests the value
                 */
                public void setMinimumRequests(Integer minimumRequests) {
                    this.minimumRequests = minimumRequests;
                }
            }
        }

        /** The {@code reconnect.*} settings. */
        public static final class Reconnect {

            /** Creates the settings with nothing set. */
            public Reconnect() {
            }

            /** Whether a connection failure takes an endpoint out until a TCP connect succeeds again. Default: true. */
            private Boolean enabled;

            /** The first wait before a reconnect check. Default: 1s. */
            private Duration initialBackoff;

            /** The cap of the wait before a reconnect check. Default: 30s. */
            private Duration maxBackoff;

            /** The growth of the wait per failed check. Default: 1.6. */
            private Double multiplier;

            /** The random spread of each wait, as a share of it. Default: 0.2. */
            private Double jitter;

            /** The timeout of the TCP connect check. Default: 1s. */
            private Duration checkTimeout;

            /**
             * Gets enabled.
             *
             * @return the value, null when not set
             */
            public Boolean getEnabled() {
                return enabled;
            }

            /**
             * Sets enabled.
             *
             * @param enabled the value
             */
            public void setEnabled(Boolean enabled) {
                this.enabled = enabled;
            }

            /**
             * Gets initialBackoff.
             *
             * @return the value, null when not set
             */
            public Duration getInitialBackoff() {
                return initialBackoff;
            }

            /**
             * Sets initialBackoff.
             *
             * @param initialBackoff the value
             */
            public void setInitialBackoff(Duration initialBackoff) {
                this.initialBackoff = initialBackoff;
            }

            /**
             * Gets maxBackoff.
             *
             * @return the value, null when not set
             */
            public Duration getMaxBackoff() {
                return maxBackoff;
            }

            /**
             * Sets maxBackoff.
             *
             * @param maxBackoff the value
             */
            public void setMaxBackoff(Duration maxBackoff) {
                this.maxBackoff = maxBackoff;
            }

            /**
             * Gets multiplier.
             *
             * @return the value, null when not set
             */
            public Double getMultiplier() {
                return multiplier;
            }

            /**
             * Sets multiplier.
             *
             * @param multiplier the value
             */
            public void setMultiplier(Double multiplier) {
                this.multiplier = multiplier;
            }

            /**
             * Gets jitter.
             *
             * @return the value, null when not set
             */
            public Double getJitter() {
                return jitter;
            }

            /**
             * Sets jitter.
             *
             * @param jitter the value
             */
            public void setJitter(Double jitter) {
                this.jitter = jitter;
            }

            /**
             * Gets checkTimeout.
             *
             * @return the value, null when not set
             */
            public Duration getCheckTimeout() {
                return checkTimeout;
            }

            /**
             * Sets checkTimeout.
             *
             * @param checkTimeout the value
             */
            public void setCheckTimeout(Duration checkTimeout) {
                this.checkTimeout = checkTimeout;
            }
        }

        /** The {@code retry.*} settings. */
        public static final class Retry {

            /** Creates the settings with nothing set. */
            public Retry() {
            }

            /** Attempts per call, the first included; 1 disables retries. Default: 3. */
            private Integer maxAttempts;

            /** Statuses (500-599) that are retried on another endpoint. Default: 502,503,504. */
            private List<String> statuses;

            /** The timeout of each attempt; a timed-out attempt is retried elsewhere. Default: none. */
            private Duration perAttemptTimeout;

            /** The {@code backoff.*} settings. */
            private final Backoff backoff = new Backoff();

            /** The longest Retry-After waited for. Default: 3s. */
            private Duration retryAfterCap;

            /** A header whose presence makes a non-idempotent request retryable. Default: none. */
            private String idempotencyKeyHeader;

            /** Retry every method, POST and PATCH included. Default: false. */
            private Boolean allMethods;

            /** Send a hedged attempt to another endpoint after this delay. Default: off. */
            private Duration hedgeAfter;

            /** The {@code budget.*} settings. */
            private final Budget budget = new Budget();

            /**
             * Gets maxAttempts.
             *
             * @return the value, null when not set
             */
            public Integer getMaxAttempts() {
                return maxAttempts;
            }

            /**
             * Sets maxAttempts.
             *
             * @param maxAttempts the value
             */
            public void setMaxAttempts(Integer maxAttempts) {
                this.maxAttempts = maxAttempts;
            }

            /**
             * Gets statuses.
             *
             * @return the value, null when not set
             */
            public List<String> getStatuses() {
                return statuses;
            }

            /**
             * Sets statuses.
             *
             * @param statuses the value
             */
            public void setStatuses(List<String> statuses) {
                this.statuses = statuses;
            }

            /**
             * Gets perAttemptTimeout.
             *
             * @return the value, null when not set
             */
            public Duration getPerAttemptTimeout() {
                return perAttemptTimeout;
            }

            /**
             * Sets perAttemptTimeout.
             *
             * @param perAttemptTimeout the value
             */
            public void setPerAttemptTimeout(Duration perAttemptTimeout) {
                this.perAttemptTimeout = perAttemptTimeout;
            }

            /**
             * Gets backoff.
             *
             * @return the settings, never null
             */
            public Backoff getBackoff() {
                return backoff;
            }

            /**
             * Gets retryAfterCap.
             *
             * @return the value, null when not set
             */
            public Duration getRetryAfterCap() {
                return retryAfterCap;
            }

            /**
             * Sets retryAfterCap.
             *
             * @param retryAfterCap the value
             */
            public void setRetryAfterCap(Duration retryAfterCap) {
                this.retryAfterCap = retryAfterCap;
            }

            /**
             * Gets idempotencyKeyHeader.
             *
             * @return the value, null when not set
             */
            public String getIdempotencyKeyHeader() {
                return idempotencyKeyHeader;
            }

            /**
             * Sets idempotencyKeyHeader.
             *
             * @param idempotencyKeyHeader the value
             */
            public void setIdempotencyKeyHeader(String idempotencyKeyHeader) {
                this.idempotencyKeyHeader = idempotencyKeyHeader;
            }

            /**
             * Gets allMethods.
             *
             * @return the value, null when not set
             */
            public Boolean getAllMethods() {
                return allMethods;
            }

            /**
             * Sets allMethods.
             *
             * @param allMethods the value
             */
            public void setAllMethods(Boolean allMethods) {
                this.allMethods = allMethods;
            }

            /**
             * Gets hedgeAfter.
             *
             * @return the value, null when not set
             */
            public Duration getHedgeAfter() {
                return hedgeAfter;
            }

            /**
             * Sets hedgeAfter.
             *
             * @param hedgeAfter the value
             */
            public void setHedgeAfter(Duration hedgeAfter) {
                this.hedgeAfter = hedgeAfter;
            }

            /**
             * Gets budget.
             *
             * @return the settings, never null
             */
            public Budget getBudget() {
                return budget;
            }

            /** The {@code backoff.*} settings. */
            public static final class Backoff {

                /** Creates the settings with nothing set. */
                public Backoff() {
                }

                /** Base of the exponential backoff with full jitter (0 retries at once). Default: 25ms. */
                private Duration base;

                /** Cap of the backoff. Default: 250ms. */
                private Duration cap;

                /**
                 * Gets base.
                 *
                 * @return the value, null when not set
                 */
                public Duration getBase() {
                    return base;
                }

                /**
                 * Sets base.
                 *
                 * @param base the value
                 */
                public void setBase(Duration base) {
                    this.base = base;
                }

                /**
                 * Gets cap.
                 *
                 * @return the value, null when not set
                 */
                public Duration getCap() {
                    return cap;
                }

                /**
                 * Sets cap.
                 *
                 * @param cap the value
                 */
                public void setCap(Duration cap) {
                    this.cap = cap;
                }
            }

            /** The {@code budget.*} settings. */
            public static final class Budget {

                /** Creates the settings with nothing set. */
                public Budget() {
                }

                /** Whether retries are limited by a budget (false: unlimited). Default: true. */
                private Boolean enabled;

                /** Retries allowed per request over the window. Default: 0.2. */
                private Double ratio;

                /** The window of the retry budget. Default: 10s. */
                private Duration window;

                /** Retries allowed per second of the window whatever the traffic. Default: 10. */
                private Integer minRetriesPerSecond;

                /**
                 * Gets enabled.
                 *
                 * @return the value, null when not set
                 */
                public Boolean getEnabled() {
                    return enabled;
                }

                /**
                 * Sets enabled.
                 *
                 * @param enabled the value
                 */
                public void setEnabled(Boolean enabled) {
                    this.enabled = enabled;
                }

                /**
                 * Gets ratio.
                 *
                 * @return the value, null when not set
                 */
                public Double getRatio() {
                    return ratio;
                }

                /**
                 * Sets ratio.
                 *
                 * @param ratio the value
                 */
                public void setRatio(Double ratio) {
                    this.ratio = ratio;
                }

                /**
                 * Gets window.
                 *
                 * @return the value, null when not set
                 */
                public Duration getWindow() {
                    return window;
                }

                /**
                 * Sets window.
                 *
                 * @param window the value
                 */
                public void setWindow(Duration window) {
                    this.window = window;
                }

                /**
                 * Gets minRetriesPerSecond.
                 *
                 * @return the value, null when not set
                 */
                public Integer getMinRetriesPerSecond() {
                    return minRetriesPerSecond;
                }

                /**
                 * Sets minRetriesPerSecond.
                 *
                 * @param minRetriesPerSecond the value
                 */
                public void setMinRetriesPerSecond(Integer minRetriesPerSecond) {
                    this.minRetriesPerSecond = minRetriesPerSecond;
                }
            }
        }
    }
}
