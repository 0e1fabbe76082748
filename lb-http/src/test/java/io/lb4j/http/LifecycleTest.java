package io.lb4j.http;

import static io.lb4j.http.Fixtures.backends;
import static io.lb4j.http.Fixtures.balancer;
import static io.lb4j.http.Fixtures.closeAll;
import static io.lb4j.http.Fixtures.get;
import static io.lb4j.http.Fixtures.newDelegate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.lb4j.core.Balancer;
import io.lb4j.testing.FakeScheduler;
import io.lb4j.testing.FakeTicker;
import io.lb4j.testing.LoopbackBackend;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    private static final Balancer USERS = Balancer.builder("users").endpoints("127.0.0.1:1").build();

    @Test
    void closeStopsTheOwnRetryScheduler() {
        LoadBalancedHttpClient client = LoadBalancedHttpClient.builder(newDelegate()).service(USERS).build();
        assertThat(client.isTerminated()).isFalse();
        client.close();
        assertThat(client.isTerminated()).isTrue();
        client.close(); // idempotent
    }

    @Test
    void aSchedulerThatWasGivenIsLeftRunning() {
        FakeScheduler scheduler = new FakeScheduler(new FakeTicker());
        LoadBalancedHttpClient client = LoadBalancedHttpClient.builder(newDelegate()).service(USERS).scheduler(scheduler).build();
        client.close();
        assertThat(scheduler.isShutdown()).isFalse();
    }

    @Test
    void closeReachesTheDelegateOnJava21AndLater() throws Exception {
        assumeThat(Runtime.version().feature()).as("HttpClient has a lifecycle from Java 21").isGreaterThanOrEqualTo(21);
        HttpClient delegate = newDelegate();
        LoadBalancedHttpClient client = LoadBalancedHttpClient.builder(delegate).service(USERS).build();
        assertThat(isTerminated(delegate)).isFalse();

        ((AutoCloseable) (Object) client).close(); // through HttpClient's own AutoCloseable on 21+

        assertThat(isTerminated(delegate)).isTrue();
        assertThat(client.isTerminated()).isTrue();
    }

    @Test
    void shutdownNowAndAwaitTerminationReachTheDelegateOnJava21AndLater() throws Exception {
        assumeThat(Runtime.version().feature()).as("HttpClient has a lifecycle from Java 21").isGreaterThanOrEqualTo(21);
        HttpClient delegate = newDelegate();
        HttpClient client = LoadBalancedHttpClient.builder(delegate).service(USERS).build();
        // called as HttpClient methods, the way code written for 21 calls them
        HttpClient.class.getMethod("shutdownNow").invoke(client);
        assertThat((Boolean) HttpClient.class.getMethod("awaitTermination", Duration.class)
                .invoke(client, Duration.ofSeconds(5))).isTrue();
        assertThat(isTerminated(delegate)).isTrue();
    }

    @Test
    void delegateStaysUsableAfterCloseOnJava17() throws Exception {
        assumeThat(Runtime.version().feature()).isLessThan(21);
        LoopbackBackend[] b = backends("a");
        try {
            HttpClient delegate = newDelegate();
            LoadBalancedHttpClient.builder(delegate).service(balancer("users", b)).build().close();
            assertThat(delegate.send(get("http://" + b[0].endpoint().authority() + "/"), BodyHandlers.ofString()).body())
                    .isEqualTo("a");
        } finally {
            closeAll(b);
        }
    }

    @Test
    void configurationMethodsDelegate() {
        HttpClient delegate = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NORMAL).version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newSingleThreadExecutor()).build();
        LoadBalancedHttpClient client = LoadBalancedHttpClient.builder(delegate).service(USERS).build();
        assertThat(client.delegate()).isSameAs(delegate);
        assertThat(client.connectTimeout()).isEqualTo(delegate.connectTimeout());
        assertThat(client.followRedirects()).isEqualTo(HttpClient.Redirect.NORMAL);
        assertThat(client.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(client.executor()).isEqualTo(delegate.executor());
        assertThat(client.sslContext()).isSameAs(delegate.sslContext());
        assertThat(client.proxy()).isEqualTo(delegate.proxy());
        assertThat(client.cookieHandler()).isEqualTo(delegate.cookieHandler());
        assertThat(client.authenticator()).isEqualTo(delegate.authenticator());
        assertThat(client.newWebSocketBuilder()).isNotNull();
        client.close();
        delegate.executor().ifPresent(e -> ((java.util.concurrent.ExecutorService) e).shutdownNow());
    }

    private static boolean isTerminated(HttpClient delegate) throws Exception {
        return (Boolean) HttpClient.class.getMethod("isTerminated").invoke(delegate);
    }
}
