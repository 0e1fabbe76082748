package io.lb4j.http;

import static io.lb4j.http.Fixtures.balancer;
import static io.lb4j.http.Fixtures.get;
import static io.lb4j.http.Fixtures.newDelegate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lb4j.core.Balancer;
import io.lb4j.testing.LoopbackBackend;
import java.io.ByteArrayInputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exception a failed call ends with: the last failure's kind, a message naming the service,
 * every attempt's endpoint and outcome and why retrying stopped (one attempt included), the last
 * failure as cause and earlier ones suppressed; no header value, query or body in the message.
 */
class FailureMessagesTest extends LoopbackTestSupport {

    private static final String REFUSED = " ConnectException (connection failed, nothing sent)";

    private LoadBalancedHttpClient client(Balancer balancer, RetryPolicy policy) {
        return closeLater(LoadBalancedHttpClient.builder(newDelegate()).service(balancer, policy).build());
    }

    @Test
    void singleAttemptSaysWhereItWentAndThatNoRetryWasAllowed() throws Exception {
        LoopbackBackend[] b = start("dead");
        b[0].stop();
        LoadBalancedHttpClient client = client(balancer("users", b), RetryPolicy.none());

        Throwable thrown = catchThrowable(() -> client.send(get("http://users/x"), BodyHandlers.ofString()));

        assertThat(thrown).isExactlyInstanceOf(ConnectException.class).hasCauseExactlyInstanceOf(ConnectException.class)
                .hasMessage("GET to 'users' failed after 1 attempt: #1 " + b[0].endpoint().authority() + REFUSED
                        + "; no retry: maxAttempts 1 reached");
        assertThat(thrown.getSuppressed()).isEmpty();
    }

    @Test
    void unresolvableHostIsNamedAsSuch() {
        Balancer users = Balancer.builder("users").endpoints("nonexistent.invalid:80").build();
        LoadBalancedHttpClient client = client(users, RetryPolicy.none());

        Throwable thrown = catchThrowable(() -> client.send(get("http://users/x"), BodyHandlers.ofString()));

        assertThat(thrown).isExactlyInstanceOf(ConnectException.class).hasMessage("GET to 'users' failed after 1 attempt:"
                + " #1 nonexistent.invalid:80 ConnectException (host not resolved, nothing sent); no retry: maxAttempts 1 reached");
    }

    @Test
    void deadlineThatStopsRetryingKeepsTheTimeoutKind() throws Exception {
        LoopbackBackend[] b = start("hung1", "hung2", "hung3");
        for (LoopbackBackend x : b) {
            x.hang();
        }
        RetryPolicy policy = RetryPolicy.builder().perAttemptTimeout(Duration.ofMillis(500)).build();
        LoadBalancedHttpClient client = client(balancer("users", b), policy);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://users/x")).timeout(Duration.ofMillis(800)).build();

        Throwable thrown = catchThrowable(() -> client.send(request, BodyHandlers.ofString()));

        // the second attempt has the 300 ms left: on a busy machine its connect may be what times out
        assertThat(thrown).isInstanceOf(HttpTimeoutException.class).hasCauseInstanceOf(HttpTimeoutException.class)
                .hasMessageStartingWith("GET to 'users' failed after 2 attempts: #1 " + b[0].endpoint().authority()
                        + " HttpTimeoutException: request timed out; #2 " + b[1].endpoint().authority() + " Http")
                .hasMessageEndingWith("; no retry: the deadline PT0.8S would pass first");
        assertThat(thrown.getSuppressed()).singleElement().isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void bodyThatCannotBeSentAgainStopsEvenARequeue() throws Exception {
        LoopbackBackend[] b = start("dead", "live");
        b[0].stop();
        LoadBalancedHttpClient client = client(balancer("users", b), RetryPolicy.ofDefaults());
        HttpRequest put = HttpRequest.newBuilder(URI.create("http://users/blob"))
                .PUT(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[10]))).build();

