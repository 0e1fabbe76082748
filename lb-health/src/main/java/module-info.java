/**
 * Active health checks and passive outlier ejection for an lb4j balancer. Micrometer is
 * optional: it is read only when a {@code MeterRegistry} is passed. Start at
 * {@link io.lb4j.health.HealthChecker#builder(io.lb4j.core.Balancer)}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // micrometer-core: automatic module micrometer.core
module io.lb4j.health {
    requires transitive io.lb4j.core;
    requires transitive java.net.http;
    requires org.slf4j;
    requires static transitive micrometer.core; // for meterRegistry(MeterRegistry) callers, who have it

    exports io.lb4j.health;
}
