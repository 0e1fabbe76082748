package io.lb4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointsAtLimitException;
import io.lb4j.strategies.Strategies;
import io.lb4j.testing.FakeScheduler;
import io.lb4j.testing.FakeTicker;
import io.lb4j.testing.LoopbackBackend;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Request keys, concurrency limits and load reports through the real client and real loopback servers. */
class RoutingTest extends LoopbackTestSupport {

    private HttpClient client(Balancer balancer, java.util.function.UnaryOperator<LoadBalancedHttpClientBuilder> more) {
        return closeLater(more.apply(LoadBalancedHttpClient.builder(Fixtures.newDelegate()).service(balancer)).build());
    }

    private static String get(HttpClient client, HttpRequest request) throws Exception {
        return client.send(request, BodyHandlers.ofString()).body();
    }

    private static HttpRequest forUser(String user) {
        return HttpRequest.newBuilder(URI.create("http://carts/cart")).header("X-User", user).build();
    }

    @Test
    void theSameHeaderValueAlwaysReachesTheSameBackendAndRemovalMovesOnlyItsKeys() throws Exception {
        LoopbackBackend[] backends = start("b0", "b1", "b2", "b3", "b4");
        List<Endpoint> endpoints = new ArrayList<>();
        for (LoopbackBackend b : backends) {
            endpoints.add(b.endpoint());
        }
        Balancer carts = closeLater(Balancer.builder("carts").endpoints(endpoints).strategy(Strategies.consistentHash()).build());
        HttpClient client = client(carts, b -> b.hashKey(RequestKeys.header("X-User")));
        Map<String, Set<String>> seen = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            String user = "user-" + (i % 100);
            seen.computeIfAbsent(user, k -> new HashSet<>()).add(get(client, forUser(user)));
        }
        Map<String, String> before = new HashMap<>();
        seen.forEach((user, where) -> {
            assertThat(where).as(user).hasSize(1);
            before.put(user, where.iterator().next());
        });
        assertThat(new HashSet<>(before.values())).as("keys spread over the backends").hasSizeGreaterThan(2);