        Throwable thrown = catchThrowable(() -> client.send(put, BodyHandlers.discarding()));

        assertThat(thrown).isExactlyInstanceOf(ConnectException.class).hasMessage("PUT to 'users' failed after 1 attempt: #1 "
                + b[0].endpoint().authority() + REFUSED + "; no retry: the request body cannot be sent again");
        assertThat(b[1].requestCount()).isZero();
    }

    @Test
    void noEndpointLeftAfterAFailedAttemptSaysSo() throws Exception {
        LoopbackBackend[] b = start("a");
        Balancer users = balancer("users", b);
        // the attempt fails and, meanwhile, the service's source empties the list
        ThrowingDelegate delegate = new ThrowingDelegate(newDelegate()).throwFor(b[0].port(), () -> {
            users.update(List.of());
            return new IllegalStateException("interceptor bug");
        });
        LoadBalancedHttpClient client = closeLater(LoadBalancedHttpClient.builder(delegate).service(users).build());

        Throwable thrown = catchThrowable(() -> client.send(get("http://users/x"), BodyHandlers.ofString()));

        assertThat(thrown).isExactlyInstanceOf(ConnectException.class)
                .hasMessageStartingWith("GET to 'users' failed after 1 attempt: #1 " + b[0].endpoint().authority()
                        + " IllegalStateException: interceptor bug (thrown while sending); no retry: no endpoint for 'users'");
        assertThat(thrown.getSuppressed()).singleElement().isInstanceOf(IllegalStateException.class);
    }

    @Test
    void uncheckedExceptionsOnEveryAttemptEndAsAnIOExceptionFromSendAndSendAsync() throws Exception {
        LoopbackBackend[] b = start("a", "b", "c");
        ThrowingDelegate delegate = new ThrowingDelegate(newDelegate());
        for (LoopbackBackend x : b) {
            delegate.throwFor(x.port(), () -> new IllegalStateException("interceptor bug"));
        }
        LoadBalancedHttpClient client = closeLater(LoadBalancedHttpClient.builder(delegate)
                .service(balancer("users", b), RetryPolicy.builder().backoff(Duration.ZERO, Duration.ZERO).build()).build());

        Throwable sent = catchThrowable(() -> client.send(get("http://users/x"), BodyHandlers.ofString()));
        Throwable async = catchThrowable(() -> client.sendAsync(get("http://users/x"), BodyHandlers.ofString()).join());

        String bug = " IllegalStateException: interceptor bug (thrown while sending)";
        assertThat(sent).isExactlyInstanceOf(java.io.IOException.class).hasCauseExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("GET to 'users' failed after 3 attempts: #1 " + b[0].endpoint().authority() + bug + "; #2 "
                        + b[1].endpoint().authority() + bug + "; #3 " + b[2].endpoint().authority() + bug
                        + "; no retry: maxAttempts 3 reached");
        assertThat(async).isInstanceOf(java.util.concurrent.CompletionException.class)
                .cause().isExactlyInstanceOf(java.io.IOException.class).hasMessageStartingWith("GET to 'users' failed after 3 attempts: ");
    }

    @Test
    void headerValuesQueriesAndBodiesNeverAppearInTheMessage() throws Exception {
        LoopbackBackend[] b = start("a", "b");
        Fixtures.closeAll(b);
        LoadBalancedHttpClient client = client(balancer("users", b), RetryPolicy.ofDefaults());
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://users/x?token=query-secret"))
                .header("Authorization", "Bearer header-secret").POST(BodyPublishers.ofString("body-secret")).build();

        Throwable thrown = catchThrowable(() -> client.send(request, BodyHandlers.ofString()));

        assertThat(thrown).hasMessageStartingWith("POST to 'users' failed after 3 attempts: ");
        assertThat(thrown.getMessage()).doesNotContain("secret", "Authorization", "token");
    }
}
