package io.lb4j.config;

import static io.lb4j.core.internal.Checks.notNull;

import io.lb4j.core.Balancer;
import io.lb4j.core.OutlierEjection;
import io.lb4j.core.ReconnectPolicy;
import io.lb4j.http.RequestKeys;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The typed, checked description of an application's lb4j set-up, read from {@code lb4j.*} keys
 * in a {@link Map} or {@link Properties}: one {@link ServiceConfig} per downstream service and the
 * optional {@link RegistrationConfig} of the application itself. Keys without the {@code lb4j.}
 * prefix are not looked at; every key with it must be documented ({@link Key#all()},
 * docs/configuration.md).
 * <pre>{@code
 * lb4j.services.users.endpoints=10.0.0.1:8080,10.0.0.2:8080
 * lb4j.services.users.strategy=peak-ewma
 * lb4j.services.users.health.path=/healthz
 * lb4j.services.users.retry.max-attempts=3
 * lb4j.services.orders.discovery=etcd
 * lb4j.etcd.endpoints=http://10.0.0.5:2379
 * }</pre>
 * {@code Lb4jRuntime.builder(Lb4jConfig.from(properties)).build()} runs it.
 *
 * <p>Reading is strict: a bad value, a key that does not belong (an etcd setting without
 * discovery=etcd) and an unknown key (a typo) are all reported in one {@link ConfigException},
 * each naming the key, the value and the rule. Names are relaxed as in Spring Boot
 * ({@code maxAttempts}, {@code max_attempts} and {@code max-attempts} are one key); a service name
 * with dots goes in brackets ({@code lb4j.services[users.internal].endpoints}); a list is either
 * comma-separated or indexed ({@code endpoints[0]}, {@code endpoints[1]}).
 *
 * <p>Immutable and thread-safe.
 */
public final class Lb4jConfig {

    /** The prefix of every key read. */
    public static final String PREFIX = "lb4j.";

    private static final String SERVICES = "services";
    private static final String REGISTRATION = "registration";

    private final boolean enabled;
    private final boolean metricsEnabled;
    private final Map<String, ServiceConfig> services;
    private final RegistrationConfig registration;
    private final String hashKeyHeader;
    private final String hashKeyCookie;
    private final String hashKeyQueryParameter;
    private final boolean hashKeyPath;
    private final boolean loadReports;
    private final String loadReportHeader;
    private final boolean serviceHostHeader;

    /** The global keys that services and the registration fall back on. */
    static final class Shared {
        final List<String> etcdEndpoints;
        final ZooKeeperSettings zookeeper;
        final String zone;
        final Integer perEndpointMeters;

        Shared(List<String> etcdEndpoints, ZooKeeperSettings zookeeper, String zone, Integer perEndpointMeters) {
            this.etcdEndpoints = etcdEndpoints;
            this.zookeeper = zookeeper;
            this.zone = zone;
            this.perEndpointMeters = perEndpointMeters;
        }
    }

    private Lb4jConfig(boolean enabled, boolean metricsEnabled, Map<String, ServiceConfig> services, RegistrationConfig registration,
                       Values global, boolean loadReports, String loadReportHeader, boolean serviceHostHeader) {
        this.hashKeyHeader = global.string("http.hash-key-header");
        this.hashKeyCookie = global.string("http.hash-key-cookie");
        this.hashKeyQueryParameter = global.string("http.hash-key-query-parameter");
        this.hashKeyPath = Boolean.TRUE.equals(global.bool("http.hash-key-path"));
        this.serviceHostHeader = serviceHostHeader;
        this.loadReports = loadReports;
        this.loadReportHeader = loadReportHeader;
        this.enabled = enabled;
        this.metricsEnabled = metricsEnabled;
        this.services = services;
        this.registration = registration;
    }

    /**
     * Reads the {@code lb4j.*} entries of {@code properties}; other entries are not looked at.
     *
     * @param properties keys and values, e.g. from a properties file or the environment
     * @return the description
     * @throws ConfigException listing every bad key and value
     * @throws NullPointerException if {@code properties} is null
     */
    public static Lb4jConfig from(Map<String, String> properties) {
        return parse(notNull(properties, "properties"));
    }

    /**
     * Reads the {@code lb4j.*} entries of {@code properties} (their defaults included).
     *
     * @param properties the properties
     * @return the description
     * @throws ConfigException listing every bad key and value
     * @throws NullPointerException if {@code properties} is null
     */
    public static Lb4jConfig from(Properties properties) {
        notNull(properties, "properties");
        Map<String, String> map = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            map.put(name, properties.getProperty(name));
        }
        return parse(map);
    }

    /**
     * Whether lb4j is on ({@code lb4j.enabled}, default true).
     *
     * @return false when switched off
     */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Whether meters are bound to a MeterRegistry when one is given ({@code lb4j.metrics.enabled}, default true).
     *
     * @return the flag
     */
    public boolean metricsEnabled() {
        return metricsEnabled;
    }

    /**
     * Every configured service, by name, in name order.
     *
     * @return an unmodifiable map
     */
    public Map<String, ServiceConfig> services() {
        return services;
    }

    /**
     * One service.
     *
     * @param name the service name
     * @return its description
     * @throws IllegalArgumentException if it is not configured, naming those that are
     */
    public ServiceConfig service(String name) {
        ServiceConfig s = services.get(notNull(name, "name"));
        if (s == null) {
            throw new IllegalArgumentException("service: '" + name + "' (expected one of: " + services.keySet() + ")");
        }
        return s;
    }

    /**
     * The application's own registration.
     *
     * @return the registration, empty unless {@code lb4j.registration.enabled=true}
     */
    public Optional<RegistrationConfig> registration() {
        return Optional.ofNullable(registration);
    }

    /**
     * The request header whose value is a request's key ({@code lb4j.http.hash-key-header}).
     *
     * @return the header name, empty for none
     */
    public Optional<String> hashKeyHeader() {
        return Optional.ofNullable(hashKeyHeader);
    }

    /**
     * The cookie whose value is a request's key ({@code lb4j.http.hash-key-cookie}).
     *
     * @return the cookie name, empty for none
     */
    public Optional<String> hashKeyCookie() {
        return Optional.ofNullable(hashKeyCookie);
    }

    /**
     * The query parameter whose value is a request's key ({@code lb4j.http.hash-key-query-parameter}).
     *
     * @return the parameter name, empty for none
     */
    public Optional<String> hashKeyQueryParameter() {
        return Optional.ofNullable(hashKeyQueryParameter);
    }

    /**
     * Whether a request's path is its key ({@code lb4j.http.hash-key-path}).
     *
     * @return the flag, false by default
     */
    public boolean hashKeyPath() {
        return hashKeyPath;
    }

    /**
     * The request key the HTTP client routes by, from whichever {@code lb4j.http.hash-key-*} key is
     * set (at most one may be): {@link RequestKeys}' header, cookie, query parameter or path key.
     *
     * @return the key function, empty when none is configured
     */
    public Optional<Function<HttpRequest, String>> hashKey() {
        if (hashKeyHeader != null) {
            return Optional.of(RequestKeys.header(hashKeyHeader));
        }
        if (hashKeyCookie != null) {
            return Optional.of(RequestKeys.cookie(hashKeyCookie));
        }
        if (hashKeyQueryParameter != null) {
            return Optional.of(RequestKeys.queryParameter(hashKeyQueryParameter));
        }
        return hashKeyPath ? Optional.of(RequestKeys.path()) : Optional.empty();
    }

    /**
     * Whether backends see the service name as the request's {@code Host}
     * ({@code lb4j.http.service-host-header}, see {@code LoadBalancedHttpClientBuilder.serviceHostHeader}).
     *
     * @return the flag, true by default
     */
    public boolean serviceHostHeader() {
        return serviceHostHeader;
    }

    /**
     * Whether the HTTP client reads load reports from responses ({@code lb4j.http.load-reports}).
     *
     * @return the flag, true by default
     */
    public boolean loadReports() {
        return loadReports;
    }

    /**
     * The header of load reports ({@code lb4j.http.load-report-header}).
     *
     * @return the header name, empty for the client's default
     */
    public Optional<String> loadReportHeader() {
        return Optional.ofNullable(loadReportHeader);
    }

    @Override
    public String toString() {
        return "Lb4jConfig{enabled=" + enabled + ", metrics=" + metricsEnabled + ", services=" + services.values()
                + (registration != null ? ", " + registration : "") + "}";
    }

    private static Lb4jConfig parse(Map<String, String> properties) {
        List<String> problems = new ArrayList<>();
        Values global = new Values(PREFIX, problems);
        Values registration = new Values(PREFIX + REGISTRATION + ".", problems);
        Map<String, Values> services = new TreeMap<>();
        Map<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> e : properties.entrySet()) {
            if (e.getKey() != null && e.getKey().startsWith(PREFIX)) {
                sorted.put(e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            String key = e.getKey();
            if (e.getValue() == null) {
                problems.add(key + " (expected: a value, not null)");
                continue;
            }
            String rest = key.substring(PREFIX.length());
            String head = rest;
            int cut = indexOfAny(rest, ".[");
            if (cut >= 0) {
                head = rest.substring(0, cut);
            }
            String h = Key.relaxed(head);
            if (h.equals(SERVICES)) {
                serviceEntry(key, rest.substring(head.length()), e.getValue(), services, problems);
            } else if (h.equals(REGISTRATION) && cut >= 0 && rest.charAt(cut) == '.') {
                put(registration, Key.Scope.REGISTRATION, key, rest.substring(cut + 1), e.getValue());
            } else {
                put(global, Key.Scope.GLOBAL, key, rest, e.getValue());
            }
        }
        Boolean enabled = global.bool("enabled");
        Boolean metrics = global.bool("metrics.enabled");
        List<String> etcd = global.list("etcd.endpoints");
        String zone = global.string("zone");
        List<String> requestKeys = new ArrayList<>();
        for (String k : List.of("http.hash-key-header", "http.hash-key-cookie", "http.hash-key-query-parameter")) {
            if (global.has(k)) {
                requestKeys.add(k);
            }
        }
        if (Boolean.TRUE.equals(global.bool("http.hash-key-path"))) {
            requestKeys.add("http.hash-key-path");
        }
        for (String k : requestKeys.subList(Math.min(1, requestKeys.size()), requestKeys.size())) {
            global.problem(k, "expected: one request key, but " + requestKeys.size() + " of lb4j.http.hash-key-header, -cookie,"
                    + " -query-parameter and -path are set");
        }
        global.apply("http.hash-key-header", global.string("http.hash-key-header"), RequestKeys::header);
        global.apply("http.hash-key-cookie", global.string("http.hash-key-cookie"), RequestKeys::cookie);
        global.apply("http.hash-key-query-parameter", global.string("http.hash-key-query-parameter"), RequestKeys::queryParameter);
        Boolean serviceHost = global.bool("http.service-host-header");
        Integer perEndpointMeters = global.integer("metrics.per-endpoint-meters");
        global.apply("metrics.per-endpoint-meters", perEndpointMeters, n -> Balancer.builder("lb4j-config-check").perEndpointMeters(n));
        ZooKeeperSettings zookeeper = ZooKeeperSettings.global(global);
        boolean usesZooKeeper = registration.givenAs("registry", "zookeeper")
                || services.values().stream().anyMatch(s -> s.givenAs("discovery", "zookeeper"));
        if (zookeeper.any() && usesZooKeeper && ZooKeeperSupport.missing() == null) {
            ZooKeeperWiring.checkGlobal(global, zookeeper); // once, under the global keys; a missing module is reported by its users
        }
        Shared shared = new Shared(etcd, zookeeper, zone, perEndpointMeters);
        Boolean loadReports = global.bool("http.load-reports");
        String loadReportHeader = global.string("http.load-report-header");
        if (Boolean.FALSE.equals(loadReports) && loadReportHeader != null) {
            global.problem("http.load-report-header", "only with lb4j.http.load-reports=true");
        }
        // one throwaway balancer lends its builders' rules to the checks (no thread, nothing scheduled)
        Balancer validation = Balancer.builder("lb4j-config-check").controlExecutor(Runnable::run)
                .reconnectPolicy(ReconnectPolicy.disabled()).outlierEjection(OutlierEjection.disabled()).build();
        Map<String, ServiceConfig> configs = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Values> s : services.entrySet()) {
                ServiceConfig c = ServiceConfig.read(s.getKey(), s.getValue(), shared, validation);
                if (c != null) {
                    configs.put(s.getKey(), c);
                }
            }
        } finally {
            validation.close();
        }
        RegistrationConfig reg = RegistrationConfig.read(registration, shared);
        if (!problems.isEmpty()) {
            Collections.sort(problems);
            throw new ConfigException(problems);
        }
        return new Lb4jConfig(!Boolean.FALSE.equals(enabled), !Boolean.FALSE.equals(metrics),
                Collections.unmodifiableMap(configs), reg, global, !Boolean.FALSE.equals(loadReports), loadReportHeader,
                !Boolean.FALSE.equals(serviceHost));
    }

    /** {@code rest} is what follows {@code lb4j.services}: {@code .users.endpoints} or {@code [users.internal].endpoints}. */
    private static void serviceEntry(String key, String rest, String value, Map<String, Values> services, List<String> problems) {
        String name;
        String sub;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0 || close + 1 >= rest.length() || rest.charAt(close + 1) != '.') {
                problems.add(key + " (expected: lb4j.services[<name>].<key>, like lb4j.services[users.internal].endpoints)");
                return;
            }
            name = rest.substring(1, close);
            sub = rest.substring(close + 2);
        } else if (rest.startsWith(".")) {
            int dot = rest.indexOf('.', 1);
            if (dot < 0) {
                problems.add(key + " (expected: a key below the service, like " + key + ".endpoints)");
                return;
            }
            name = rest.substring(1, dot);
            sub = rest.substring(dot + 1);
        } else {
            problems.add(key + " (expected: lb4j.services.<name>.<key>, like lb4j.services.users.endpoints)");
            return;
        }
        if (name.isEmpty() || sub.isEmpty()) {
            problems.add(key + " (expected: lb4j.services.<name>.<key>, like lb4j.services.users.endpoints)");
            return;
        }
        String prefix = PREFIX + SERVICES + (name.indexOf('.') >= 0 ? "[" + name + "]." : "." + name + ".");
        for (String known : services.keySet()) {
            if (known.equalsIgnoreCase(name) && !known.equals(name)) {
                problems.add(key + " (service '" + name + "' is also configured as '" + known
                        + "': service names are case-insensitive, use one spelling)");
                return;
            }
        }
        Values v = services.computeIfAbsent(name, n -> new Values(prefix, problems));
        if (!put(v, Key.Scope.SERVICE, key, sub, value) && name.indexOf('.') < 0) {
            int dot = sub.indexOf('.');
            if (dot > 0 && Key.byRelaxedName(Key.Scope.SERVICE).containsKey(Key.relaxed(stripIndex(sub.substring(dot + 1))))) {
                String dotted = name + "." + sub.substring(0, dot);
                problems.set(problems.size() - 1, problems.get(problems.size() - 1).replaceFirst("\\)$",
                        "; a service name with dots goes in brackets: lb4j.services[" + dotted + "]." + sub.substring(dot + 1) + ")"));
            }
        }
    }

    /** Records one entry; false (with a problem recorded) when the key is unknown. */
    private static boolean put(Values v, Key.Scope scope, String fullKey, String sub, String value) {
        Map<String, Key> keys = Key.byRelaxedName(scope);
        String base = sub;
        String bracket = null;
        if (sub.endsWith("]") && sub.indexOf('[') > 0) {
            base = sub.substring(0, sub.indexOf('['));
            bracket = sub.substring(sub.indexOf('[') + 1, sub.length() - 1);
        }
        Key key = keys.get(Key.relaxed(base));
        String entry = null;
        if (key == null || key.type() == Key.Type.MAP) {
            for (Key k : keys.values()) {
                if (k.type() != Key.Type.MAP) {
                    continue;
                }
                String r = Key.relaxed(base);
                String m = Key.relaxed(k.name());
                if (r.equals(m) && bracket != null) {
                    key = k;
                    entry = bracket;
                    bracket = null;
                } else if (r.startsWith(m + ".")) {
                    key = k;
                    entry = sub.substring(k.name().length() + 1);
                    bracket = null;
                }
            }
        }
        if (key == null) {
            v.problems.add(fullKey + ": '" + value + "' (unknown key" + suggestion(scope, base, v.prefix) + ")");
            return false;
        }
        String given = fullKey.substring(0, fullKey.length() - sub.length()) + (entry != null ? key.name() : base);
        int index = -1;
        if (bracket != null) {
            try {
                index = Integer.parseInt(bracket);
            } catch (NumberFormatException e) {
                index = -1;
            }
            if (key.type() != Key.Type.LIST || index < 0) {
                v.problems.add(fullKey + ": '" + value + "' (expected: " + key.type().expected() + " at " + given + ", not an indexed entry)");
                return true;
            }
        }
        Values.Raw raw = v.raw.get(key);
        if (raw == null) {
            raw = new Values.Raw(key, given);
            v.raw.put(key, raw);
        } else if (!raw.given.equals(given)) {
            v.problems.add(fullKey + ": '" + value + "' (given twice, also as " + raw.given + ")");
            return true;
        }
        if (key.type() == Key.Type.MAP) {
            if (entry == null || entry.isEmpty()) {
                v.problems.add(fullKey + ": '" + value + "' (expected: " + key.type().expected() + ")");
            } else {
                raw.entries.put(entry, value);
            }
            return true;
        }
        if (bracket != null) {
            if (raw.scalar != null) {
                v.problems.add(fullKey + ": '" + value + "' (given twice: " + given + " is also set as one value)");
            } else {
                raw.indexed.put(index, value);
            }
            return true;
        }
        if (!raw.indexed.isEmpty()) {
            v.problems.add(fullKey + ": '" + value + "' (given twice: " + given + " is also set as an indexed list)");
        } else {
            raw.scalar = value;
        }
        return true;
    }

    private static String stripIndex(String s) {
        int b = s.indexOf('[');
        return b > 0 && s.endsWith("]") ? s.substring(0, b) : s;
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** "; did you mean lb4j.services.<name>.retry.max-attempts?" for the nearest documented key, or a pointer to the docs. */
    private static String suggestion(Key.Scope scope, String given, String prefix) {
        String r = Key.relaxed(given);
        Key best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Key k : Key.byRelaxedName(scope).values()) {
            int d = distance(r, Key.relaxed(k.name()));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        if (scope == Key.Scope.GLOBAL) {
            for (String group : List.of(SERVICES, REGISTRATION)) {
                String first = r.indexOf('.') >= 0 ? r.substring(0, r.indexOf('.')) : r;
                if (distance(first, group) <= 2) {
                    return "; did you mean " + PREFIX + group + (group.equals(SERVICES) ? ".<name>.<key>" : ".<key>") + "?";
                }
            }
        }
        if (best != null && bestDistance <= Math.max(2, r.length() / 4)) {
            return "; did you mean " + prefix + best.name() + "?";
        }
        return "; the keys are listed in docs/configuration.md";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
