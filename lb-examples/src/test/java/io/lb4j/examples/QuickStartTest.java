package io.lb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.testing.LoopbackBackend;
import org.junit.jupiter.api.Test;

class QuickStartTest {

    /** README's quick start and QuickStart.call are the same lines (but for the endpoints): the README cannot drift. */
    @Test
    void readmeQuickStartIsTheCodeThisTestRuns() throws Exception {
        java.nio.file.Path root = java.nio.file.Path.of("").toAbsolutePath().getParent();
        String readme = java.nio.file.Files.readString(root.resolve("README.md"));
        String block = readme.substring(readme.indexOf("```java\n") + 8, readme.indexOf("```", readme.indexOf("```java\n") + 8));
        String source = java.nio.file.Files.readString(root.resolve("lb-examples/src/main/java/io/lb4j/examples/QuickStart.java"));
        String code = source.substring(source.indexOf("// --- README quick start"), source.indexOf("// --- end"));
        java.util.List<String> expected = new java.util.ArrayList<>();
        for (String line : block.split("\n")) {
            expected.add(line.strip().replace("\"10.0.0.1:8080\", \"10.0.0.2:8080\", \"10.0.0.3:8080\"", "endpoints"));
        }
        java.util.List<String> actual = new java.util.ArrayList<>();
        String[] lines = code.split("\n");
        for (int i = 1; i < lines.length; i++) {
            actual.add(lines[i].strip());
        }
        assertThat(String.join("\n", actual).strip()).isEqualTo(String.join("\n", expected).strip());
    }

    @Test
    void readmeQuickStartCallsAnInstance() throws Exception {
        try (LoopbackBackend a = LoopbackBackend.start("a"); LoopbackBackend b = LoopbackBackend.start("b")) {
            b.status(503);
            QuickStart.Result r = QuickStart.call(a.endpoint().authority(), b.endpoint().authority());
            try {
                assertThat(r.response().statusCode()).isEqualTo(200);
                assertThat(r.response().body()).isEqualTo("a");
            } finally {
                r.health().close();
                r.users().close();
            }
        }
    }
}
