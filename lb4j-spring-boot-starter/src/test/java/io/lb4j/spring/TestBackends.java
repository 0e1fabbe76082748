package io.lb4j.spring;

import io.lb4j.testing.LoopbackBackend;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Loopback backends b0, b1, ... for a Spring test class whose application file names their ports
 * as {@code ${test.backend.<i>}}: started from its {@code @DynamicPropertySource}, closed in its
 * {@code @AfterAll}.
 */
final class TestBackends {
    private final List<LoopbackBackend> backends = new CopyOnWriteArrayList<>();

    /** Starts {@code n} backends and registers their ports as {@code test.backend.<i>}. */
    void start(DynamicPropertyRegistry registry, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            LoopbackBackend b = LoopbackBackend.start("b" + i);
            backends.add(b);
            registry.add("test.backend." + i, b::port);
        }
    }

    LoopbackBackend get(int i) {
        return backends.get(i);
    }

    List<LoopbackBackend> all() {
        return backends;
    }

    void close() {
        backends.forEach(LoopbackBackend::close);
    }
}
