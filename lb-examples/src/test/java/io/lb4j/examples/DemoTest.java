package io.lb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {

    @Test
    void runsEveryPhaseWithoutCallerErrorsAndWritesASelfContainedReport(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.html");
        Demo.Options options = Demo.Options.parse("--strategies", "round-robin,peak-ewma", "--requests", "1200",
                "--concurrency", "8", "--out", report.toString());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int errors = Demo.run(options, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(errors).as(out).isZero();
        assertThat(out).contains("[round-robin", "[peak-ewma", "1200/1200 requests", "verdict: best tail latency with ");
        assertThat(out.lines().filter(l -> l.startsWith("round-robin ") || l.startsWith("peak-ewma ")).toList()).hasSize(2);
        String html = Files.readString(report);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg", "peak-ewma", "crashy is killed")
                .doesNotContain("<script", "http://", "https://");
    }

    @Test
    void rejectsBadOptionsNamingValueAndRule() {
        assertThatThrownBy(() -> Demo.Options.parse("--requests", "ten")).hasMessage("--requests: 'ten' (expected: a whole number)");
        assertThatThrownBy(() -> Demo.Options.parse("--requests", "5")).hasMessage("--requests: 5 (expected: 100-10000000)");
        assertThatThrownBy(() -> Demo.Options.parse("--concurrency")).hasMessage("--concurrency: missing value");
        assertThatThrownBy(() -> Demo.Options.parse("--strategies", "fastest")).hasMessageContaining("fastest")
                .hasMessageContaining("peak-ewma");
        assertThatThrownBy(() -> Demo.Options.parse("--colour")).hasMessage("unknown option: '--colour' (see --help)");
    }

    @Test
    void parsesOptionsInBothForms() {
        Demo.Options o = Demo.Options.parse("--strategies=random, least-connections", "--requests=500", "--concurrency", "4");
        assertThat(o.strategies).isEqualTo(List.of("random", "least-connections"));
        assertThat(o.requests).isEqualTo(500);
        assertThat(o.concurrency).isEqualTo(4);
        assertThat(Demo.Options.parse("--help").help).isTrue();
    }
}
