package io.lb4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.config.ConfigException;
import io.lb4j.config.Lb4jConfig;
import io.lb4j.config.Lb4jRuntime;
import io.lb4j.http.LoadBalancedHttpClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ByteArrayResource;

/** Start-up behaviour of the auto-configuration, without a whole application. */
class Lb4jContextRunnerTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(Lb4jAutoConfiguration.class));

    @Test
    void aTypoFailsStartUpNamingTheKeyTheValueAndTheNearestKey() {
        runner.withPropertyValues("lb4j.services.users.endpoints=127.0.0.1:1", "lb4j.services.users.retry.max-attempt=3")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().isInstanceOf(ConfigException.class)
                            .hasMessage("lb4j configuration: lb4j.services.users.retry.max-attempt: '3' (unknown key;"
                                    + " did you mean lb4j.services.users.retry.max-attempts?)");
                });
    }

    @Test
    void switchedOffMeansNoBeans() {
        runner.withPropertyValues("lb4j.enabled=false", "lb4j.services.users.endpoints=127.0.0.1:1")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Lb4jRuntime.class).doesNotHaveBean(LoadBalancedHttpClient.class));
    }

    @Test
    void withoutServicesThereIsARuntimeButNoClient() {
        runner.run(context -> assertThat(context).hasSingleBean(Lb4jRuntime.class).doesNotHaveBean(LoadBalancedHttpClient.class));
    }

    @Test
    void registrationTakesTheApplicationNameAndNeedsAPortWithoutAWebServer() {
        runner.withPropertyValues("spring.application.name=orders", "lb4j.registration.enabled=true")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("lb4j.registration.port: not set and the application has no web server");
                    // the service name came from spring.application.name: the description was valid
                });
    }

    @Test
    void yamlAndPropertiesGiveTheSameDescription() throws Exception {
        String yaml = String.join("\n",
                "lb4j:",
                "  services:",
                "    users:",
                "      endpoints: [10.0.0.1:8080, 10.0.0.2:8080]",
                "      strategy: peak-ewma",
                "      choiceCount: 3",
                "      retry: {max-attempts: 2, statuses: [502, 503]}",
                "    \"[users.internal]\":",
                "      endpoints: 10.0.0.3:8443",
                "      health: {path: /healthz, interval: 2s}",
                "  registration:",
                "    enabled: true",
                "    service: orders",
                "    port: 8080",
                "    metadata: {version: \"42\"}",
                "other: ignored", "");
        StandardEnvironment env = new StandardEnvironment();
        new YamlPropertySourceLoader().load("test.yml", new ByteArrayResource(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .forEach(env.getPropertySources()::addFirst);
        Map<String, String> flat = EnvironmentKeys.flatten(env);
        assertThat(flat).containsEntry("lb4j.services.users.endpoints[0]", "10.0.0.1:8080")
                .containsEntry("lb4j.services[users.internal].endpoints", "10.0.0.3:8443")
                .doesNotContainKey("other");

        Properties p = new Properties();
        p.setProperty("lb4j.services.users.endpoints", "10.0.0.1:8080,10.0.0.2:8080");
        p.setProperty("lb4j.services.users.strategy", "peak-ewma");
        p.setProperty("lb4j.services.users.choice-count", "3");
        p.setProperty("lb4j.services.users.retry.max-attempts", "2");
        p.setProperty("lb4j.services.users.retry.statuses", "502,503");
        p.setProperty("lb4j.services[users.internal].endpoints", "10.0.0.3:8443");
        p.setProperty("lb4j.services[users.internal].health.path", "/healthz");
        p.setProperty("lb4j.services[users.internal].health.interval", "2s");
        p.setProperty("lb4j.registration.enabled", "true");
        p.setProperty("lb4j.registration.service", "orders");
        p.setProperty("lb4j.registration.port", "8080");
        p.setProperty("lb4j.registration.metadata.version", "42");
        assertThat(EnvironmentKeys.read(env).toString()).isEqualTo(Lb4jConfig.from(p).toString());
        assertThat(new LinkedHashMap<>(flat)).hasSize(14);
    }
}
