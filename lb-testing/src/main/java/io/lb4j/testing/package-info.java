/**
 * Fakes for tests of code that uses lb4j (lb4j's own modules use them too): a
 * {@link io.lb4j.testing.FakeTicker} and {@link io.lb4j.testing.FakeScheduler} that move only
 * when the test says so, a {@link io.lb4j.testing.ScriptedRandom}, a real loopback HTTP server
 * whose answers a test scripts ({@link io.lb4j.testing.LoopbackBackend}), and
 * {@link io.lb4j.testing.Await} to poll what real sockets and threads make true. Add
 * {@code io.lb4j:lb-testing} with {@code <scope>test</scope>}.
 */
package io.lb4j.testing;
