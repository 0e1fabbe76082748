package io.lb4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class OptionalMicrometerTest {

    @Test
    void clientWithoutMeterRegistryRunsWithoutMicrometerOnTheClassPath() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = Stream.of(classPath.split(File.pathSeparator)).collect(Collectors.toList());
        assertThat(entries).anyMatch(e -> e.contains("micrometer")); // or the filter below proves nothing
        String withoutMicrometer = entries.stream().filter(e -> !e.contains("micrometer"))
                .collect(Collectors.joining(File.pathSeparator));
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Dsun.net.httpserver.nodelay=true", "-cp", withoutMicrometer,
                NoMicrometerMain.class.getName()).redirectErrorStream(true).start();
        boolean exited = p.waitFor(30, TimeUnit.SECONDS);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!exited) {
            p.destroyForcibly();
        }
        assertThat(exited).as(output).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("body=free retries=1");
    }
}
