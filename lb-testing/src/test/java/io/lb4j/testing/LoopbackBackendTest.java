package io.lb4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Endpoint;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoopbackBackendTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final LoopbackBackend backend;

    LoopbackBackendTest() throws IOException {
        backend = LoopbackBackend.start("a");
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://" + backend.endpoint().authority() + path))
                .timeout(Duration.ofSeconds(5)).build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersWithItsNameAndCountsRequests() throws Exception {
        assertThat(backend.endpoint()).isEqualTo(Endpoint.of("127.0.0.1", backend.port()));
        HttpResponse<String> r = get("/users/1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("a");
        assertThat(r.headers().firstValue("X-Backend")).hasValue("a");
        get(LoopbackBackend.HEALTH_PATH);
        assertThat(backend.requestCount()).isEqualTo(1);
        assertThat(backend.healthRequestCount()).isEqualTo(1);
        backend.resetCounts();
        assertThat(backend.requestCount()).isZero();
    }

    @Test
    void scriptedStatusesComeFirstThenTheStandingStatus() throws Exception {
        backend.status(200).nextStatuses(503, 502).retryAfter("1");
        HttpResponse<String> first = get("/x");
        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(first.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(get("/x").statusCode()).isEqualTo(502);
        assertThat(get("/x").statusCode()).isEqualTo(200);
        backend.status(500);
        assertThat(get("/x").statusCode()).isEqualTo(500);
        assertThat(get(LoopbackBackend.HEALTH_PATH).statusCode()).as("health is scripted apart").isEqualTo(200);
        backend.healthStatus(503);
        assertThat(get(LoopbackBackend.HEALTH_PATH).statusCode()).isEqualTo(503);
    }

    @Test
    void delayHoldsEachAnswerAtLeastThatLong() throws Exception {
        backend.delay(Duration.ofMillis(100));
        long start = System.nanoTime();
        assertThat(get("/slow").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(get(LoopbackBackend.HEALTH_PATH).statusCode()).as("health checks are not delayed").isEqualTo(200);
    }

    @Test
    void aHangingBackendNeverAnswersUntilReleased() throws Exception {
        backend.hang();
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://" + backend.endpoint().authority() + "/x"))
                .timeout(Duration.ofMillis(200)).build();
        assertThatThrownBy(() -> http.send(r, HttpResponse.BodyHandlers.ofString())).isInstanceOf(HttpTimeoutException.class);
        Await.until("the hung request to arrive", () -> backend.requestCount() == 1);
        backend.release();
        assertThat(get("/x").statusCode()).isEqualTo(200);
    }

    @Test
    void goesDownAndComesBackUpOnTheSamePort() throws Exception {
        int port = backend.port();
        backend.stop();
        assertThat(backend.isRunning()).isFalse();
        assertThatThrownBy(() -> get("/x")).isInstanceOf(ConnectException.class);
        backend.restart();
        assertThat(backend.isRunning()).isTrue();
        assertThat(backend.port()).isEqualTo(port);
        assertThat(get("/x").statusCode()).isEqualTo(200);
        assertThatThrownBy(backend::restart).isInstanceOf(IllegalStateException.class).hasMessage("a is running");
    }
}
