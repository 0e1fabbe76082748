package io.lb4j.examples;

import io.lb4j.core.Balancer;
import io.lb4j.discovery.EtcdSource;
import io.lb4j.health.HealthChecker;
import io.lb4j.health.OutlierDetector;
import io.lb4j.health.Probe;
import io.lb4j.http.LoadBalancedHttpClient;
import io.lb4j.http.RetryPolicy;
import io.lb4j.strategies.Strategies;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * Example: the production wiring of one downstream service: instances discovered in etcd,
 * probed on {@code /healthz}, ejected on consecutive failures, picked by peak-EWMA, and called
 * through the load-balanced HTTP client with default retries. Tested in DiscoveryWiringExampleTest
 * against a real etcd.
 */
public final class DiscoveryWiringExample implements AutoCloseable {

    private final Balancer balancer;
    private final HealthChecker health;
    private final OutlierDetector outliers;
    private final LoadBalancedHttpClient client;

    private DiscoveryWiringExample(Balancer balancer, HealthChecker health, OutlierDetector outliers,
                                   LoadBalancedHttpClient client) {
        this.balancer = balancer;
        this.health = health;
        this.outliers = outliers;
        this.client = client;
    }

    /**
     * Wires {@code service}, whose instances register under {@code /services/<service>/} in etcd.
     *
     * @param http the application's one shared HttpClient
     * @param etcd etcd client URLs, e.g. {@code http://127.0.0.1:2379}
     */
    public static DiscoveryWiringExample wire(String service, HttpClient http, String... etcd) {
        Balancer balancer = Balancer.builder(service)
                .source(EtcdSource.builder(service).endpoints(etcd).build())
                .strategy(Strategies.peakEwma())
                .build();
        HealthChecker health = HealthChecker.builder(balancer)
                .probe(Probe.http("/healthz"))
                .interval(Duration.ofSeconds(5))
                .build();
        health.start();
        OutlierDetector outliers = OutlierDetector.builder(balancer)
                .consecutiveFailures(5)
                .healthChecker(health)
                .build();
        LoadBalancedHttpClient client = LoadBalancedHttpClient.builder(http)
                .service(balancer)
                .retryPolicy(RetryPolicy.ofDefaults())
                .build();
        return new DiscoveryWiringExample(balancer, health, outliers, client);
    }

    /** Send {@code http://<service>/...} requests here. */
    public LoadBalancedHttpClient client() {
        return client;
    }

    public Balancer balancer() {
        return balancer;
    }

    @Override
    public void close() {
        outliers.close();
        health.close();
        balancer.close();
    }
}
