package io.lb4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Endpoint;
import io.lb4j.core.OutlierEjection;
import io.lb4j.core.ReconnectPolicy;
import io.lb4j.http.RetryBudget;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The configuration table: property sets and the description, or the error, each gives. */
class Lb4jConfigTest {

    private static final String U = "lb4j.services.users.";

    /** Properties from alternating keys and values. */
    static Map<String, String> props(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static Arguments valid(String what, Map<String, String> props, Function<Lb4jConfig, Object> read, Object expected) {
        return Arguments.of(what, props, read, expected);
    }

    static Stream<Arguments> validSets() {
        return Stream.of(
                valid("static list, defaults elsewhere", props(U + "endpoints", "10.0.0.1:8080, 10.0.0.2:8080"),
                        c -> c.service("users").endpoints(), List.of(Endpoint.of("10.0.0.1", 8080), Endpoint.of("10.0.0.2", 8080))),
                valid("default strategy is round-robin", props(U + "endpoints", "10.0.0.1:8080"),
                        c -> c.service("users").strategyName() + " " + c.service("users").strategy(), "round-robin round-robin"),
                valid("indexed list, as YAML lists arrive from Spring", props(U + "endpoints[1]", "10.0.0.2:8080", U + "endpoints[0]", "10.0.0.1:8080"),
                        c -> c.service("users").endpoints(), List.of(Endpoint.of("10.0.0.1", 8080), Endpoint.of("10.0.0.2", 8080))),
                valid("strategy by name with its settings", props(U + "endpoints", "a.test:1", U + "strategy", "peak-ewma", U + "choice-count", "3",
                        U + "slow-start.window", "30s"),
                        c -> c.service("users").strategy().toString(), "peak-ewma{choiceCount=3, SlowStart{window=PT30S, minShare=0.1}}"),
                valid("consistent hash settings", props(U + "endpoints", "a.test:1", U + "strategy", "consistent-hash",
                        U + "consistent-hash.bounded-load", "true", U + "consistent-hash.balance-factor", "1.5"),
                        c -> c.service("users").strategy().toString(), "consistent-hash{virtualNodes=1024, balanceFactor=1.5}"),
                valid("maglev settings", props(U + "endpoints", "a.test:1", U + "strategy", "maglev", U + "maglev.table-size-factor", "200",
                        U + "maglev.bounded-load", "true", U + "maglev.balance-factor", "1.5"),
                        c -> c.service("users").strategy().toString(), "maglev{tableSizeFactor=200, balanceFactor=1.5}"),
                valid("maglev by name alone is the shared default", props(U + "endpoints", "a.test:1", U + "strategy", "maglev"),
                        c -> c.service("users").strategy(), io.lb4j.strategies.Strategies.maglev()),
                valid("health path means an http probe", props(U + "endpoints", "a.test:1", U + "health.path", "/healthz", U + "health.interval", "2s"),
                        c -> c.service("users").health().orElseThrow().toString(),
                        "health{probe=http /healthz, interval=PT2S, timeout=PT1S, unhealthyThreshold=3, healthyThreshold=2}"),
                valid("health enabled alone means a tcp probe", props(U + "endpoints", "a.test:1", U + "health.enabled", "true"),
                        c -> c.service("users").health().orElseThrow().probe(), HealthConfig.ProbeKind.TCP),
                valid("no health key, no health checking", props(U + "endpoints", "a.test:1"),
                        c -> c.service("users").health().isPresent(), false),
                valid("retry settings", props(U + "endpoints", "a.test:1", U + "retry.max-attempts", "2", U + "retry.statuses", "503",
                        U + "retry.per-attempt-timeout", "500ms", U + "retry.backoff.base", "0ms"),
                        c -> c.service("users").retryPolicy().maxAttempts() + " " + c.service("users").retryPolicy().retryStatuses() + " "
                                + c.service("users").retryPolicy().perAttemptTimeout() + " " + c.service("users").retryPolicy().backoffBase(),
                        "2 [503] PT0.5S PT0S"),
                valid("relaxed names: camelCase and snake_case are the same key", props(U + "retry.maxAttempts", "4", U + "Endpoints", "a.test:1",
                        U + "panic_threshold", "0.25"),
                        c -> c.service("users").retryPolicy().maxAttempts() + " " + c.service("users").panicThreshold(), "4 0.25"),
                valid("retry budget off is unlimited", props(U + "endpoints", "a.test:1", U + "retry.budget.enabled", "false"),
                        c -> c.service("users").retryPolicy().budget(), RetryBudget.unlimited()),
                valid("retry budget settings keep the other defaults", props(U + "endpoints", "a.test:1", U + "retry.budget.ratio", "0.1"),
                        c -> c.service("users").retryPolicy().budget().toString(), "RetryBudget{ratio=0.1, window=PT10S, minRetriesPerSecond=" + RetryBudget.ofDefaults().minRetriesPerSecond() + "}"),
                valid("outlier ejection off", props(U + "endpoints", "a.test:1", U + "outlier.enabled", "false"),
                        c -> c.service("users").outlierEjection(), OutlierEjection.disabled()),
                valid("outlier settings and the failure-percentage rule", props(U + "endpoints", "a.test:1", U + "outlier.consecutive-failures", "3",
                        U + "outlier.base-ejection-time", "PT10S", U + "outlier.failure-percentage.threshold", "80"),
                        c -> c.service("users").outlierEjection().toString(),
                        "OutlierEjection{consecutiveFailures=3, baseEjectionTime=PT10S, maxEjectionTime=PT5M, jitter=PT0S, maxEjectionPercent=10,"
                                + " interval=PT10S, failurePercentage=80% of >= 50}"),
                valid("reconnect off", props(U + "endpoints", "a.test:1", U + "reconnect.enabled", "false"),
                        c -> c.service("users").reconnectPolicy(), ReconnectPolicy.disabled()),
                valid("reconnect backoff keeps the other bound's default", props(U + "endpoints", "a.test:1", U + "reconnect.initial-backoff", "200ms"),
                        c -> c.service("users").reconnectPolicy().initialBackoff() + " " + c.service("users").reconnectPolicy().maxBackoff(), "PT0.2S PT30S"),
                valid("etcd discovery takes the shared etcd endpoints", props(U + "discovery", "etcd", "lb4j.etcd.endpoints", "http://127.0.0.1:2379,http://127.0.0.2:2379"),
                        c -> c.service("users").discovery().toString(), "etcd{endpoints=[http://127.0.0.1:2379, http://127.0.0.2:2379]}"),
                valid("a service's own etcd endpoints win", props(U + "discovery", "ETCD", U + "etcd.endpoints", "http://127.0.0.9:2379",
                        "lb4j.etcd.endpoints", "http://127.0.0.1:2379"),
                        c -> c.service("users").discovery().etcdEndpoints().orElseThrow(), List.of("http://127.0.0.9:2379")),
                valid("etcd reconnects and re-lists as configured", props(U + "discovery", "etcd", U + "etcd.initial-backoff", "50ms",
                        U + "etcd.max-backoff", "2s", U + "etcd.relist-after", "10s"),
                        c -> c.service("users").discovery().newSource().getClass().getSimpleName(), "DefaultEtcdSource"),
                valid("dns A records", props(U + "discovery", "dns", U + "dns.host", "users.test", U + "dns.port", "8080", U + "dns.server", "127.0.0.1:5353"),
                        c -> c.service("users").discovery().toString(), "dns{host=users.test, port=8080}"),
                valid("dns SRV records", props(U + "discovery", "dns", U + "dns.srv", "_http._tcp.users.test"),
                        c -> c.service("users").discovery().dnsName().orElseThrow(), "_http._tcp.users.test"),
                valid("file discovery reads the service's array by default", props(U + "discovery", "file", U + "file.path", "/etc/lb/endpoints.json"),
                        c -> c.service("users").discovery().toString(), "file{path=" + Path.of("/etc/lb/endpoints.json") + ", key=users}"),
                valid("a service name with dots in brackets", props("lb4j.services[users.internal].endpoints", "a.test:1"),
                        c -> c.services().keySet(), Set.of("users.internal")),
                valid("other keys are not looked at", props("spring.application.name", "x", "lb4jx.y", "z", U + "endpoints", "a.test:1"),
                        c -> c.services().keySet(), Set.of("users")),
                valid("nothing configured", props(),
                        c -> c.services().isEmpty() + " " + c.registration().isPresent() + " " + c.enabled(), "true false true"),
                valid("registration", props("lb4j.registration.enabled", "true", "lb4j.registration.service", "orders",
                        "lb4j.registration.host", "127.0.0.1", "lb4j.registration.port", "8081", "lb4j.registration.health-path", "/healthz",
                        "lb4j.registration.metadata.version", "42", "lb4j.etcd.endpoints", "http://127.0.0.1:2379"),
                        c -> c.registration().orElseThrow().toString(),
                        "RegistrationConfig{service=orders, host=127.0.0.1, port=8081, ttl=default, metadata={version=42, health-path=/healthz},"
                                + " etcd=[http://127.0.0.1:2379]}"),
                valid("registration port may come at run time", props("lb4j.registration.enabled", "true", "lb4j.registration.service", "orders"),
                        c -> c.registration().orElseThrow().port().isPresent(), false),
                valid("https probe", props(U + "endpoints", "a.test:1", U + "health.probe", "https", U + "health.path", "/healthz"),
                        c -> c.service("users").health().orElseThrow().probe(), HealthConfig.ProbeKind.HTTPS),
                valid("a floor for discovery answers", props(U + "discovery", "etcd", U + "min-hosts", "2", U + "etcd.watch-timeout", "30s"),
                        c -> c.service("users").discovery().kind(), DiscoveryConfig.Kind.ETCD),
                valid("registration drain period", props("lb4j.registration.enabled", "true", "lb4j.registration.service", "orders",
                        "lb4j.registration.drain-period", "0s"),
                        c -> c.registration().orElseThrow().drainPeriod().orElseThrow(), Duration.ZERO),
                valid("zone-aware routing", props("lb4j.zone", "eu-1a", U + "endpoints", "a.test:1", U + "failover-zones", "eu-1b,eu-1c",
                        U + "max-in-flight-per-endpoint", "100"),
                        c -> c.service("users").localZone().orElseThrow() + " " + c.service("users").maxInFlightPerEndpoint(), "eu-1a 100"),
                valid("load-weighted strategy settings", props(U + "endpoints", "a.test:1", U + "strategy", "load-weighted",
                        U + "load-weighted.blackout", "5s"),
                        c -> c.service("users").strategyName(), "load-weighted"),
                valid("request keys from a header", props("lb4j.http.hash-key-header", "X-User", U + "endpoints", "a.test:1"),
                        c -> c.hashKeyHeader().orElseThrow(), "X-User"),
                valid("durations in every unit", props(U + "endpoints", "a.test:1", U + "latency-decay", "1m"),
                        c -> c.service("users").latencyDecay(), Duration.ofMinutes(1)),
                valid("least-connections weighing stalled calls", props(U + "endpoints", "a.test:1", U + "strategy", "least-connections",
                        U + "least-connections.stall-aware", "true"),
                        c -> c.service("users").strategy().toString() + " " + c.service("users").strategy().bookkeeping(),
                        "least-connections{choiceCount=2, stallAware} [IN_FLIGHT, LATENCY, PENDING_TIMES]"),
                valid("least-connections not weighing stalled calls, as by default", props(U + "endpoints", "a.test:1", U + "strategy", "least-connections",
                        U + "least-connections.stall-aware", "false"),
                        c -> c.service("users").strategy().toString() + " " + c.service("users").strategy().bookkeeping(),
                        "least-connections{choiceCount=2} [IN_FLIGHT]"),
                valid("peak-ewma's failure penalty", props(U + "endpoints", "a.test:1", U + "strategy", "peak-ewma", U + "peak-ewma.failure-penalty", "0.5"),
                        c -> c.service("users").strategy().toString(), "peak-ewma{choiceCount=2, failurePenalty=0.5}"),
                valid("peak-ewma's failure penalty off", props(U + "endpoints", "a.test:1", U + "strategy", "peak-ewma", U + "peak-ewma.failurePenalty", "0"),
                        c -> c.service("users").strategy().toString(), "peak-ewma{choiceCount=2, failurePenalty=0.0}"),
                valid("per-endpoint meters for every service, one service's own cap winning", props("lb4j.metrics.per-endpoint-meters", "20",
                        U + "endpoints", "a.test:1", "lb4j.services.orders.endpoints", "b.test:1", "lb4j.services.orders.metrics.per-endpoint-meters", "0"),
                        c -> c.service("users").perEndpointMeters() + " " + c.service("orders").perEndpointMeters(), "20 0"),
                valid("no per-endpoint meters by default", props(U + "endpoints", "a.test:1"),
                        c -> c.service("users").perEndpointMeters(), 0),
                valid("a passing probe ends an ejection unless told otherwise", props(U + "endpoints", "a.test:1", U + "health.path", "/h"),
                        c -> c.service("users").unEjectOnHealthyProbe(), true),
                valid("ejections that wait out their time despite passing probes", props(U + "endpoints", "a.test:1", U + "health.path", "/h",
                        U + "outlier.un-eject-on-healthy-probe", "false"),
                        c -> c.service("users").unEjectOnHealthyProbe(), false),
                valid("the service name as Host by default", props(U + "endpoints", "a.test:1"),
                        c -> c.serviceHostHeader(), true),
                valid("the endpoint's address as Host", props(U + "endpoints", "a.test:1", "lb4j.http.service-host-header", "false"),
                        c -> c.serviceHostHeader(), false),
                valid("request keys from a cookie", props("lb4j.http.hash-key-cookie", "session", U + "endpoints", "a.test:1"),
                        c -> c.hashKey().orElseThrow().apply(HttpRequest.newBuilder(URI.create("http://users/x"))
                                .header("Cookie", "theme=dark; session=\"s-42\"").build()), "s-42"),
                valid("request keys from a query parameter", props("lb4j.http.hash-key-query-parameter", "user", U + "endpoints", "a.test:1"),
                        c -> c.hashKey().orElseThrow().apply(HttpRequest.newBuilder(URI.create("http://users/x?a=1&user=ann%20b")).build()), "ann b"),
                valid("request keys from the path", props("lb4j.http.hash-key-path", "true", U + "endpoints", "a.test:1"),
                        c -> c.hashKey().orElseThrow().apply(HttpRequest.newBuilder(URI.create("http://users/carts/7?x=1")).build()), "/carts/7"),
                valid("request keys from a header, through the same function", props("lb4j.http.hash-key-header", "X-User", U + "endpoints", "a.test:1"),
                        c -> c.hashKey().orElseThrow().apply(HttpRequest.newBuilder(URI.create("http://users/x")).header("x-user", "u7").build()), "u7"),
                valid("no request key by default", props(U + "endpoints", "a.test:1", "lb4j.http.hash-key-path", "false"),
                        c -> c.hashKey().isPresent(), false),
                valid("zookeeper discovery with its defaults", props(U + "discovery", "zookeeper"),
                        c -> c.service("users").discovery().toString(), "zookeeper{connectString=default}"),
                valid("zookeeper discovery takes the shared ensemble and base path", props(U + "discovery", "zookeeper",
                        "lb4j.zookeeper.connect-string", "zk1:2181,zk2:2181/apps", "lb4j.zookeeper.base-path", "/discovery"),
                        c -> c.service("users").discovery().toString(), "zookeeper{connectString=zk1:2181,zk2:2181/apps, basePath=/discovery}"),
                valid("a service's own ensemble wins, with its own settings", props(U + "discovery", "ZooKeeper", U + "zookeeper.connect-string", "127.0.0.9:2181",
                        "lb4j.zookeeper.connect-string", "zk1:2181", U + "zookeeper.session-timeout", "10s", U + "zookeeper.connect-timeout", "2s",
                        U + "zookeeper.ssl-port", "true", U + "min-hosts", "2"),
                        c -> c.service("users").discovery().zooKeeperConnectString().orElseThrow() + " " + c.service("users").discovery(),
                        "127.0.0.9:2181 zookeeper{connectString=127.0.0.9:2181, sslPort}"),
                valid("zookeeper registration", props("lb4j.registration.enabled", "true", "lb4j.registration.service", "orders",
                        "lb4j.registration.registry", "zookeeper", "lb4j.registration.port", "8081", "lb4j.registration.id", "orders-1",
                        "lb4j.zookeeper.connect-string", "127.0.0.1:2181", "lb4j.registration.zookeeper.payload-class", "java.util.LinkedHashMap",
                        "lb4j.registration.zookeeper.session-timeout", "5s", "lb4j.registration.drain-period", "1s"),
                        c -> c.registration().orElseThrow().registry() + " " + c.registration().orElseThrow(),
                        "ZOOKEEPER RegistrationConfig{registry=zookeeper, service=orders, host=local, port=8081, id=orders-1, drainPeriod=PT1S,"
                                + " metadata={}, zookeeper{connectString=127.0.0.1:2181, payloadClass=java.util.LinkedHashMap}}"),
                valid("etcd registration by default", props("lb4j.registration.enabled", "true", "lb4j.registration.service", "orders"),
                        c -> c.registration().orElseThrow().registry(), RegistrationConfig.Registry.ETCD));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validSets")
    void validPropertySetGivesTheDescription(String what, Map<String, String> props, Function<Lb4jConfig, Object> read, Object expected) {
        assertThat(read.apply(Lb4jConfig.from(props))).isEqualTo(expected);
    }

    static Stream<Arguments> invalidSets() {
        return Stream.of(
                Arguments.of("a typo in a key", props(U + "endpoints", "a.test:1", U + "retry.max-attempt", "3"),
                        List.of("lb4j.services.users.retry.max-attempt: '3' (unknown key; did you mean lb4j.services.users.retry.max-attempts?)")),
                Arguments.of("an unknown key far from any", props(U + "endpoints", "a.test:1", U + "colour", "blue"),
                        List.of("lb4j.services.users.colour: 'blue' (unknown key; the keys are listed in docs/configuration.md)")),
                Arguments.of("a typo in the services group", props("lb4j.service.users.endpoints", "a.test:1"),
                        List.of("lb4j.service.users.endpoints: 'a.test:1' (unknown key; did you mean lb4j.services.<name>.<key>?)")),
                Arguments.of("a dotted service name without brackets", props("lb4j.services.users.internal.endpoints", "a.test:1"),
                        List.of("lb4j.services.users.endpoints (required with discovery=static: list host:port of each instance, or set discovery to etcd, dns, file or zookeeper)",
                                "lb4j.services.users.internal.endpoints: 'a.test:1' (unknown key; the keys are listed in docs/configuration.md;"
                                + " a service name with dots goes in brackets: lb4j.services[users.internal].endpoints)")),
                Arguments.of("an integer that is not one", props(U + "endpoints", "a.test:1", U + "retry.max-attempts", "three"),
                        List.of("lb4j.services.users.retry.max-attempts: 'three' (expected: an integer)")),
                Arguments.of("an integer out of the builder's range", props(U + "endpoints", "a.test:1", U + "retry.max-attempts", "11"),
                        List.of("lb4j.services.users.retry.max-attempts: '11' (maxAttempts: 11 (expected: 1-10))")),
                Arguments.of("a duration without a unit", props(U + "endpoints", "a.test:1", U + "health.path", "/h", U + "health.interval", "5"),
                        List.of("lb4j.services.users.health.interval: '5' (expected: a duration with a unit, like 500ms, 5s, 2m or PT5S)")),
                Arguments.of("a negative duration", props(U + "endpoints", "a.test:1", U + "latency-decay", "-1s"),
                        List.of("lb4j.services.users.latency-decay: '-1s' (latencyDecay: PT-1S (expected: > 0))")),
                Arguments.of("a bad boolean", props(U + "endpoints", "a.test:1", U + "outlier.enabled", "yes"),
                        List.of("lb4j.services.users.outlier.enabled: 'yes' (expected: true or false)")),
                Arguments.of("a malformed endpoint", props(U + "endpoints", "10.0.0.1:8080,10.0.0.1"),
                        List.of("lb4j.services.users.endpoints: '10.0.0.1:8080,10.0.0.1' (endpoint '10.0.0.1': missing port (expected: host:port))")),
                Arguments.of("an empty list element", props(U + "endpoints", "10.0.0.1:8080,,10.0.0.2:8080"),
                        List.of("lb4j.services.users.endpoints: '10.0.0.1:8080,,10.0.0.2:8080' (expected: a comma-separated list without empty elements)")),
                Arguments.of("duplicate endpoints", props(U + "endpoints", "10.0.0.1:8080,10.0.0.1:8080"),
                        List.of("lb4j.services.users.endpoints: '10.0.0.1:8080,10.0.0.1:8080' (duplicate endpoint: 10.0.0.1:8080 (expected: each host:port at most once))")),
                Arguments.of("no endpoints and no discovery", props(U + "strategy", "random"),
                        List.of("lb4j.services.users.endpoints (required with discovery=static: list host:port of each instance, or set discovery to etcd, dns, file or zookeeper)")),
                Arguments.of("an unknown strategy", props(U + "endpoints", "a.test:1", U + "strategy", "fastest"),
                        List.of("lb4j.services.users.strategy: 'fastest' (strategy: 'fastest' (expected one of: "
                                + String.join(", ", io.lb4j.strategies.Strategies.names()) + "))")),
                Arguments.of("a setting of another strategy", props(U + "endpoints", "a.test:1", U + "strategy", "random", U + "choice-count", "3"),
                        List.of("lb4j.services.users.choice-count: '3' (only with strategy least-connections or peak-ewma (strategy is random))")),
                Arguments.of("a maglev table size factor out of range", props(U + "endpoints", "a.test:1", U + "strategy", "maglev",
                        U + "maglev.table-size-factor", "5"),
                        List.of("lb4j.services.users.maglev.table-size-factor: '5' (tableSizeFactor: 5 (expected: 10-1000))")),
                Arguments.of("a maglev setting with the ring", props(U + "endpoints", "a.test:1", U + "strategy", "consistent-hash",
                        U + "maglev.bounded-load", "true"),
                        List.of("lb4j.services.users.maglev.bounded-load: 'true' (only with strategy maglev (strategy is consistent-hash))")),
                Arguments.of("an unknown discovery", props(U + "discovery", "consul"),
                        List.of("lb4j.services.users.discovery: 'consul' (expected one of: static, etcd, dns, file, zookeeper)")),
                Arguments.of("endpoints beside a source", props(U + "discovery", "etcd", U + "endpoints", "a.test:1"),
                        List.of("lb4j.services.users.endpoints: 'a.test:1' (only with discovery=static (discovery is etcd))")),
                Arguments.of("etcd settings without etcd", props(U + "endpoints", "a.test:1", U + "etcd.prefix", "/x/"),
                        List.of("lb4j.services.users.etcd.prefix: '/x/' (only with discovery=etcd)")),
                Arguments.of("a bad etcd URL", props(U + "discovery", "etcd", U + "etcd.endpoints", "127.0.0.1:2379"),
                        List.of("lb4j.services.users.etcd.endpoints: '127.0.0.1:2379' (endpoint: '127.0.0.1:2379' (expected: http(s)://host:port without a path, like http://127.0.0.1:2379))")),
                Arguments.of("dns without a name", props(U + "discovery", "dns"),
                        List.of("lb4j.services.users.dns.host (discovery=dns needs dns.host with dns.port, or dns.srv)")),
                Arguments.of("dns host without port", props(U + "discovery", "dns", U + "dns.host", "users.test"),
                        List.of("lb4j.services.users.dns.port (required with dns.host)")),
                Arguments.of("a floor for a static list", props(U + "endpoints", "a.test:1", U + "min-hosts", "1"),
                        List.of("lb4j.services.users.min-hosts: '1' (only with discovery=etcd, dns, file or zookeeper)")),
                Arguments.of("a negative floor", props(U + "discovery", "dns", U + "dns.srv", "_http._tcp.users.test", U + "min-hosts", "-1"),
                        List.of("lb4j.services.users.min-hosts: '-1' (minHosts: -1 (expected: >= 0))")),
                Arguments.of("a negative drain period", props("lb4j.registration.enabled", "true", "lb4j.registration.service", "orders",
                        "lb4j.registration.drain-period", "-1s"),
                        List.of("lb4j.registration.drain-period: '-1s' (drainPeriod: PT-1S (expected: >= 0))")),
                Arguments.of("failover zones without a local zone", props(U + "endpoints", "a.test:1", U + "failover-zones", "eu-1b"),
                        List.of("lb4j.services.users.failover-zones: 'eu-1b' (only with lb4j.zone)")),
                Arguments.of("the local zone as a failover zone", props("lb4j.zone", "eu-1a", U + "endpoints", "a.test:1", U + "failover-zones", "eu-1a"),
                        List.of("lb4j.services.users.failover-zones: 'eu-1a' (expected: zones other than the local zone eu-1a)")),
                Arguments.of("file without a path", props(U + "discovery", "file"),
                        List.of("lb4j.services.users.file.path (required with discovery=file)")),
                Arguments.of("health settings with health off", props(U + "endpoints", "a.test:1", U + "health.interval", "2s"),
                        List.of("lb4j.services.users.health.interval: '2s' (only with health checking on: set health.path or health.probe)")),
                Arguments.of("a health path without a slash", props(U + "endpoints", "a.test:1", U + "health.path", "healthz"),
                        List.of("lb4j.services.users.health.path: 'healthz' (path: 'healthz' (expected: starts with /))")),
                Arguments.of("an http probe without a path", props(U + "endpoints", "a.test:1", U + "health.probe", "http"),
                        List.of("lb4j.services.users.health.probe: 'http' (health.probe=http needs health.path, like /healthz)")),
                Arguments.of("a retry status that is not an endpoint failure", props(U + "endpoints", "a.test:1", U + "retry.statuses", "404"),
                        List.of("lb4j.services.users.retry.statuses: '404' (retry status: 404 (expected: 500-599))")),
                Arguments.of("a backoff cap under its base", props(U + "endpoints", "a.test:1", U + "retry.backoff.cap", "10ms"),
                        List.of("lb4j.services.users.retry.backoff.cap: '10ms' (backoff cap: PT0.01S (expected: >= base PT0.025S))")),
                Arguments.of("a first reconnect wait above the default cap names the key given", props(U + "endpoints", "a.test:1",
                        U + "reconnect.initial-backoff", "1m"),
                        List.of("lb4j.services.users.reconnect.initial-backoff: '1m' (maxBackoff: PT30S (expected: >= initialBackoff PT1M))")),
                Arguments.of("a retry backoff base above the default cap names the key given", props(U + "endpoints", "a.test:1",
                        U + "retry.backoff.base", "1s"),
                        List.of("lb4j.services.users.retry.backoff.base: '1s' (backoff cap: PT0.25S (expected: >= base PT1S))")),
                Arguments.of("one key given twice in two spellings", props(U + "endpoints", "a.test:1", U + "retry.max-attempts", "2", U + "retry.maxAttempts", "3"),
                        List.of("lb4j.services.users.retry.maxAttempts: '3' (given twice, also as lb4j.services.users.retry.max-attempts)")),
                Arguments.of("a list index on a scalar key", props(U + "endpoints", "a.test:1", U + "strategy[0]", "random"),
                        List.of("lb4j.services.users.strategy[0]: 'random' (expected: text at lb4j.services.users.strategy, not an indexed entry)")),
                Arguments.of("no key below the service", props("lb4j.services.users", "x"),
                        List.of("lb4j.services.users (expected: a key below the service, like lb4j.services.users.endpoints)")),
                Arguments.of("an unknown global key", props("lb4j.metrics.enable", "true"),
                        List.of("lb4j.metrics.enable: 'true' (unknown key; did you mean lb4j.metrics.enabled?)")),
                Arguments.of("registration keys without registration", props("lb4j.registration.service", "orders"),
                        List.of("lb4j.registration.service: 'orders' (only with lb4j.registration.enabled=true)")),
                Arguments.of("registration without a service", props("lb4j.registration.enabled", "true"),
                        List.of("lb4j.registration.service (required with lb4j.registration.enabled=true)")),
                Arguments.of("registration with a bad port", props("lb4j.registration.enabled", "true", "lb4j.registration.service", "orders",
                        "lb4j.registration.port", "70000"),
                        List.of("lb4j.registration.port: '70000' (port: 70000 (expected: 1-65535))")),
                Arguments.of("registration ttl not in whole seconds", props("lb4j.registration.enabled", "true", "lb4j.registration.service", "orders",
                        "lb4j.registration.ttl", "1500ms"),
                        List.of("lb4j.registration.ttl: '1500ms' (ttl: PT1.5S (expected: whole seconds, at least 1))")),
                Arguments.of("a failure penalty of another strategy", props(U + "endpoints", "a.test:1", U + "strategy", "least-connections",
                        U + "peak-ewma.failure-penalty", "2"),
                        List.of("lb4j.services.users.peak-ewma.failure-penalty: '2' (only with strategy peak-ewma (strategy is least-connections))")),
                Arguments.of("stall weighing for another strategy", props(U + "endpoints", "a.test:1", U + "strategy", "peak-ewma",
                        U + "least-connections.stall-aware", "true"),
                        List.of("lb4j.services.users.least-connections.stall-aware: 'true' (only with strategy least-connections (strategy is peak-ewma))")),
                Arguments.of("stall weighing not a boolean", props(U + "endpoints", "a.test:1", U + "strategy", "least-connections",
                        U + "least-connections.stall-aware", "yes"),
                        List.of("lb4j.services.users.least-connections.stall-aware: 'yes' (expected: true or false)")),
                Arguments.of("a failure penalty out of range", props(U + "endpoints", "a.test:1", U + "strategy", "peak-ewma",
                        U + "peak-ewma.failure-penalty", "1001"),
                        List.of("lb4j.services.users.peak-ewma.failure-penalty: '1001' (failurePenalty: 1001.0 (expected: 0.0-1000.0))")),
                Arguments.of("too many per-endpoint meters", props("lb4j.metrics.per-endpoint-meters", "100000"),
                        List.of("lb4j.metrics.per-endpoint-meters: '100000' (perEndpointMeters: 100000 (expected: 0-"
                                + io.lb4j.core.BalancerBuilder.MAX_PER_ENDPOINT_METERS + "))")),
                Arguments.of("negative per-endpoint meters of one service", props(U + "endpoints", "a.test:1", U + "metrics.per-endpoint-meters", "-1"),
                        List.of("lb4j.services.users.metrics.per-endpoint-meters: '-1' (perEndpointMeters: -1 (expected: 0-"
                                + io.lb4j.core.BalancerBuilder.MAX_PER_ENDPOINT_METERS + "))")),
                Arguments.of("un-ejecting on probes without health checking", props(U + "endpoints", "a.test:1", U + "outlier.un-eject-on-healthy-probe", "false"),
                        List.of("lb4j.services.users.outlier.un-eject-on-healthy-probe: 'false' (only with health checking on: set health.path or health.probe)")),
                Arguments.of("un-ejecting with outlier ejection off, reported once", props(U + "endpoints", "a.test:1", U + "outlier.enabled", "false",
                        U + "outlier.un-eject-on-healthy-probe", "false"),
                        List.of("lb4j.services.users.outlier.un-eject-on-healthy-probe: 'false' (only with outlier.enabled=true)")),
                Arguments.of("two request keys", props("lb4j.http.hash-key-header", "X-User", "lb4j.http.hash-key-path", "true"),
                        List.of("lb4j.http.hash-key-path: 'true' (expected: one request key, but 2 of lb4j.http.hash-key-header, -cookie,"
                                + " -query-parameter and -path are set)")),
                Arguments.of("three request keys, a path key that is off not among them", props("lb4j.http.hash-key-cookie", "s",
                        "lb4j.http.hash-key-query-parameter", "u", "lb4j.http.hash-key-header", "X-User", "lb4j.http.hash-key-path", "false"),
                        List.of("lb4j.http.hash-key-cookie: 's' (expected: one request key, but 3 of lb4j.http.hash-key-header, -cookie,"
                                        + " -query-parameter and -path are set)",
                                "lb4j.http.hash-key-query-parameter: 'u' (expected: one request key, but 3 of lb4j.http.hash-key-header, -cookie,"
                                        + " -query-parameter and -path are set)")),
                Arguments.of("a bad Host flag", props("lb4j.http.service-host-header", "service"),
                        List.of("lb4j.http.service-host-header: 'service' (expected: true or false)")),
                Arguments.of("an etcd reconnect cap under the first wait", props(U + "discovery", "etcd", U + "etcd.initial-backoff", "10s"),
                        List.of("lb4j.services.users.etcd.initial-backoff: '10s' (backoff max: PT5S (expected: >= initial PT10S))")),
                Arguments.of("an etcd relist after nothing", props(U + "discovery", "etcd", U + "etcd.relist-after", "0s"),
                        List.of("lb4j.services.users.etcd.relist-after: '0s' (relistAfter: PT0S (expected: > 0))")),
                Arguments.of("zookeeper settings without zookeeper", props(U + "discovery", "etcd", U + "zookeeper.base-path", "/x"),
                        List.of("lb4j.services.users.zookeeper.base-path: '/x' (only with discovery=zookeeper)")),
                Arguments.of("a bad connect string", props(U + "discovery", "zookeeper", U + "zookeeper.connect-string", "zk1:2181;zk2:2181"),
                        List.of("lb4j.services.users.zookeeper.connect-string: 'zk1:2181;zk2:2181' (connectString: 'zk1:2181;zk2:2181'"
                                + " (expected: host:port[,host:port...][/chroot], like zk1:2181,zk2:2181,zk3:2181))")),
                Arguments.of("a bad shared base path, reported once under its own key", props(U + "discovery", "zookeeper",
                        "lb4j.services.orders.discovery", "zookeeper", "lb4j.zookeeper.base-path", "services/"),
                        List.of("lb4j.zookeeper.base-path: 'services/' (basePath: 'services/' (expected: an absolute znode path without a trailing '/', like /services))")),
                Arguments.of("a session timeout out of range", props(U + "discovery", "zookeeper", U + "zookeeper.session-timeout", "1h"),
                        List.of("lb4j.services.users.zookeeper.session-timeout: '1h' (sessionTimeout: PT1H (expected: 1 ms to 10 min; the server clamps it to its own bounds))")),
                Arguments.of("an unknown registry", props("lb4j.registration.enabled", "true", "lb4j.registration.service", "orders",
                        "lb4j.registration.registry", "consul"),
                        List.of("lb4j.registration.registry: 'consul' (expected one of: etcd, zookeeper)")),
                Arguments.of("etcd settings of a zookeeper registration", props("lb4j.registration.enabled", "true", "lb4j.registration.service", "orders",
                        "lb4j.registration.registry", "zookeeper", "lb4j.registration.ttl", "5s", "lb4j.registration.etcd.prefix", "/x/"),
                        List.of("lb4j.registration.etcd.prefix: '/x/' (only with registry=etcd)", "lb4j.registration.ttl: '5s' (only with registry=etcd)")),
                Arguments.of("zookeeper settings of an etcd registration", props("lb4j.registration.enabled", "true", "lb4j.registration.service", "orders",
                        "lb4j.registration.zookeeper.payload-class", "java.util.LinkedHashMap"),
                        List.of("lb4j.registration.zookeeper.payload-class: 'java.util.LinkedHashMap' (only with registry=zookeeper)")),
                Arguments.of("a payload class that is no class name", props("lb4j.registration.enabled", "true", "lb4j.registration.service", "orders",
                        "lb4j.registration.registry", "zookeeper", "lb4j.registration.zookeeper.payload-class", "a b"),
                        List.of("lb4j.registration.zookeeper.payload-class: 'a b' (payloadClass: 'a b' (expected: a class name like "
                                + "org.springframework.cloud.zookeeper.discovery.ZookeeperInstance))")),
                Arguments.of("every problem at once, sorted by key", props(U + "endpoints", "a.test:1", U + "retry.max-attempts", "0",
                        "lb4j.services.orders.strategy", "random", U + "panic-threshold", "2"),
                        List.of("lb4j.services.orders.endpoints (required with discovery=static: list host:port of each instance, or set discovery to etcd, dns, file or zookeeper)",
                                "lb4j.services.users.panic-threshold: '2' (panicThreshold: 2.0 (expected: 0.0-1.0))",
                                "lb4j.services.users.retry.max-attempts: '0' (maxAttempts: 0 (expected: 1-10))")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSets")
    void invalidPropertySetFailsNamingKeyValueAndRule(String what, Map<String, String> props, List<String> problems) {
        assertThatThrownBy(() -> Lb4jConfig.from(props))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyElementsOf(problems));
    }

    @Test
    void messageListsEveryProblem() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> Lb4jConfig.from(props(U + "endpoints", "a.test:1", U + "retry.max-attempts", "x", U + "strategy", "y")));
        assertThat(e.getMessage()).startsWith("lb4j configuration: 2 problems\n  lb4j.services.users.retry.max-attempts: 'x'");
    }

    @Test
    void readsJavaUtilPropertiesWithTheirDefaults() {
        Properties defaults = new Properties();
        defaults.setProperty(U + "strategy", "least-connections");
        Properties p = new Properties(defaults);
        p.setProperty(U + "endpoints", "10.0.0.1:8080");
        Lb4jConfig c = Lb4jConfig.from(p);
        assertThat(c.service("users").strategyName()).isEqualTo("least-connections");
        assertThat(c.service("users").endpoints()).containsExactly(Endpoint.of("10.0.0.1", 8080));
    }

    @Test
    void unknownServiceNamesTheConfiguredOnes() {
        Lb4jConfig c = Lb4jConfig.from(props(U + "endpoints", "a.test:1"));
        assertThatThrownBy(() -> c.service("orders")).hasMessage("service: 'orders' (expected one of: [users])");
    }
}