        List<Endpoint> without = new ArrayList<>(endpoints);
        without.remove(backends[2].endpoint());
        carts.update(without);
        int moved = 0;
        for (String user : before.keySet()) {
            String now = get(client, forUser(user));
            if (before.get(user).equals("b2")) {
                assertThat(now).isNotEqualTo("b2");
                moved++;
            } else {
                assertThat(now).as("%s was not on the removed backend", user).isEqualTo(before.get(user));
            }
        }
        assertThat(moved).isEqualTo((int) before.values().stream().filter("b2"::equals).count());
    }

    @Test
    void aRetryKeepsTheKeyAndGoesToAnotherBackend() throws Exception {
        LoopbackBackend[] backends = start("b0", "b1", "b2");
        Balancer carts = closeLater(Balancer.builder("carts").endpoints(backends[0].endpoint(), backends[1].endpoint(),
                backends[2].endpoint()).strategy(Strategies.consistentHash()).build());
        HttpClient client = client(carts, b -> b.hashKey(RequestKeys.header("X-User")));
        String home = get(client, forUser("alice"));
        LoopbackBackend owner = java.util.Arrays.stream(backends).filter(b -> b.name().equals(home)).findFirst().orElseThrow();
        owner.status(503);
        owner.resetCounts();
        String answered = get(client, forUser("alice"));
        assertThat(answered).isNotEqualTo(home);
        assertThat(owner.requestCount()).isEqualTo(1);
        // the retry walked the ring from alice's point: the same key retries on the same next backend
        String again = get(client, forUser("alice"));
        assertThat(again).isEqualTo(answered);
    }

    @Test
    void aSlowBackendNeverHoldsMoreThanTheLimitInFlight() throws Exception {
        ReportingBackend slow = closeLater(ReportingBackend.start("slow")).delay(Duration.ofMillis(150));
        ReportingBackend fast = closeLater(ReportingBackend.start("fast"));
        Balancer users = closeLater(Balancer.builder("users").endpoints(slow.endpoint(), fast.endpoint())
                .maxInFlightPerEndpoint(4).build());
        HttpClient client = client(users, b -> b.retryPolicy(RetryPolicy.none()));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://users/work")).build();
        ExecutorService callers = Executors.newFixedThreadPool(12);
        AtomicInteger refused = new AtomicInteger();
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 240; i++) {
                all.add(callers.submit(() -> {
                    try {
                        get(client, request);
                    } catch (ConnectException e) {
                        assertThat(e).hasCauseInstanceOf(EndpointsAtLimitException.class);
                        refused.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(slow.maxConcurrent()).isLessThanOrEqualTo(4);
        assertThat(slow.requestCount()).isPositive();
        assertThat(users.atLimitSkipCount() + users.atLimitRejectionCount()).as("the limit was reached").isPositive();
        assertThat(users.atLimitRejectionCount()).isEqualTo(refused.get());
    }

    @Test
    void trafficSharesFollowTheReportedLoadByA58sFormula() throws Exception {
        ReportingBackend[] backends = {
                closeLater(ReportingBackend.start("a")), closeLater(ReportingBackend.start("b")),
                closeLater(ReportingBackend.start("c"))};
        report(backends[0], 0.2, 0);
        report(backends[1], 0.4, 0);
        report(backends[2], 0.8, 0);
        FakeTicker ticker = new FakeTicker();
        FakeScheduler scheduler = new FakeScheduler(ticker);
        Balancer users = closeLater(Balancer.builder("users")
                .endpoints(backends[0].endpoint(), backends[1].endpoint(), backends[2].endpoint())
                .strategy(Strategies.loadWeighted()).ticker(ticker).scheduler(scheduler)
                .controlExecutor(Runnable::run).build());
        HttpClient client = client(users, b -> b);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://users/work")).build();
        // no weights yet: round-robin
        assertThat(shares(client, request, 300)).containsEntry("a", 100).containsEntry("b", 100).containsEntry("c", 100);
        scheduler.advance(Duration.ofSeconds(11)); // past A58's 10 s blackout
        // 100 / 0.2 : 100 / 0.4 : 100 / 0.8 = 4 : 2 : 1
        assertShares(shares(client, request, 1400), Map.of("a", 4.0, "b", 2.0, "c", 1.0));
        // a gets busy, c idle, and b answers 20 of its 100 requests a second with errors: 100 / (0.4 + 0.2)
        report(backends[0], 0.8, 0);
        report(backends[1], 0.4, 20);
        report(backends[2], 0.2, 0);
        shares(client, request, 30);
        scheduler.advance(Duration.ofSeconds(1));
        assertShares(shares(client, request, 2300), Map.of("a", 125.0, "b", 100 / 0.6, "c", 500.0));
    }

    @Test
    void otherFormsAndMalformedReportsAreIgnored() throws Exception {
        ReportingBackend a = closeLater(ReportingBackend.start("a"));
        a.header("endpoint-load-metrics", "JSON {\"cpu_utilization\": 0.3}");
        Balancer users = closeLater(Balancer.builder("users").endpoints(a.endpoint()).build());
        HttpClient client = client(users, b -> b);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://users/work")).build();
        assertThat(get(client, request)).isEqualTo("a");
        a.header("endpoint-load-metrics", "TEXT cpu_utilization=lots");
        assertThat(get(client, request)).isEqualTo("a");
        assertThat(users.snapshot().member(a.endpoint()).loadReport()).isNull();
        a.header("X-Load", "TEXT cpu_utilization=0.5, rps_fractional=10, named_metrics.queue=3");
        HttpClient custom = client(users, b -> b.loadReportHeader("x-load"));
        assertThat(get(custom, request)).isEqualTo("a");
        assertThat(users.snapshot().member(a.endpoint()).loadReport())
                .isEqualTo(io.lb4j.core.LoadReport.builder().cpuUtilization(0.5).rps(10).namedMetric("queue", 3).build());
    }

    private static void report(ReportingBackend b, double utilization, double eps) {
        b.header("endpoint-load-metrics", "TEXT cpu_utilization=" + utilization + ", rps_fractional=100, eps=" + eps);
    }

    private static Map<String, Integer> shares(HttpClient client, HttpRequest request, int n) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(get(client, request), 1, Integer::sum);
        }
        return counts;
    }

    /** Each backend's share within 10 % (relative) of its weight's share. */
    private static void assertShares(Map<String, Integer> counts, Map<String, Double> weights) {
        double total = counts.values().stream().mapToInt(Integer::intValue).sum();
        double weightSum = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        weights.forEach((name, w) -> {
            double expected = w / weightSum;
            double actual = counts.getOrDefault(name, 0) / total;
            assertThat(actual).as("share of %s in %s", name, counts).isBetween(expected * 0.9, expected * 1.1);
        });
    }
}
