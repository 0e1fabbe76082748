/**
 * Test support for services that use lb4j, and for lb4j's own tests: a fake ticker and
 * scheduler, a scripted random source, a real loopback HTTP backend to script, and polling with
 * a deadline. A test dependency only. Start at {@link io.lb4j.testing.LoopbackBackend} and
 * {@link io.lb4j.testing.FakeScheduler}.
 */
module io.lb4j.testing {
    requires transitive io.lb4j.core;
    requires jdk.httpserver;

    exports io.lb4j.testing;
}
