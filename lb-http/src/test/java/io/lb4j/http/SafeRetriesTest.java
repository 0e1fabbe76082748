package io.lb4j.http;

import static io.lb4j.http.Fixtures.await;
import static io.lb4j.http.Fixtures.newDelegate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.Selection.Outcome;
import io.lb4j.testing.FakeTicker;
import io.lb4j.testing.LoopbackBackend;
import io.lb4j.testing.ScriptedRandom;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * What is sent again and what is not: a request of which nothing left the client is requeued
 * whatever its method, outside the retry budget; one that may have reached a server is retried
 * only when its method allows it.
 */
class SafeRetriesTest extends LoopbackTestSupport {

    private static final String NOT_IDEMPOTENT =
            "no retry: POST is not idempotent and may have reached the server (retryAllMethods or an idempotencyKeyHeader allows it)";

    private static HttpRequest post(String service, String body) {
        return HttpRequest.newBuilder(URI.create("http://" + service + "/orders")).POST(BodyPublishers.ofString(body)).build();
    }

    private RawBackend raw(String name, RawBackend.Mode mode) throws IOException {
        return closeLater(RawBackend.start(name, mode));
    }

    /** Round-robin from the first endpoint, so that the test knows which is tried first. */
    private static Balancer inOrder(String service, Endpoint... endpoints) {
        return Balancer.builder(service).endpoints(List.of(endpoints)).random(ScriptedRandom.zeros()).build();
    }

    @Test
    void postsToOneRefusingAndTwoLiveEndpointsAllSucceedAndNoneArrivesTwice() throws Exception {
        LoopbackBackend[] dead = start("dead");
        dead[0].stop();
        RawBackend a = raw("a", RawBackend.Mode.ANSWER);
        RawBackend b = raw("b", RawBackend.Mode.ANSWER);
        // defaults only: no retry policy, no lb-health
        Balancer orders = Balancer.builder("orders").endpoints(List.of(dead[0].endpoint(), a.endpoint(), b.endpoint())).build();
        LoadBalancedHttpClient client = closeLater(LoadBalancedHttpClient.builder(newDelegate()).service(orders).build());

        List<Throwable> failures = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            try {
                HttpResponse<String> r = client.send(post("orders", "order-" + i), BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
            } catch (IOException e) {
                failures.add(e);
            }
        }

        assertThat(failures).isEmpty();
        List<String> received = new ArrayList<>(a.bodies());
        received.addAll(b.bodies());
        assertThat(received).hasSize(30).doesNotHaveDuplicates();
        ServiceStats stats = client.stats("orders");
        assertThat(stats.requeues()).isEqualTo(stats.failedAttempts()).isEqualTo(stats.retries());
        assertThat(stats.retriesByReason()).containsOnlyKeys("connect");
        assertThat(stats.budgetExhausted()).isZero();
    }

    @Test
    void requeuesDoNotSpendTheRetryBudget() throws Exception {
        LoopbackBackend[] b = start("dead", "live", "busy");
        b[0].stop();
        b[2].status(503);
        RetryPolicy noRetries = RetryPolicy.builder().backoff(Duration.ZERO, Duration.ZERO)
                .budget(RetryBudget.of(0, Duration.ofSeconds(10), 0)).build();
        LoadBalancedHttpClient client = closeLater(LoadBalancedHttpClient.builder(newDelegate())
                .service(inOrder("users", b[0].endpoint(), b[1].endpoint()), noRetries)
                .service(inOrder("busy", b[2].endpoint(), b[1].endpoint()), noRetries).build());

        for (int i = 0; i < 10; i++) {
            assertThat(client.send(Fixtures.get("http://users/x"), BodyHandlers.ofString()).body()).isEqualTo("live");
        }
        // the same budget refuses a real retry
        assertThat(client.send(Fixtures.get("http://busy/x"), BodyHandlers.ofString()).statusCode()).isEqualTo(503);

        assertThat(client.stats("users").requeues()).isPositive();
        assertThat(client.stats("users").budgetExhausted()).isZero();
        assertThat(client.stats("busy").budgetExhausted()).isEqualTo(1);
    }

