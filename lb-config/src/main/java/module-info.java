/**
 * Framework-free configuration of lb4j: every {@code lb4j.*} key read from a {@code Map} or
 * {@code Properties} into a typed, checked description, and a runtime that builds and closes
 * the balancers, health checkers and clients it describes. Micrometer is optional. Start at
 * {@link io.lb4j.config.Lb4jConfig}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // micrometer-core: automatic module micrometer.core
module io.lb4j.config {
    requires transitive io.lb4j.core;
    requires transitive io.lb4j.strategies;
    requires transitive io.lb4j.health;
    requires transitive io.lb4j.http;
    requires transitive io.lb4j.discovery;
    requires org.slf4j;
    requires static transitive micrometer.core; // for Lb4jRuntime's MeterRegistry, whose callers have it

    exports io.lb4j.config;
}
