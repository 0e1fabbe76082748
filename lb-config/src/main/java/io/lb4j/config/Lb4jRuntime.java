package io.lb4j.config;

import static io.lb4j.core.internal.Checks.notNull;

import io.lb4j.core.Balancer;
import io.lb4j.core.BalancerBuilder;
import io.lb4j.health.HealthChecker;
import io.lb4j.health.HealthCheckerBuilder;
import io.lb4j.health.OutlierDetector;
import io.lb4j.health.OutlierDetectorBuilder;
import io.lb4j.http.LoadBalancedHttpClient;
import io.lb4j.http.LoadBalancedHttpClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link Lb4jConfig}: one {@link Balancer} per service with its source, a
 * {@link HealthChecker} where health checking is on, an {@link OutlierDetector} where outlier
 * ejection is on (linked to the checker, so that a passing probe ends an ejection), one
 * {@link LoadBalancedHttpClient} for every service with its retry policy, and the application's
 * {@link InstanceRegistration} in etcd or ZooKeeper.
 *
 * <p>{@link #close()} stops them in the order that keeps callers safe: the registration first
 * (its key or znode drains, then disappears, so other instances stop routing here while this one still serves), then
 * the HTTP client (calls in progress finish), the detectors and checkers, and the balancers with
 * their sources last.
 *
 * <p>Thread-safe.
 * <pre>{@code
 * Lb4jConfig config = Lb4jConfig.from(properties);
 * try (Lb4jRuntime lb = Lb4jRuntime.builder(config).build()) {
 *     HttpResponse<String> r = lb.client().orElseThrow().send(
 *             HttpRequest.newBuilder(URI.create("http://users/hello")).build(), BodyHandlers.ofString());
 * }
 * }</pre>
 */
public final class Lb4jRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Lb4jRuntime.class);

    private final Lb4jConfig config;
    private final Map<String, Balancer> balancers;
    private final Map<String, HealthChecker> checkers;
    private final Map<String, OutlierDetector> detectors;
    private final LoadBalancedHttpClient client;
    private InstanceRegistration registration;
    private boolean closed;

    private Lb4jRuntime(Lb4jConfig config, Map<String, Balancer> balancers, Map<String, HealthChecker> checkers,
                        Map<String, OutlierDetector> detectors, LoadBalancedHttpClient client) {
        this.config = config;
        this.balancers = Collections.unmodifiableMap(balancers);
        this.checkers = Collections.unmodifiableMap(checkers);
        this.detectors = Collections.unmodifiableMap(detectors);
        this.client = client;
    }

    /**
     * A builder running {@code config}.
     *
     * @param config the description
     * @return a new builder
     * @throws NullPointerException if {@code config} is null
     */
    public static Builder builder(Lb4jConfig config) {
        return new Builder(notNull(config, "config"));
    }

    /**
     * The description this runtime runs.
     *
     * @return the configuration
     */
    public Lb4jConfig config() {
        return config;
    }

    /**
     * Every balancer, by service name, in name order.
     *
     * @return an unmodifiable map
     */
    public Map<String, Balancer> balancers() {
        return balancers;
    }

    /**
     * The balancer of one service.
     *
     * @param service the service name
     * @return the balancer
     * @throws IllegalArgumentException if the service is not configured
     */
    public Balancer balancer(String service) {
        Balancer b = balancers.get(notNull(service, "service"));
        if (b == null) {
            throw new IllegalArgumentException("service: '" + service + "' (expected one of: " + balancers.keySet() + ")");
        }
        return b;
    }

    /**
     * The health checker of one service.
     *
     * @param service the service name
     * @return the checker, empty when health checking is off for it
     */
    public Optional<HealthChecker> healthChecker(String service) {
        return Optional.ofNullable(checkers.get(service));
    }

    /**
     * The outlier detector of one service.
     *
     * @param service the service name
     * @return the detector, empty when outlier ejection is off for it
     */
    public Optional<OutlierDetector> outlierDetector(String service) {
        return Optional.ofNullable(detectors.get(service));
    }

    /**
     * The HTTP client that balances {@code http://<service>/...} requests over every configured service.
     *
     * @return the client, empty when no service is configured
     */
    public Optional<LoadBalancedHttpClient> client() {
        return Optional.ofNullable(client);
    }

    /**
     * The application's registration.
     *
     * @return the registration, empty until {@link #register(int)} (or a build that registered) and after {@link #deregister()}
     */
    public synchronized Optional<InstanceRegistration> registration() {
        return Optional.ofNullable(registration);
    }

    /**
     * Starts the configured registration on {@code port} (a configured {@code lb4j.registration.port} wins).
     *
     * @param port the port the application listens on, or 0 to use the configured one
     * @return the registration, registering in the background
     * @throws IllegalStateException if registration is off, already started, this runtime is closed, or no port is known
     */
    public synchronized InstanceRegistration register(int port) {
        RegistrationConfig r = config.registration()
                .orElseThrow(() -> new IllegalStateException("registration is off (expected: lb4j.registration.enabled=true)"));
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (registration != null) {
            throw new IllegalStateException("already registered as " + registration.location());
        }
        registration = r.register(port);
        return registration;
    }

    /**
     * Closes the registration, if any (it drains, then its key or znode disappears); the balancers
     * and the client keep working. Idempotent.
     */
    public void deregister() {
        InstanceRegistration r;
        synchronized (this) {
            r = registration;
            registration = null;
        }
        if (r != null) {
            closeQuietly(r, "registration " + r.location());
        }
    }

    /**
     * Closes everything, the registration first and the balancers last (see the class doc). Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        deregister();
        if (client != null) {
            closeQuietly(client, "HTTP client");
        }
        detectors.forEach((name, d) -> closeQuietly(d, "outlier detector of " + name));
        checkers.forEach((name, c) -> closeQuietly(c, "health checker of " + name));
        balancers.forEach((name, b) -> closeQuietly(b, "balancer of " + name));
    }

    private static void closeQuietly(AutoCloseable c, String what) {
        try {
            c.close();
        } catch (Exception | LinkageError e) {
            log.warn("closing the {} failed: {}", what, e.toString());
        }
    }

    @Override
    public String toString() {
        return "Lb4jRuntime{services=" + balancers.keySet() + ", health=" + checkers.keySet() + "}";
    }

    /** Builds and starts an {@link Lb4jRuntime}. Not thread-safe. */
    public static final class Builder {
        private final Lb4jConfig config;
        private HttpClient httpClient;
        private Object meterRegistry;
        private boolean register = true;

        private Builder(Lb4jConfig config) {
            this.config = config;
        }

        /**
         * The client that sends every attempt (its executor, proxy, TLS and timeouts apply);
         * default {@code HttpClient.newHttpClient()}. The runtime does not close it.
         *
         * @param httpClient the delegate
         * @return this builder
         */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = notNull(httpClient, "httpClient");
            return this;
        }

        /**
         * Binds the meters of the balancers (with per-endpoint meters where
         * {@code metrics.per-endpoint-meters} asks for them), the HTTP client and the health
         * checkers to {@code registry} (unless {@code lb4j.metrics.enabled=false}); see
         * docs/metrics.md for the names. Without this call no Micrometer class is loaded.
         *
         * @param registry the registry
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = notNull(registry, "meterRegistry");
            return this;
        }

        /**
         * Whether {@link #build()} starts the registration when its port is configured; default
         * true. A framework that knows the port only later (a web server on a random port)
         * turns this off and calls {@link Lb4jRuntime#register(int)}.
         *
         * @param register the flag
         * @return this builder
         */
        public Builder registerOnBuild(boolean register) {
            this.register = register;
            return this;
        }

        /**
         * Builds and starts everything the configuration describes; on a failure, what was
         * already started is closed again.
         *
         * @return the running runtime
         * @throws IllegalStateException if lb4j is disabled ({@code lb4j.enabled=false})
         * @throws RuntimeException whatever a builder or source throws on start
         */
        public Lb4jRuntime build() {
            if (!config.enabled()) {
                throw new IllegalStateException("lb4j.enabled is false");
            }
            Object registry = config.metricsEnabled() ? meterRegistry : null;
            Map<String, Balancer> balancers = new LinkedHashMap<>();
            Map<String, HealthChecker> checkers = new LinkedHashMap<>();
            Map<String, OutlierDetector> detectors = new LinkedHashMap<>();
            List<AutoCloseable> started = new ArrayList<>();
            try {
                for (ServiceConfig s : config.services().values()) {
                    BalancerBuilder bb = s.balancerBuilder();
                    if (registry != null) {
                        Meters.bind(bb, registry); // the balancer's own meters, ejections included
                        if (s.perEndpointMeters() > 0) {
                            bb.perEndpointMeters(s.perEndpointMeters());
                        }
                    }
                    Balancer b = bb.build();
                    started.add(b);
                    balancers.put(s.name(), b);
                    HealthChecker checker = null;
                    if (s.health().isPresent()) {
                        HealthCheckerBuilder hb = s.health().get().configure(HealthChecker.builder(b));
                        if (registry != null) {
                            Meters.bind(hb, registry);
                        }
                        checker = hb.build();
                        started.add(checker);
                        checker.start();
                        checkers.put(s.name(), checker);
                    }
                    if (s.outlierEjection().enabled()) {
                        OutlierDetectorBuilder ob = OutlierDetector.builder(b)
                                .consecutiveFailures(s.outlierEjection().consecutiveFailures())
                                .baseEjectionTime(s.outlierEjection().baseEjectionTime())
                                .maxEjectionTime(s.outlierEjection().maxEjectionTime())
                                .jitter(s.outlierEjection().jitter())
                                .maxEjectionPercent(s.outlierEjection().maxEjectionPercent())
                                .interval(s.outlierEjection().interval())
                                .unEjectOnHealthyProbe(s.unEjectOnHealthyProbe());
                        if (s.outlierEjection().failurePercentageThreshold() > 0) {
                            ob.failurePercentage(s.outlierEjection().failurePercentageThreshold(),
                                    s.outlierEjection().failurePercentageMinimumRequests());
                        }
                        if (checker != null) {
                            ob.healthChecker(checker);
                        }
                        OutlierDetector d = ob.build();
                        started.add(d);
                        detectors.put(s.name(), d);
                    }
                }
                LoadBalancedHttpClient client = null;
                if (!balancers.isEmpty()) {
                    LoadBalancedHttpClientBuilder cb = LoadBalancedHttpClient.builder(httpClient != null ? httpClient : HttpClient.newHttpClient());
                    for (ServiceConfig s : config.services().values()) {
                        cb.service(balancers.get(s.name()), s.retryPolicy());
                    }
                    config.hashKey().ifPresent(cb::hashKey);
                    cb.serviceHostHeader(config.serviceHostHeader());
                    if (!config.loadReports()) {
                        cb.noLoadReports();
                    } else {
                        config.loadReportHeader().ifPresent(cb::loadReportHeader);
                    }
                    if (registry != null) {
                        Meters.bind(cb, registry);
                    }
                    client = cb.build();
                    started.add(client);
                }
                Lb4jRuntime runtime = new Lb4jRuntime(config, balancers, checkers, detectors, client);
                if (register && config.registration().isPresent() && config.registration().get().port().isPresent()) {
                    runtime.register(0);
                }
                return runtime;
            } catch (RuntimeException | Error e) {
                Collections.reverse(started);
                for (AutoCloseable c : started) {
                    try {
                        c.close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
        }
    }

    /** The only place that names Micrometer types at run time: loaded only when a registry was given. */
    private static final class Meters {
        private Meters() {}

        static void bind(HealthCheckerBuilder b, Object registry) {
            b.meterRegistry((MeterRegistry) registry);
        }

        static void bind(BalancerBuilder b, Object registry) {
            b.meterRegistry((MeterRegistry) registry);
        }

        static void bind(LoadBalancedHttpClientBuilder b, Object registry) {
            b.meterRegistry((MeterRegistry) registry);
        }
    }
}
