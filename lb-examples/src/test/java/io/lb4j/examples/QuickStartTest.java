package io.lb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.testing.LoopbackBackend;
import org.junit.jupiter.api.Test;

class QuickStartTest {

    @Test
    void readmeQuickStartCallsAnInstance() throws Exception {
        try (LoopbackBackend a = LoopbackBackend.start("a"); LoopbackBackend b = LoopbackBackend.start("b")) {
            b.status(503);
            QuickStart.Result r = QuickStart.call(a.endpoint().authority(), b.endpoint().authority());
            try {
                assertThat(r.response().statusCode()).isEqualTo(200);
                assertThat(r.response().body()).isEqualTo("a");
            } finally {
                r.outliers().close();
                r.health().close();
                r.users().close();
            }
        }
    }
}
