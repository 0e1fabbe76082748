package io.lb4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lb4j.admin.AdminJson;
import io.lb4j.config.Lb4jRuntime;
import io.lb4j.core.Balancer;
import io.lb4j.core.BalancerView;
import io.lb4j.testing.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Actuator endpoint {@code lb4j} of a real web application (embedded server on a random port)
 * serves lb-admin's JSON of the balancers' views: the same document AdminJson writes, nulls and
 * all, for every service and for one, and 404 for a service that is not configured.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=endpoint")
class Lb4jEndpointTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestBackends BACKENDS = new TestBackends();

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) throws IOException {
        BACKENDS.start(registry, 2);
    }

    @AfterAll
    static void stopBackends() {
        BACKENDS.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    Lb4jRuntime runtime;

    /** One endpoint of "users" excluded by a refused connection, so that the views have an exclusion to show. */
    @BeforeEach
    void oneEndpointOut() throws Exception {
        Balancer users = runtime.balancer("users");
        if (users.view().excludedCount() == 0) {
            BACKENDS.get(1).stop();
            for (int i = 0; i < 4 && users.view().excludedCount() == 0; i++) {
                HttpResponse<String> r = runtime.client().orElseThrow().send(HttpRequest.newBuilder(URI.create("http://users/x")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200); // the refused attempt was sent again to the other endpoint
            }
            Await.until("the stopped backend to be excluded", () -> users.view().excludedCount() == 1);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/lb4j" + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyServiceIsLbAdminsJsonOfTheViews() throws Exception {
        HttpResponse<String> r = get("");
        List<BalancerView> views = new ArrayList<>();
        runtime.balancers().values().forEach(b -> views.add(b.view()));
        String expected = AdminJson.toJson(views);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("balancers").size()).isEqualTo(2);
        assertThat(body.get("balancers").get(0).get("service").asText()).isEqualTo("orders");
        assertThat(body.get("balancers").get(1).get("service").asText()).isEqualTo("users");
        assertThat(withoutTimes(body)).as("the document AdminJson writes, but for what time changes").isEqualTo(withoutTimes(JSON.readTree(expected)));
        assertThat(r.body()).as("absent values are written as null, not left out").contains("\"zone\":null", "\"cause\":null");
        JsonNode excluded = body.get("balancers").get(1).get("endpoints").get(1);
        assertThat(excluded.get("address").asText()).isEqualTo("127.0.0.1:" + BACKENDS.get(1).port());
        assertThat(excluded.get("state").asText()).isEqualTo("excluded");
        assertThat(excluded.get("exclusions").get(0).get("owner").asText()).isEqualTo("connection");
    }

    @Test
    void oneServiceIsItsViewAndAnUnknownOneIs404() throws Exception {
        HttpResponse<String> one = get("/USERS");
        String expected = AdminJson.toJson(runtime.balancer("users").view());
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(withoutTimes(JSON.readTree(one.body()))).isEqualTo(withoutTimes(JSON.readTree(expected)));
        assertThat(JSON.readTree(get("/orders").body()).get("strategy").get("name").asText()).isEqualTo("peak-ewma");

        HttpResponse<String> actuatorClient = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/lb4j/users"))
                .header("Accept", "application/vnd.spring-boot.actuator.v3+json, application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(actuatorClient.statusCode()).as("what Actuator clients ask for").isEqualTo(200);
        assertThat(actuatorClient.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");

        HttpResponse<String> none = get("/nobody");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.body()).isEqualTo("{\"error\":\"no balancer 'nobody' (known: orders, users)\",\"status\":404}");
    }

    /**
     * The view without what differs between two views taken a moment apart: when each was taken,
     * the recent window (each view starts its window where an earlier view left a sample), the
     * latency average (it decays with time) and the instants converted from the balancer's ticker
     * (a microsecond apart from one view to the next), and the seconds an exclusion has left in
     * the panic reason (a view taken across a second boundary reads one second less).
     */
    private static JsonNode withoutTimes(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.remove(List.of("time", "window", "recent", "pickShare", "latencyMillis", "firstSeen"));
            JsonNode reason = o.get("reason");
            if (reason != null && reason.isTextual()) {
                o.put("reason", reason.asText().replaceAll("for up to \\d+s more", "for up to Ns more"));
            }
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            strip(it.next());
        }
    }
}
