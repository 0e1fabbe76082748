package io.lb4j.http;

import static io.lb4j.http.Fixtures.newDelegate;
import static io.lb4j.http.Fixtures.await;
import static io.lb4j.http.Fixtures.balancer;
import static io.lb4j.http.Fixtures.closeAll;
import static io.lb4j.http.Fixtures.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.lb4j.core.Balancer;
import io.lb4j.core.Selection;
import io.lb4j.testing.FakeScheduler;
import io.lb4j.testing.FakeTicker;
import io.lb4j.testing.LoopbackBackend;
import io.lb4j.testing.ScriptedRandom;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class LoadBalancedHttpClientTest extends LoopbackTestSupport {

    private static final RetryPolicy NO_BACKOFF = RetryPolicy.builder().backoff(Duration.ZERO, Duration.ZERO).build();
    /** For the tests that drive time by hand; unused by the others. */
    private final FakeTicker ticker = new FakeTicker();
    private final FakeScheduler scheduler = new FakeScheduler(ticker);

    private LoadBalancedHttpClient client(LoadBalancedHttpClientBuilder builder) {
        LoadBalancedHttpClient c = builder.build();
        return closeLater(c);
    }

    @Test
    void sendsServiceRequestsToPickedEndpointsAndPassesOtherHostsThrough() throws Exception {
        LoopbackBackend[] b = start("a", "b");
        LoadBalancedHttpClient client = client(LoadBalancedHttpClient.builder(newDelegate()).service(balancer("Users", b)));

        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            bodies.add(client.send(get("http://users/hello"), BodyHandlers.ofString()).body());
        }
        assertThat(bodies).containsExactly("a", "b", "a", "b");
        assertThat(client.send(get("http://USERS/x"), BodyHandlers.ofString()).body()).isEqualTo("a");

        HttpResponse<String> direct = client.send(get("http://127.0.0.1:" + b[1].port() + "/"), BodyHandlers.ofString());
        assertThat(direct.body()).isEqualTo("b");
        assertThat(direct.uri().getPort()).isEqualTo(b[1].port());
        assertThat(client.stats("users").requests()).isEqualTo(5);
        assertThat(client.stats("users").attempts()).isEqualTo(5);
        assertThat(client.services()).containsExactly("users");
        assertThatThrownBy(() -> client.stats("orders")).hasMessage("service: 'orders' (expected: one of [users])");
    }

    @Test
    void keepsMethodPathQueryHeadersAndBodyAndCountsClientErrorsAsEndpointSuccess() throws Exception {
        HttpServer echo = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        echo.createContext("/", ex -> {
            String text = ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getRequestHeaders().getFirst("X-Trace")
                    + " " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] out = text.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(404, out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        });
        echo.start();
        closeLater(() -> echo.stop(0));
        Balancer users = Balancer.builder("users").endpoints("127.0.0.1:" + echo.getAddress().getPort()).build();
        List<Selection.Outcome> outcomes = outcomes(users);
        LoadBalancedHttpClient client = client(LoadBalancedHttpClient.builder(newDelegate()).service(users));

        HttpRequest put = HttpRequest.newBuilder(URI.create("http://users/a%20b/c?x=1&y=%26"))
                .PUT(BodyPublishers.ofString("payload")).header("X-Trace", "t-1").build();
        HttpResponse<String> r = client.send(put, BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(404);
        // absolute form, the service as authority (see HostHeaderTest); raw path and query as sent
        assertThat(r.body()).isEqualTo("PUT http://users/a%20b/c?x=1&y=%26 t-1 payload");
        assertThat(outcomes).containsExactly(Selection.Outcome.SUCCESS);
        assertThat(client.stats("users").retries()).isZero();
    }

    @Test
    void bodyThatCannotBeReplayedIsNotRetried() throws Exception {
        LoopbackBackend[] b = start("dead", "live");
        b[0].stop();
        LoadBalancedHttpClient client = client(LoadBalancedHttpClient.builder(newDelegate()).service(balancer("users", b), NO_BACKOFF));
        HttpRequest put = HttpRequest.newBuilder(URI.create("http://users/blob"))
                .PUT(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[10]))).build();

        assertThatThrownBy(() -> client.send(put, BodyHandlers.discarding())).isInstanceOf(ConnectException.class);
        assertThat(client.stats("users").retries()).isZero();
        assertThat(b[1].requestCount()).isZero();
    }

    @Test
    void retryAfterOneSecondIsWaitedOnTheInjectedScheduler() throws Exception {
        LoopbackBackend[] b = start("busy", "free");
        b[0].status(503).retryAfter("1");
        LoadBalancedHttpClient client = client(LoadBalancedHttpClient.builder(newDelegate()).service(balancer("users", b))
                .scheduler(scheduler).ticker(ticker));

        CompletableFuture<HttpResponse<String>> call = client.sendAsync(get("http://users/x"), BodyHandlers.ofString());
        await("the retry to be scheduled", () -> scheduler.pendingCount() == 1);

        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(1));
        scheduler.advance(Duration.ofMillis(999));
        assertThat(call).isNotDone();
        assertThat(b[1].requestCount()).isZero();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(call.get().body()).isEqualTo("free");
        assertThat(client.stats("users").retriesByReason()).containsExactly(java.util.Map.entry("status_503", 1L));
    }

    @Test
    void retryAfterHttpDateIsReadAgainstTheInjectedClock() throws Exception {
        LoopbackBackend[] b = start("busy", "free");
        b[0].status(503).retryAfter("Sat, 21 Nov 2026 10:00:02 GMT");
        java.time.Clock clock = java.time.Clock.fixed(java.time.Instant.parse("2026-11-21T10:00:00Z"), java.time.ZoneOffset.UTC);
        LoadBalancedHttpClient client = client(LoadBalancedHttpClient.builder(newDelegate()).service(balancer("users", b))
                .scheduler(scheduler).ticker(ticker).clock(clock));

        CompletableFuture<HttpResponse<String>> call = client.sendAsync(get("http://users/x"), BodyHandlers.ofString());
        await("the retry to be scheduled", () -> scheduler.pendingCount() == 1);

        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(2));
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(call.get().body()).isEqualTo("free");
    }

    @Test
    void retryAfterBeyondTheDeadlineReturnsTheResponseAtOnce() throws Exception {
        LoopbackBackend[] b = start("busy", "free");
        b[0].status(503).retryAfter("1");
        LoadBalancedHttpClient client = client(LoadBalancedHttpClient.builder(newDelegate()).service(balancer("users", b))
                .scheduler(scheduler).ticker(ticker));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://users/x")).timeout(Duration.ofMillis(800)).build();

        HttpResponse<String> r = client.sendAsync(request, BodyHandlers.ofString()).get();

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(scheduler.pendingCount()).isZero();
        assertThat(b[1].requestCount()).isZero();
    }

    @Test
    void retryAfterIsWaitedInRealTimeWithTheDefaultScheduler() throws Exception {
        LoopbackBackend[] b = start("busy", "free");
        b[0].status(503).retryAfter("1");
        LoadBalancedHttpClient client = client(LoadBalancedHttpClient.builder(newDelegate()).service(balancer("users", b)));

        long start = System.nanoTime();
        assertThat(client.send(get("http://users/x"), BodyHandlers.ofString()).body()).isEqualTo("free");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(950), Duration.ofSeconds(5));
    }

    @Test
    void retryAfterLongerThanTheCapReturnsTheResponseWithoutRetry() throws Exception {
        LoopbackBackend[] b = start("busy", "free");
        b[0].status(503).retryAfter("120");
        LoadBalancedHttpClient client = client(LoadBalancedHttpClient.builder(newDelegate()).service(balancer("users", b)));

        HttpResponse<String> r = client.send(get("http://users/x"), BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("busy");
        assertThat(b[1].requestCount()).isZero();
    }

    @Test
    void hangingBackendTriggersThePerAttemptTimeoutAndTheNextEndpointAnswers() throws Exception {
        LoopbackBackend[] b = start("hung", "ok");
        b[0].hang();
        RetryPolicy policy = RetryPolicy.builder().perAttemptTimeout(Duration.ofMillis(300)).build();
        LoadBalancedHttpClient client = client(LoadBalancedHttpClient.builder(newDelegate()).service(balancer("users", b), policy));

        long start = System.nanoTime();
        HttpResponse<String> r = client.send(get("http://users/x"), BodyHandlers.ofString());

        assertThat(r.body()).isEqualTo("ok");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(290), Duration.ofSeconds(5));
        assertThat(client.stats("users").retriesByReason()).containsEntry("timeout", 1L);
        assertThat(client.stats("users").failedAttemptsByEndpoint()).containsOnlyKeys(b[0].endpoint().authority());
    }

    @Test
    void requestTimeoutIsTheDeadlineOfTheWholeCall() throws Exception {
        LoopbackBackend[] b = start("hung1", "hung2", "hung3");
        for (LoopbackBackend x : b) {
            x.hang();
        }
        RetryPolicy policy = RetryPolicy.builder().perAttemptTimeout(Duration.ofMillis(200)).build();
        LoadBalancedHttpClient client = client(LoadBalancedHttpClient.builder(newDelegate()).service(balancer("users", b), policy));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://users/x")).timeout(Duration.ofMillis(300)).build();

        long start = System.nanoTime();
        assertThatThrownBy(() -> client.send(request, BodyHandlers.ofString()))
                .isInstanceOf(java.net.http.HttpTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        assertThat(b[2].requestCount()).isZero(); // no time was left for a third attempt
    }

    @Test
    void cancellingAsyncCallDuringBackoffStopsRetries() throws Exception {
        LoopbackBackend[] b = start("a", "b");
        b[0].status(502);
        b[1].status(502);
        RetryPolicy slow = RetryPolicy.builder().backoff(Duration.ofSeconds(1), Duration.ofSeconds(1)).build();
        LoadBalancedHttpClient client = client(LoadBalancedHttpClient.builder(newDelegate()).service(balancer("users", b), slow)
                .scheduler(scheduler).ticker(ticker).random(ScriptedRandom.strict().nextDoubles(0.5)));

        CompletableFuture<HttpResponse<String>> call = client.sendAsync(get("http://users/x"), BodyHandlers.ofString());
        await("the retry to be scheduled", () -> scheduler.pendingCount() == 1);
        assertThat(call.cancel(true)).isTrue();

        assertThat(scheduler.pendingCount()).isZero();
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(b[0].requestCount() + b[1].requestCount()).isEqualTo(1);
        assertThatThrownBy(call::join).isInstanceOf(CancellationException.class);
        assertThat(client.stats("users").cancelled()).isEqualTo(1);
    }

    @Test
    void cancellingAsyncCallInFlightCancelsTheAttemptAndReleasesTheEndpoint() throws Exception {
        LoopbackBackend[] b = start("hung", "ok");
        b[0].hang();
        Balancer users = balancer("users", b);
        List<Selection.Outcome> outcomes = outcomes(users);
        LoadBalancedHttpClient client = client(LoadBalancedHttpClient.builder(newDelegate()).service(users));

        CompletableFuture<HttpResponse<String>> call = client.sendAsync(get("http://users/x"), BodyHandlers.ofString());
        await("the hung backend to receive the request", () -> b[0].requestCount() == 1);
        call.cancel(true);

        await("the selection to be cancelled", () -> !outcomes.isEmpty());
        assertThat(outcomes).containsExactly(Selection.Outcome.CANCELLED);
        assertThat(users.snapshot().members().get(0).inFlight()).isZero();
        assertThat(b[1].requestCount()).isZero();
        assertThat(client.stats("users").retries()).isZero();
    }

    @Test
    void interruptingABlockingSendCancelsTheAttemptAndStopsRetries() throws Exception {
        LoopbackBackend[] b = start("hung", "ok");
        b[0].hang();
        Balancer users = balancer("users", b);
        List<Selection.Outcome> outcomes = outcomes(users);
        LoadBalancedHttpClient client = client(LoadBalancedHttpClient.builder(newDelegate()).service(users));
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                client.send(get("http://users/x"), BodyHandlers.ofString());
                thrown.complete(null);
            } catch (Throwable e) {
                thrown.complete(e);
            }
        }, "blocked-caller");
        caller.start();
        await("the hung backend to receive the request", () -> b[0].requestCount() == 1);

        caller.interrupt();

        assertThat(thrown.get(10, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        await("the selection to be cancelled", () -> !outcomes.isEmpty());
        assertThat(outcomes).containsExactly(Selection.Outcome.CANCELLED);
        assertThat(b[1].requestCount()).isZero();
        assertThat(client.stats("users").cancelled()).isEqualTo(1);
    }

    @Test
    void everyAttemptFailingThrowsTheLastFailureExplainedWithEarlierOnesSuppressed() throws Exception {
        LoopbackBackend[] b = start("a", "b", "c");
        closeAll(b);
        LoadBalancedHttpClient client = client(LoadBalancedHttpClient.builder(newDelegate()).service(balancer("users", b), NO_BACKOFF));

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> client.send(get("http://users/x"), BodyHandlers.ofString()));

        assertThat(thrown).isInstanceOf(ConnectException.class).hasCauseInstanceOf(ConnectException.class);
        assertThat(thrown.getSuppressed()).hasSize(2).allMatch(ConnectException.class::isInstance);
        String refused = " ConnectException (connection failed, nothing sent)";
        assertThat(thrown).hasMessage("GET to 'users' failed after 3 attempts: #1 " + b[0].endpoint().authority() + refused
                + "; #2 " + b[1].endpoint().authority() + refused + "; #3 " + b[2].endpoint().authority() + refused
                + "; no retry: maxAttempts 3 reached");
    }

    @Test
    void lastAttemptWithRetryableStatusReturnsThatResponse() throws Exception {
        LoopbackBackend[] b = start("a", "b", "c");
        for (LoopbackBackend x : b) {
            x.status(503);
        }
        Balancer users = balancer("users", b);
        List<Selection.Outcome> outcomes = outcomes(users);
        LoadBalancedHttpClient client = client(LoadBalancedHttpClient.builder(newDelegate()).service(users, NO_BACKOFF));

        HttpResponse<String> r = client.send(get("http://users/x"), BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("c");
        assertThat(outcomes).containsExactly(Selection.Outcome.FAILURE, Selection.Outcome.FAILURE, Selection.Outcome.FAILURE);
        assertThat(client.stats("users").retries()).isEqualTo(2);
        assertThat(client.stats("users").failed()).isEqualTo(1);
    }

    @Test
    void discardedResponseBodyIsDrainedSoTheRetryReusesTheConnection() throws Exception {
        java.util.Set<Integer> clientPorts = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            clientPorts.add(ex.getRemoteAddress().getPort());
            byte[] body = new byte[calls.incrementAndGet() == 1 ? 64 * 1024 : 2];
            ex.sendResponseHeaders(calls.get() == 1 ? 503 : 200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
        closeLater(() -> server.stop(0));
        Balancer single = Balancer.builder("users").endpoints("127.0.0.1:" + server.getAddress().getPort()).build();
        LoadBalancedHttpClient client = client(LoadBalancedHttpClient.builder(newDelegate())
                .service(single, NO_BACKOFF));

        HttpResponse<byte[]> r = client.send(get("http://users/x"), BodyHandlers.ofByteArray());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).hasSize(2);
        assertThat(calls).hasValue(2);
        assertThat(clientPorts).hasSize(1);
    }

    @Test
    void nonRetryableServerErrorIsReturnedAndCountedAsEndpointFailure() throws Exception {
        LoopbackBackend[] b = start("a", "b");
        b[0].status(500);
        Balancer users = balancer("users", b);
        List<Selection.Outcome> outcomes = outcomes(users);
        LoadBalancedHttpClient client = client(LoadBalancedHttpClient.builder(newDelegate()).service(users));

        assertThat(client.send(get("http://users/x"), BodyHandlers.ofString()).statusCode()).isEqualTo(500);
        assertThat(outcomes).containsExactly(Selection.Outcome.FAILURE);
        assertThat(b[1].requestCount()).isZero();
    }

    @Test
    void everyBackendFailingKeepsTotalAttemptsWithinTheBudget() throws Exception {
        LoopbackBackend[] b = start("a", "b", "c");
        for (LoopbackBackend x : b) {
            x.status(503);
        }
        RetryPolicy policy = RetryPolicy.builder().backoff(Duration.ZERO, Duration.ZERO)
                .budget(RetryBudget.of(0.2, Duration.ofSeconds(10), 1)).build();
        FakeTicker frozen = new FakeTicker();
        LoadBalancedHttpClient client = client(LoadBalancedHttpClient.builder(newDelegate()).service(balancer("users", b), policy)
                .ticker(frozen));

        for (int i = 0; i < 100; i++) {
            assertThat(client.send(get("http://users/x"), BodyHandlers.discarding()).statusCode()).isEqualTo(503);
        }

        ServiceStats stats = client.stats("users");
        int sent = b[0].requestCount() + b[1].requestCount() + b[2].requestCount();
        assertThat(sent).isEqualTo(stats.attempts());
        // 100 first attempts + at most 0.2 * 100 + 1 * 10 retries, instead of 300 attempts
        assertThat(stats.retries()).isBetween(25L, 30L);
        assertThat(sent).isLessThanOrEqualTo(130);
        assertThat(stats.budgetExhausted()).isPositive();
    }

    @Test
    void emptyBudgetFailsWithTheRealCauseAndSaysSo() throws Exception {
        RawBackend dies = closeLater(RawBackend.start("dies", RawBackend.Mode.CLOSE_AFTER_READ));
        LoopbackBackend[] live = start("live");
        RetryPolicy policy = RetryPolicy.builder().budget(RetryBudget.of(0, Duration.ofSeconds(10), 0)).build();
        Balancer users = Balancer.builder("users").endpoints(List.of(dies.endpoint(), live[0].endpoint()))
                .random(ScriptedRandom.zeros()).build();
        LoadBalancedHttpClient client = client(LoadBalancedHttpClient.builder(newDelegate()).service(users, policy));

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> client.send(get("http://users/x"), BodyHandlers.ofString()));

        assertThat(thrown).isInstanceOf(java.io.IOException.class)
                .hasMessageStartingWith("GET to 'users' failed after 1 attempt: #1 " + dies.endpoint().authority() + " IOException: ")
                .hasMessageEndingWith("; no retry: the retry budget of 'users' is exhausted");
        assertThat(client.stats("users").budgetExhausted()).isEqualTo(1);
        assertThat(live[0].requestCount()).isZero();
    }

    @Test
    void serviceWithoutEndpointsFailsWithConnectExceptionNamingTheService() {
        Balancer empty = Balancer.builder("users").endpoints(List.of()).build();
        LoadBalancedHttpClient client = client(LoadBalancedHttpClient.builder(newDelegate()).service(empty));

        assertThatThrownBy(() -> client.send(get("http://users/x"), BodyHandlers.ofString()))
                .isInstanceOf(ConnectException.class).hasMessageContaining("no endpoint for 'users'");
    }

    @Test
    void builderRejectsDuplicateServicesAndMissingServices() {
        Balancer users = Balancer.builder("users").endpoints("127.0.0.1:1").build();
        assertThatThrownBy(() -> LoadBalancedHttpClient.builder(newDelegate()).service(users).service(users))
                .hasMessage("service: 'users' (expected: each service once)");
        assertThatThrownBy(() -> LoadBalancedHttpClient.builder(newDelegate()).build())
                .hasMessage("no service: add at least one with service(Balancer)");
        assertThatThrownBy(() -> LoadBalancedHttpClient.builder(null))
                .hasMessage("delegate: null (expected: not null)");
    }
}
