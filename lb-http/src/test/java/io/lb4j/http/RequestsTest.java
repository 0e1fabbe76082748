package io.lb4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Endpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class RequestsTest {

    @Test
    void rewriteReplacesOnlyTheAuthorityAndKeepsEncodedPathQueryAndScheme() {
        URI uri = URI.create("https://users/api/a%2Fb/%C3%A9?q=a%20b&x=%26#frag");
        URI out = Requests.rewrite(uri, Endpoint.of("10.0.0.7", 8443));
        assertThat(out.toString()).isEqualTo("https://10.0.0.7:8443/api/a%2Fb/%C3%A9?q=a%20b&x=%26#frag");
        assertThat(Requests.rewrite(URI.create("http://users"), Endpoint.parse("[::1]:80")).toString())
                .isEqualTo("http://[::1]:80");
    }

    @Test
    void logicalAuthorityIsTheHostAsWrittenWithANonDefaultPort() {
        assertThat(Requests.logicalAuthority(URI.create("http://users.internal/x"))).isEqualTo("users.internal");
        assertThat(Requests.logicalAuthority(URI.create("http://Users.Internal:80/x"))).isEqualTo("Users.Internal");
        assertThat(Requests.logicalAuthority(URI.create("http://users.internal:443/x"))).isEqualTo("users.internal:443");
        assertThat(Requests.logicalAuthority(URI.create("https://users.internal:443/x"))).isEqualTo("users.internal");
        assertThat(Requests.logicalAuthority(URI.create("https://me@users:8443/x?q"))).isEqualTo("users:8443");
    }

    @Test
    void attemptRequestKeepsMethodHeadersBodyVersionAndExpectContinue() {
        HttpRequest original = HttpRequest.newBuilder(URI.create("http://users/x"))
                .POST(BodyPublishers.ofString("hello")).header("X-A", "1").header("X-A", "2")
                .version(HttpClient.Version.HTTP_1_1).expectContinue(true).timeout(Duration.ofSeconds(9)).build();
        HttpRequest copy = Requests.attemptRequest(original, URI.create("http://127.0.0.1:1/x"), Duration.ofMillis(5).toNanos());
        assertThat(copy.method()).isEqualTo("POST");
        assertThat(copy.uri()).isEqualTo(URI.create("http://127.0.0.1:1/x"));
        assertThat(copy.headers().allValues("x-a")).containsExactly("1", "2");
        assertThat(copy.bodyPublisher()).containsSame(original.bodyPublisher().get());
        assertThat(copy.version()).contains(HttpClient.Version.HTTP_1_1);
        assertThat(copy.expectContinue()).isTrue();
        assertThat(copy.timeout()).contains(Duration.ofMillis(5));
        assertThat(copy.headers().firstValue("Host")).isEmpty();
    }

    @Test
    void onlyBodiesTheJdkCanProduceAgainAreReplayable() throws Exception {
        assertThat(Requests.replayable(get())).isTrue();
        assertThat(Requests.replayable(post(BodyPublishers.ofString("x")))).isTrue();
        assertThat(Requests.replayable(post(BodyPublishers.ofByteArray(new byte[3])))).isTrue();
        assertThat(Requests.replayable(post(BodyPublishers.ofByteArrays(List.of(new byte[1]))))).isTrue();
        assertThat(Requests.replayable(post(BodyPublishers.noBody()))).isTrue();
        assertThat(Requests.replayable(post(BodyPublishers.ofInputStream(() -> null)))).isFalse();
        Flow.Publisher<java.nio.ByteBuffer> once = s -> { };
        assertThat(Requests.replayable(post(BodyPublishers.fromPublisher(once)))).isFalse();
        assertThat(Requests.replayable(post(BodyPublishers.fromPublisher(once, 3)))).isFalse();
        HttpRequest.BodyPublisher empty = new HttpRequest.BodyPublisher() {
            @Override
            public long contentLength() {
                return 0;
            }

            @Override
            public void subscribe(Flow.Subscriber<? super java.nio.ByteBuffer> s) {
                once.subscribe(s);
            }
        };
        assertThat(Requests.replayable(post(empty))).isTrue();
    }

    @Test
    void retryAfterReadsSecondsAndHttpDatesAndIgnoresGarbage() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);
        assertThat(Requests.retryAfterNanos("1", clock)).isEqualTo(1_000_000_000L);
        assertThat(Requests.retryAfterNanos(" 0 ", clock)).isZero();
        assertThat(Requests.retryAfterNanos("Sat, 21 Nov 2026 10:00:02 GMT", clock)).isEqualTo(2_000_000_000L);
        assertThat(Requests.retryAfterNanos("Sat, 21 Nov 2026 09:00:00 GMT", clock)).isZero();
        assertThat(Requests.retryAfterNanos("99999999999999999999", clock)).isEqualTo(Long.MAX_VALUE);
        assertThat(Requests.retryAfterNanos("soon", clock)).isEqualTo(-1);
        assertThat(Requests.retryAfterNanos("-1", clock)).isEqualTo(-1);
        assertThat(Requests.retryAfterNanos(null, clock)).isEqualTo(-1);
    }

    private static HttpRequest get() {
        return HttpRequest.newBuilder(URI.create("http://users/x")).build();
    }

    private static HttpRequest post(HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(URI.create("http://users/x")).POST(body).build();
    }
}
