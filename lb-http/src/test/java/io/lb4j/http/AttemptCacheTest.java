package io.lb4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Endpoint;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AttemptCacheTest {
    private final AttemptCache cache = new AttemptCache();
    private final Endpoint a = Endpoint.of("10.0.0.1", 80);
    private final Endpoint b = Endpoint.of("10.0.0.2", 80);

    @Test
    void repeatedRequestGetsTheSameAttemptRequestPerEndpoint() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://users/x?q=1")).header("X-A", "1").build();

        HttpRequest first = cache.attempt(request, a, 0);
        assertThat(first.uri()).isEqualTo(URI.create("http://10.0.0.1:80/x?q=1"));
        assertThat(first.headers().firstValue("X-A")).contains("1");
        assertThat(cache.attempt(request, a, 0)).isSameAs(first);
        assertThat(cache.attempt(request, b, 0).uri()).isEqualTo(URI.create("http://10.0.0.2:80/x?q=1"));
        assertThat(cache.attempt(request, a, 0)).isSameAs(first);
    }

    @Test
    void newRequestForTheSameUriReusesTheRewrittenUriButNothingElse() {
        HttpRequest one = HttpRequest.newBuilder(URI.create("http://users/x")).header("X-A", "1").build();
        HttpRequest two = HttpRequest.newBuilder(URI.create("http://users/x")).header("X-A", "2").build();

        HttpRequest first = cache.attempt(one, a, 0);
        HttpRequest second = cache.attempt(two, a, 0);

        assertThat(second).isNotSameAs(first);
        assertThat(second.uri()).isSameAs(first.uri());
        assertThat(second.headers().firstValue("X-A")).contains("2");
    }

    @Test
    void differentTimeoutOrUriBuildsAFreshAttempt() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://users/x")).build();
        HttpRequest first = cache.attempt(request, a, 0);

        HttpRequest timed = cache.attempt(request, a, Duration.ofMillis(5).toNanos());
        assertThat(timed.timeout()).contains(Duration.ofMillis(5));
        assertThat(first.timeout()).isEmpty();

        HttpRequest other = cache.attempt(HttpRequest.newBuilder(URI.create("http://users/y")).build(), a, 0);
        assertThat(other.uri()).isEqualTo(URI.create("http://10.0.0.1:80/y"));
    }
}
