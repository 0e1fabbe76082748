package io.lb4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.config.Key;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The IDE metadata describes exactly the keys the one parser (lb-config) accepts. */
class Lb4jPropertiesTest {

    @Test
    void propertiesClassIsGeneratedFromTheKeyCatalogue() throws Exception {
        assertThat(Files.readString(PropertiesSource.FILE))
                .as("Lb4jProperties.java is out of date: run PropertiesSource's main (see docs/spring-boot.md)")
                .isEqualTo(PropertiesSource.generate());
    }

    @Test
    void generatedMetadataNamesEveryGlobalAndRegistrationKeyAndTheServicesMap() throws Exception {
        String json;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("the configuration processor's output").isNotNull();
            json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        List<String> missing = new ArrayList<>();
        for (Key k : Key.all()) {
            if (k.scope() != Key.Scope.SERVICE && !json.contains("\"name\": \"" + k.fullName() + "\"")) {
                missing.add(k.fullName());
            }
        }
        assertThat(missing).isEmpty();
        assertThat(json).contains("\"name\": \"lb4j.services\"").contains("io.lb4j.spring.Lb4jProperties$Service");
    }
}
