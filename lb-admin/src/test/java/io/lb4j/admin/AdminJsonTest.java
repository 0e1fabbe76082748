package io.lb4j.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.lb4j.core.Balancer;
import io.lb4j.core.BalancerView;
import io.lb4j.testing.FakeTicker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The JSON of balancer views, read back through Jackson into the schema of docs/admin.md. */
class AdminJsonTest {

    private static final String T0 = "1970-01-01T00:00:01Z";
    private static final String T12 = "1970-01-01T00:00:01.012Z";

    @Test
    void aViewAfterScriptedChangesReadsBackIntoTheDocumentedSchemaWithEveryValue() throws Exception {
        try (Balancer b = Scenes.scripted(new FakeTicker())) {
            Schema.Balancer json = Schema.STRICT.readValue(AdminJson.toJson(b.view()), Schema.Balancer.class);
            String panicReason = "0 of 2 endpoints of weight > 0 eligible, under the threshold 0.5: picking among all 2 "
                    + "(1 excluded by connection for up to 1s more, 1 by maintenance for up to 600s more, 1 drained (weight 0))";
            assertThat(json.service()).isEqualTo("users");
            assertThat(json.time()).isEqualTo(T12);
            assertThat(json.version()).isEqualTo(3);
            assertThat(json.closed()).isFalse();
            assertThat(json.strategy()).isEqualTo(new Schema.Strategy("round-robin", Map.of()));
            assertThat(json.panic()).isEqualTo(new Schema.Panic(true, 0.5, panicReason));
            assertThat(json.counts()).isEqualTo(new Schema.Counts(3, 0, 2, 1, Map.of("connection", 1, "maintenance", 1)));
            assertThat(json.sourceErrors()).isZero();
            assertThat(json.window()).isEqualTo(new Schema.Window(T0, 0.012));
            assertThat(json.endpoints()).containsExactly(
                    new Schema.Endpoint("10.0.0.1:8080", "10.0.0.1", 8080, 1, "eu-1a", Map.of("version", "42"), "excluded",
                            true, List.of(new Schema.Exclusion("maintenance", "kernel upgrade", T12, "1970-01-01T00:10:01.012Z")),
                            0, 0.5, new Schema.Outcomes(1, 1, 0, 0, 0), new Schema.Outcomes(1, 1, 0, 0, 0), null, 1.0,
                            new Schema.LastOutcome("success", T12, null), T0),
                    new Schema.Endpoint("10.0.0.2:8080", "10.0.0.2", 8080, 1, null, Map.of(), "excluded", true,
                            List.of(new Schema.Exclusion("connection", "connection failed: ConnectException: Connection refused",
                                    T12, "1970-01-01T00:00:02.012Z")),
                            0, 0.5, new Schema.Outcomes(1, 0, 0, 1, 0), new Schema.Outcomes(1, 0, 0, 1, 0), null, 1.0,
                            new Schema.LastOutcome("connection_failure", T12, "ConnectException: Connection refused"), T0),
                    new Schema.Endpoint("10.0.0.3:8080", "10.0.0.3", 8080, 0, null, Map.of(), "drained", false, List.of(),
                            0, 0.0, new Schema.Outcomes(0, 0, 0, 0, 0), new Schema.Outcomes(0, 0, 0, 0, 0), null, 1.0, null, T0));
            assertThat(json.events()).containsExactly(
                    new Schema.Event("excluded", T12, 2, "10.0.0.2:8080", "connection",
                            "connection failed: ConnectException: Connection refused", "1970-01-01T00:00:02.012Z",
                            "10.0.0.2:8080 excluded by connection: connection failed: ConnectException: Connection refused "
                                    + "(until 1970-01-01T00:00:02.012Z)"),
                    new Schema.Event("excluded", T12, 3, "10.0.0.1:8080", "maintenance", "kernel upgrade",
                            "1970-01-01T00:10:01.012Z",
                            "10.0.0.1:8080 excluded by maintenance: kernel upgrade (until 1970-01-01T00:10:01.012Z)"),
                    new Schema.Event("panic_entered", T12, 3, null, null, panicReason, null, "entered panic mode: " + panicReason));
        }
    }

    @Test
    void severalViewsAreABalancersArrayInTheGivenOrder() throws Exception {
        try (Balancer b = Scenes.scripted(new FakeTicker());
             Balancer other = Balancer.builder("orders").endpoints("10.0.1.1:80").build()) {
            Schema.Balancers json = Schema.STRICT.readValue(AdminJson.toJson(List.of(other.view(), b.view())),
                    Schema.Balancers.class);
            assertThat(json.balancers()).extracting(Schema.Balancer::service).containsExactly("orders", "users");
        }
    }

    @Test
    void theModuleServesAnApplicationsOwnMapper() throws Exception {
        ObjectMapper mine = new ObjectMapper().registerModule(AdminJson.module());
        try (Balancer b = Scenes.scripted(new FakeTicker())) {
            BalancerView view = b.view(); // one view: a second one would measure its window from the first
            assertThat(mine.readTree(mine.writeValueAsString(Map.of("users", view))))
                    .isEqualTo(mine.readTree("{\"users\":" + AdminJson.toJson(view) + "}"));
        }
    }

    @Test
    void theStrictSchemaRejectsAFieldItDoesNotHave() {
        assertThatThrownBy(() -> Schema.STRICT.readValue("{\"owner\":\"x\",\"reason\":\"y\",\"since\":\"" + T0
                + "\",\"until\":null,\"extra\":1}", Schema.Exclusion.class)).isInstanceOf(UnrecognizedPropertyException.class);
        assertThatThrownBy(() -> Schema.STRICT.readValue("{\"owner\":\"x\",\"reason\":\"y\",\"since\":\"" + T0 + "\"}",
                Schema.Exclusion.class)).hasMessageContaining("until");
    }

    @Test
    void theExampleInDocsAdminMdIsInTheSchemaAndIsWhatTheScriptedBalancerWrites() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "admin.md"));
        Matcher m = Pattern.compile("```json\\n(\\{\\n  \"service\".*?)\\n```", Pattern.DOTALL).matcher(doc);
        assertThat(m.find()).as("a ```json block with a balancer view in docs/admin.md").isTrue();
        Schema.Balancer documented = Schema.STRICT.readValue(m.group(1), Schema.Balancer.class);
        try (Balancer b = Scenes.scripted(new FakeTicker())) {
            assertThat(documented).isEqualTo(Schema.STRICT.readValue(AdminJson.toJson(b.view()), Schema.Balancer.class));
        }
    }
}
