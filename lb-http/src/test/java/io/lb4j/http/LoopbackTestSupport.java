package io.lb4j.http;

import io.lb4j.core.Balancer;
import io.lb4j.core.Selection;
import io.lb4j.testing.LoopbackBackend;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;

/** Base of the tests that start loopback backends and clients: everything started is closed after each test. */
abstract class LoopbackTestSupport {
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    final <C extends AutoCloseable> C closeLater(C closeable) {
        toClose.add(closeable);
        return closeable;
    }

    final LoopbackBackend[] start(String... names) throws IOException {
        LoopbackBackend[] b = Fixtures.backends(names);
        toClose.addAll(Arrays.asList(b));
        return b;
    }

    /** Every outcome the balancer's selections end with, in order. */
    static List<Selection.Outcome> outcomes(Balancer balancer) {
        List<Selection.Outcome> seen = new CopyOnWriteArrayList<>();
        balancer.addOutcomeListener((s, outcome, cause, latency) -> seen.add(outcome));
        return seen;
    }
}
