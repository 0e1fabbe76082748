package io.lb4j.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** docs/configuration.md documents exactly the keys the parser accepts, as Key.all() describes them. */
class KeyTablesTest {

    @Test
    void theConfigurationPageTablesAreGeneratedFromTheKeyCatalogue() throws Exception {
        String page = Files.readString(KeyTables.page());
        assertThat(page).as("docs/configuration.md is out of date: run KeyTables' main (see docs/spring-boot.md)")
                .isEqualTo(KeyTables.rewrite(page));
        for (Key k : Key.all()) {
            assertThat(page).contains("| `" + k.fullName() + "` |");
        }
    }
}