    @Test
    void requeueAllowanceCapsTheConnectionAttemptsOfADeadService() throws Exception {
        LoopbackBackend[] b = start("a", "b", "c");
        Fixtures.closeAll(b);
        RetryPolicy tenAttempts = RetryPolicy.builder().maxAttempts(10).build();
        LoadBalancedHttpClient client = closeLater(LoadBalancedHttpClient.builder(newDelegate())
                .service(inOrder("users", b[0].endpoint(), b[1].endpoint(), b[2].endpoint()), tenAttempts)
                .ticker(new FakeTicker()).build());

        Throwable last = null;
        for (int i = 0; i < 40; i++) {
            last = catchThrowable(() -> client.send(Fixtures.get("http://users/x"), BodyHandlers.ofString()));
            assertThat(last).isInstanceOf(ConnectException.class);
        }

        // 40 first attempts; requeues at most 1 per request + 10/s over the 10 s window, not 9 per call
        ServiceStats stats = client.stats("users");
        assertThat(stats.requeues()).isEqualTo(40 + 100);
        assertThat(stats.attempts()).isEqualTo(40 + 140);
        assertThat(stats.budgetExhausted()).isPositive();
        assertThat(last).hasMessageEndingWith("; no retry: the requeue allowance of 'users' is exhausted");
    }

    @Test
    void postThatReachedTheServerIsNotSentAgainByDefault() throws Exception {
        RawBackend dies = raw("dies", RawBackend.Mode.CLOSE_AFTER_READ);
        RawBackend live = raw("live", RawBackend.Mode.ANSWER);
        Balancer orders = inOrder("orders", dies.endpoint(), live.endpoint());
        List<Outcome> outcomes = outcomes(orders);
        LoadBalancedHttpClient client = closeLater(LoadBalancedHttpClient.builder(newDelegate()).service(orders).build());

        Throwable thrown = catchThrowable(() -> client.send(post("orders", "order-1"), BodyHandlers.ofString()));

        assertThat(thrown).isExactlyInstanceOf(IOException.class)
                .hasMessageStartingWith("POST to 'orders' failed after 1 attempt: #1 " + dies.endpoint().authority() + " IOException: ")
                .hasMessageEndingWith(NOT_IDEMPOTENT);
        assertThat(dies.bodies()).containsExactly("order-1");
        assertThat(live.bodies()).isEmpty();
        assertThat(outcomes).containsExactly(Outcome.FAILURE);
    }

    @Test
    void postThatReachedTheServerIsSentAgainWhenThePolicyOptsInOrAnIdempotencyKeyIsPresent() throws Exception {
        RawBackend dies = raw("dies", RawBackend.Mode.CLOSE_AFTER_READ);
        RawBackend live = raw("live", RawBackend.Mode.ANSWER);
        RetryPolicy all = RetryPolicy.builder().backoff(Duration.ZERO, Duration.ZERO).retryAllMethods(true).build();
        RetryPolicy keyed = RetryPolicy.builder().backoff(Duration.ZERO, Duration.ZERO)
                .idempotencyKeyHeader("Idempotency-Key").build();
        LoadBalancedHttpClient client = closeLater(LoadBalancedHttpClient.builder(newDelegate())
                .service(inOrder("all", dies.endpoint(), live.endpoint()), all)
                .service(inOrder("keyed", dies.endpoint(), live.endpoint()), keyed).build());

        assertThat(client.send(post("all", "a-1"), BodyHandlers.ofString()).body()).isEqualTo("live");
        HttpRequest keyedPost = HttpRequest.newBuilder(URI.create("http://keyed/orders"))
                .POST(BodyPublishers.ofString("k-1")).header("Idempotency-Key", "k-1").build();
        assertThat(client.send(keyedPost, BodyHandlers.ofString()).body()).isEqualTo("live");

        assertThat(client.stats("all").retriesByReason()).isEqualTo(Map.of("io", 1L));
        assertThat(client.stats("keyed").retriesByReason()).isEqualTo(Map.of("io", 1L));
        assertThat(dies.bodies()).containsExactly("a-1", "k-1");
        assertThat(live.bodies()).containsExactly("a-1", "k-1"); // sent twice on purpose, each body whole
    }

