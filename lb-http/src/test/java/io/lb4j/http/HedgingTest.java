package io.lb4j.http;

import static io.lb4j.http.Fixtures.await;
import static io.lb4j.http.Fixtures.balancer;
import static io.lb4j.http.Fixtures.get;
import static io.lb4j.http.Fixtures.newDelegate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Balancer;
import io.lb4j.core.Selection;
import io.lb4j.testing.FakeScheduler;
import io.lb4j.testing.FakeTicker;
import io.lb4j.testing.LoopbackBackend;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HedgingTest extends LoopbackTestSupport {

    private static final RetryPolicy HEDGED = RetryPolicy.builder().hedgeAfter(Duration.ofMillis(100))
            .backoff(Duration.ZERO, Duration.ZERO).build();

    private final FakeTicker ticker = new FakeTicker();
    private final FakeScheduler scheduler = new FakeScheduler(ticker);

    private LoadBalancedHttpClient client(Balancer balancer, RetryPolicy policy, boolean fakeTime) {
        LoadBalancedHttpClientBuilder builder = LoadBalancedHttpClient.builder(newDelegate()).service(balancer, policy);
        if (fakeTime) {
            builder.scheduler(scheduler).ticker(ticker);
        }
        LoadBalancedHttpClient c = builder.build();
        return closeLater(c);
    }

    @Test
    void slowAttemptIsHedgedAfterTheDelayAndTheFirstAnswerWins() throws Exception {
        LoopbackBackend[] b = start("slow", "fast");
        b[0].delay(Duration.ofSeconds(3));
        Balancer users = balancer("users", b);
        List<Selection.Outcome> outcomes = outcomes(users);
        LoadBalancedHttpClient client = client(users, HEDGED, true);

        CompletableFuture<HttpResponse<String>> call = client.sendAsync(get("http://users/x"), BodyHandlers.ofString());
        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(100));
        await("the slow backend to receive the request", () -> b[0].requestCount() == 1);
        scheduler.advance(Duration.ofMillis(99));
        assertThat(b[1].requestCount()).isZero();
        scheduler.advance(Duration.ofMillis(1));

        assertThat(call.get().body()).isEqualTo("fast");
        await("the slow attempt to be cancelled", () -> outcomes.size() == 2);
        assertThat(outcomes).containsExactlyInAnyOrder(Selection.Outcome.SUCCESS, Selection.Outcome.CANCELLED);
        assertThat(scheduler.pendingCount()).isZero();
        assertThat(client.stats("users").retriesByReason()).containsEntry("hedge", 1L);
        assertThat(client.stats("users").attempts()).isEqualTo(2);
    }

    @Test
    void quickAnswerCancelsTheHedgeTimer() throws Exception {
        LoopbackBackend[] b = start("a", "b");
        LoadBalancedHttpClient client = client(balancer("users", b), HEDGED, true);

        assertThat(client.sendAsync(get("http://users/x"), BodyHandlers.ofString()).get().body()).isEqualTo("a");

        assertThat(scheduler.pendingCount()).isZero();
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(b[1].requestCount()).isZero();
        assertThat(client.stats("users").attempts()).isEqualTo(1);
    }

    @Test
    void requestsThatMayNotBeRetriedAreNotHedged() throws Exception {
        LoopbackBackend[] b = start("slow", "fast");
        b[0].delay(Duration.ofMillis(300));
        LoadBalancedHttpClient client = client(balancer("users", b), HEDGED, true);
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://users/x")).POST(BodyPublishers.ofString("x")).build();

        CompletableFuture<HttpResponse<String>> call = client.sendAsync(post, BodyHandlers.ofString());

        assertThat(scheduler.pendingCount()).isZero();
        assertThat(call.get().body()).isEqualTo("slow");
        assertThat(b[1].requestCount()).isZero();
    }

    @Test
    void failureWithNothingElseRunningIsRetriedAtOnce() throws Exception {
        LoopbackBackend[] b = start("dead", "ok");
        b[0].stop();
        LoadBalancedHttpClient client = client(balancer("users", b), HEDGED, false);

        assertThat(client.send(get("http://users/x"), BodyHandlers.ofString()).body()).isEqualTo("ok");
        assertThat(client.stats("users").retriesByReason()).containsOnlyKeys("connect");
    }

    @Test
    void blockingSendIsHedgedInRealTime() throws Exception {
        LoopbackBackend[] b = start("slow", "fast");
        b[0].delay(Duration.ofSeconds(2));
        LoadBalancedHttpClient client = client(balancer("users", b), HEDGED, false);

        long t0 = System.nanoTime();
        assertThat(client.send(get("http://users/x"), BodyHandlers.ofString()).body()).isEqualTo("fast");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(95), Duration.ofMillis(1500));
    }

    @Test
    void cancellingAHedgedCallCancelsEveryAttemptInFlight() throws Exception {
        LoopbackBackend[] b = start("hung1", "hung2");
        b[0].hang();
        b[1].hang();
        Balancer users = balancer("users", b);
        List<Selection.Outcome> outcomes = outcomes(users);
        LoadBalancedHttpClient client = client(users, HEDGED, true);

        CompletableFuture<HttpResponse<String>> call = client.sendAsync(get("http://users/x"), BodyHandlers.ofString());
        await("the first backend to receive the request", () -> b[0].requestCount() == 1);
        scheduler.advance(Duration.ofMillis(100));
        await("the hedge to reach the second backend", () -> b[1].requestCount() == 1);

        call.cancel(true);

        await("both attempts to be cancelled", () -> outcomes.size() == 2);
        assertThat(outcomes).containsOnly(Selection.Outcome.CANCELLED);
        assertThat(scheduler.pendingCount()).isZero();
        assertThatThrownBy(call::join).isInstanceOf(CancellationException.class);
        assertThat(client.stats("users").cancelled()).isEqualTo(1);
    }

    @Test
    void hedgeAfterMustBePositive() {
        assertThatThrownBy(() -> RetryPolicy.builder().hedgeAfter(Duration.ZERO))
                .hasMessage("hedgeAfter: PT0S (expected: > 0)");
    }
}
