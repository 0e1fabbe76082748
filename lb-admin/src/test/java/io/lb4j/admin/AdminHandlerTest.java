package io.lb4j.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.lb4j.core.Balancer;
import io.lb4j.testing.FakeTicker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The handler on a real JDK HttpServer on 127.0.0.1, called with java.net.http. */
class AdminHandlerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private HttpServer server;
    private Balancer users;
    private Balancer orders;
    private AdminHandler admin;

    @BeforeEach
    void start() throws IOException {
        users = Scenes.scripted(new FakeTicker());
        orders = Balancer.builder("orders").endpoints("10.0.1.1:80", "10.0.1.2:80").build();
        admin = AdminHandler.builder().balancer(users).balancer(orders).refreshInterval(Duration.ofSeconds(1)).build();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/lb4j", admin);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        users.close();
        orders.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void listsEveryRegisteredBalancerByServiceName() throws Exception {
        HttpResponse<String> r = get("/lb4j");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
        Schema.Balancers json = Schema.STRICT.readValue(r.body(), Schema.Balancers.class);
        assertThat(json.balancers()).extracting(Schema.Balancer::service).containsExactly("orders", "users");
        assertThat(json.balancers().get(1).endpoints()).extracting(Schema.Endpoint::state)
                .containsExactly("excluded", "excluded", "drained");
        assertThat(Schema.STRICT.readValue(get("/lb4j/").body(), Schema.Balancers.class).balancers()).hasSize(2);
    }

    @Test
    void servesOneBalancerByNameAndA404WithAJsonErrorForAnUnknownOne() throws Exception {
        HttpResponse<String> r = get("/lb4j/users");
        assertThat(r.statusCode()).isEqualTo(200);
        Schema.Balancer one = Schema.STRICT.readValue(r.body(), Schema.Balancer.class);
        assertThat(one.service()).isEqualTo("users");
        assertThat(one.panic().active()).isTrue();

        HttpResponse<String> missing = get("/lb4j/payments");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        assertThat(Schema.STRICT.readValue(missing.body(), Schema.Error.class))
                .isEqualTo(new Schema.Error("no balancer 'payments' (known: orders, users)", 404));
        assertThat(Schema.STRICT.readValue(get("/lb4j/users/extra").body(), Schema.Error.class))
                .isEqualTo(new Schema.Error("no such path: /lb4j/users/extra", 404));
    }

    @Test
    void answersOnlyGetAndHead() throws Exception {
        HttpResponse<String> post = send(HttpRequest.newBuilder(uri("/lb4j")).POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
        assertThat(Schema.STRICT.readValue(post.body(), Schema.Error.class))
                .isEqualTo(new Schema.Error("method POST not allowed (expected: GET or HEAD)", 405));
        HttpResponse<String> head = send(HttpRequest.newBuilder(uri("/lb4j")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void thePageIsSelfContainedAndItsScriptCarriesTheNonceOfItsPolicy() throws Exception {
        HttpResponse<String> r = get("/lb4j/ui");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).startsWith("default-src 'none'; ").contains("connect-src 'self'");
        Matcher nonce = Pattern.compile("script-src 'nonce-([A-Za-z0-9_-]+)'").matcher(csp);
        assertThat(nonce.find()).isTrue();
        String page = r.body();
        assertThat(page).contains("<script nonce=\"" + nonce.group(1) + "\">").contains("<style nonce=\"" + nonce.group(1) + "\">");
        assertThat(page).contains("const CONFIG = {\"base\":\"/lb4j\",\"refreshMillis\":1000};");
        assertThat(page).as("nothing loaded from elsewhere").doesNotContain(" src=", " href=", "url(", "@import", "__LB4J_");
        assertThat(get("/lb4j/ui").headers().firstValue("Content-Security-Policy").orElseThrow())
                .as("a new nonce per response").isNotEqualTo(csp);
    }

    @Test
    void aClosedBalancerIsDroppedAndARebuiltOneOfTheSameServiceReplacesIt() throws Exception {
        orders.close();
        assertThat(get("/lb4j/orders").statusCode()).isEqualTo(404);
        assertThat(admin.balancers()).containsExactly(users);
        try (Balancer rebuilt = Balancer.builder("users").endpoints("10.0.2.1:80").build()) {
            admin.register(rebuilt);
            Schema.Balancer json = Schema.STRICT.readValue(get("/lb4j/users").body(), Schema.Balancer.class);
            assertThat(json.endpoints()).extracting(Schema.Endpoint::address).containsExactly("10.0.2.1:80");
            admin.unregister(users); // not the registered one any more: nothing changes
            assertThat(admin.balancers()).containsExactly(rebuilt);
            admin.unregister(rebuilt);
            assertThat(get("/lb4j/users").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void worksUnderAnyContextPath() throws Exception {
        server.createContext("/ops/balancers/", AdminHandler.of(orders));
        assertThat(Schema.STRICT.readValue(get("/ops/balancers/").body(), Schema.Balancers.class).balancers())
                .extracting(Schema.Balancer::service).containsExactly("orders");
        assertThat(get("/ops/balancers/orders").statusCode()).isEqualTo(200);
        assertThat(get("/ops/balancers/ui").body()).contains("const CONFIG = {\"base\":\"/ops/balancers/\"");
    }

    @Test
    void rejectsARefreshIntervalOutOfRange() {
        assertThatThrownBy(() -> AdminHandler.builder().refreshInterval(Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("refreshInterval: PT0.1S (expected: PT0.25S-PT1M)");
    }
}
