package io.lb4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.testing.ScriptedRandom;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static HttpRequest request(String method, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://users/x")).method(method, BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return b.build();
    }

    @Test
    void defaultsAreThreeAttemptsOnGatewayStatusesWithJitteredBackoffAndBudget() {
        RetryPolicy p = RetryPolicy.ofDefaults();
        assertThat(p.maxAttempts()).isEqualTo(3);
        assertThat(p.retryStatuses()).containsExactlyInAnyOrder(502, 503, 504);
        assertThat(p.retriesStatus(503)).isTrue();
        assertThat(p.retriesStatus(500)).isFalse();
        assertThat(p.perAttemptTimeout()).isNull();
        assertThat(p.backoffBase()).isEqualTo(Duration.ofMillis(25));
        assertThat(p.backoffCap()).isEqualTo(Duration.ofMillis(250));
        assertThat(p.budget()).isSameAs(RetryBudget.ofDefaults());
        assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
    }

    @Test
    void onlyIdempotentMethodsUnlessKeyHeaderPresentOrAllMethodsAllowed() {
        RetryPolicy defaults = RetryPolicy.ofDefaults();
        for (String m : new String[] {"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"}) {
            assertThat(defaults.allowsMethod(request(m))).as(m).isTrue();
        }
        assertThat(defaults.allowsMethod(request("POST"))).isFalse();
        assertThat(defaults.allowsMethod(request("PATCH"))).isFalse();
        assertThat(defaults.allowsMethod(request("POST", "Idempotency-Key", "k1"))).isFalse();

        RetryPolicy keyed = RetryPolicy.builder().idempotencyKeyHeader("Idempotency-Key").build();
        assertThat(keyed.allowsMethod(request("POST", "idempotency-key", "k1"))).isTrue();
        assertThat(keyed.allowsMethod(request("POST"))).isFalse();

        assertThat(RetryPolicy.builder().retryAllMethods(true).build().allowsMethod(request("PATCH"))).isTrue();
    }

    @Test
    void backoffIsFullJitterUnderAnExponentialCeilingCappedAtTheCap() {
        RetryPolicy p = RetryPolicy.builder().backoff(Duration.ofMillis(25), Duration.ofMillis(250)).build();
        ScriptedRandom top = ScriptedRandom.strict().nextDoubles(0.999999, 0.999999, 0.999999, 0.999999, 0.999999, 0.5, 0.0);
        assertThat(Duration.ofNanos(p.backoffNanos(1, top))).isBetween(Duration.ofMillis(24), Duration.ofMillis(25));
        assertThat(Duration.ofNanos(p.backoffNanos(2, top))).isBetween(Duration.ofMillis(49), Duration.ofMillis(50));
        assertThat(Duration.ofNanos(p.backoffNanos(3, top))).isBetween(Duration.ofMillis(99), Duration.ofMillis(100));
        assertThat(Duration.ofNanos(p.backoffNanos(5, top))).isBetween(Duration.ofMillis(249), Duration.ofMillis(250));
        assertThat(Duration.ofNanos(p.backoffNanos(40, top))).isBetween(Duration.ofMillis(249), Duration.ofMillis(250));
        assertThat(p.backoffNanos(2, top)).isEqualTo(Duration.ofMillis(25).toNanos());
        assertThat(p.backoffNanos(2, top)).isZero();
        assertThat(RetryPolicy.builder().backoff(Duration.ZERO, Duration.ZERO).build().backoffNanos(3, top)).isZero();
    }

    @Test
    void rejectsBadSettingsNamingValueAndRule() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0))
                .hasMessage("maxAttempts: 0 (expected: 1-10)");
        assertThatThrownBy(() -> RetryPolicy.builder().retryStatuses(404))
                .hasMessage("retry status: 404 (expected: 500-599)");
        assertThatThrownBy(() -> RetryPolicy.builder().perAttemptTimeout(Duration.ZERO))
                .hasMessage("perAttemptTimeout: PT0S (expected: > 0)");
        assertThatThrownBy(() -> RetryPolicy.builder().backoff(Duration.ofMillis(100), Duration.ofMillis(10)))
                .hasMessage("backoff cap: PT0.01S (expected: >= base PT0.1S)");
        assertThatThrownBy(() -> RetryPolicy.builder().idempotencyKeyHeader(" "))
                .hasMessage("idempotencyKeyHeader: '' (expected: a header name)");
        assertThatThrownBy(() -> RetryBudget.of(-0.1, Duration.ofSeconds(1), 1))
                .hasMessage("ratio: -0.1 (expected: 0.0-1000.0)");
        assertThatThrownBy(() -> RetryBudget.of(0.1, Duration.ofHours(2), 1))
                .hasMessage("window: PT2H (expected: <= PT1H)");
    }
}
