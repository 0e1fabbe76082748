/**
 * Framework-free configuration of lb4j: every {@code lb4j.*} key read from a {@code Map} or
 * {@code Properties} into a typed, checked description, and a runtime that builds and closes
 * the balancers, health checkers and clients it describes. Micrometer is optional. Start at
 * {@link io.lb4j.config.Lb4jConfig}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // micrometer.core and io.lb4j.zookeeper are automatic modules
module io.lb4j.config {
    requires transitive io.lb4j.core;
    requires transitive io.lb4j.strategies;
    requires transitive io.lb4j.health;
    requires transitive io.lb4j.http;
    requires transitive io.lb4j.discovery;
    requires org.slf4j;
    requires static transitive micrometer.core; // for Lb4jRuntime's MeterRegistry, whose callers have it
    // optional: discovery=zookeeper and registry=zookeeper need it, nothing else loads it (see ZooKeeperSupport);
    // an automatic module, because the ZooKeeper client it wraps has no module name
    requires static io.lb4j.zookeeper;

    exports io.lb4j.config;
}