    @Test
    void postWhoseTlsHandshakeFailedIsRequeuedForNothingOfItWasSent() throws Exception {
        RawBackend a = raw("a", RawBackend.Mode.CLOSE_AT_ONCE);
        RawBackend b = raw("b", RawBackend.Mode.CLOSE_AT_ONCE);
        Balancer orders = inOrder("orders", a.endpoint(), b.endpoint());
        List<Outcome> outcomes = outcomes(orders);
        LoadBalancedHttpClient client = closeLater(LoadBalancedHttpClient.builder(newDelegate()).service(orders).build());
        HttpRequest post = HttpRequest.newBuilder(URI.create("https://orders/x")).POST(BodyPublishers.ofString("o")).build();

        Throwable thrown = catchThrowable(() -> client.send(post, BodyHandlers.ofString()));

        assertThat(thrown).isInstanceOf(javax.net.ssl.SSLHandshakeException.class)
                .hasMessageStartingWith("POST to 'orders' failed after 3 attempts: #1 " + a.endpoint().authority()
                        + " SSLHandshakeException: ")
                .hasMessageContaining("(TLS handshake failed, nothing sent); #2 " + b.endpoint().authority())
                .hasMessageEndingWith("(TLS handshake failed, nothing sent); no retry: maxAttempts 3 reached");
        assertThat(client.stats("orders").requeues()).isEqualTo(2);
        assertThat(outcomes).containsExactly(Outcome.FAILURE, Outcome.FAILURE, Outcome.FAILURE);
    }

    @Test
    void connectionTheServerClosedWhileIdleIsReplacedWithoutAFailure() throws Exception {
        RawBackend idle = raw("idle", RawBackend.Mode.ANSWER).idleClose(Duration.ofMillis(50));
        Balancer orders = inOrder("orders", idle.endpoint());
        List<Outcome> outcomes = outcomes(orders);
        LoadBalancedHttpClient client = closeLater(LoadBalancedHttpClient.builder(newDelegate()).service(orders).build());

        assertThat(client.send(post("orders", "order-1"), BodyHandlers.ofString()).body()).isEqualTo("idle");
        // the server closes the idle connection; the JDK's pool sees it and closes its end
        await("the idle connection to be closed at both ends", () -> idle.idleClosedCount() == 1);

        assertThat(client.send(post("orders", "order-2"), BodyHandlers.ofString()).body()).isEqualTo("idle");
        assertThat(idle.connectionCount()).isEqualTo(2);
        assertThat(outcomes).containsExactly(Outcome.SUCCESS, Outcome.SUCCESS);
        assertThat(idle.bodies()).containsExactly("order-1", "order-2");
    }

    /**
     * Requests sent just as the servers' idle timeout closes the pooled connection. JDK 17 then
     * fails the attempt in one of three ways: "connection closed locally" (its pool closed the
     * connection before the request was written: requeued), or an EOF or broken pipe after
     * writing (the request may have been read: a POST is not sent again, a GET is retried, and
     * the JDK itself retries a GET once first).
     */
    @Test
    void requestsRacingTheServersIdleTimeoutAreResentOnlyWhenThatIsSafe() throws Exception {
        RawBackend a = raw("a", RawBackend.Mode.ANSWER).idleClose(Duration.ofMillis(5));
        RawBackend b = raw("b", RawBackend.Mode.ANSWER).idleClose(Duration.ofMillis(5));
        LoadBalancedHttpClient client = closeLater(LoadBalancedHttpClient.builder(newDelegate())
                .service(inOrder("orders", a.endpoint(), b.endpoint()))
                .service(inOrder("users", b.endpoint(), a.endpoint())).build());

        List<Throwable> postFailures = new ArrayList<>();
        List<Throwable> getFailures = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            try {
                client.send(post("orders", "order-" + i), BodyHandlers.ofString());
            } catch (IOException e) {
                postFailures.add(e);
            }
            try {
                client.send(Fixtures.get("http://users/x"), BodyHandlers.ofString());
            } catch (IOException e) {
                getFailures.add(e);
            }
            LockSupport.parkNanos(Duration.ofMillis(4).toNanos()); // lands the next use near the 5 ms idle close
        }

        assertThat(getFailures).isEmpty();
        assertThat(postFailures).allSatisfy(e -> assertThat(e).hasMessageEndingWith(NOT_IDEMPOTENT));
        assertThat(client.stats("orders").retriesByReason().keySet()).isSubsetOf(Set.of("closed"));
        List<String> posted = new ArrayList<>(a.bodies());
        posted.addAll(b.bodies());
        posted.removeIf(body -> !body.startsWith("order-"));
        assertThat(posted).doesNotHaveDuplicates().hasSize(150 - postFailures.size());
        System.out.printf("idle-close race: %d of 150 POSTs failed (may have been read), requeues %s, GET retries %s%n",
                postFailures.size(), client.stats("orders").retriesByReason(), client.stats("users").retriesByReason());
    }
}
