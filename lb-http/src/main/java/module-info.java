/**
 * A {@link java.net.http.HttpClient} decorator with load balancing, retries on other endpoints
 * and a retry budget. Micrometer is optional: it is read only when a {@code MeterRegistry} is
 * passed. Start at {@link io.lb4j.http.LoadBalancedHttpClient#builder(java.net.http.HttpClient)}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // micrometer-core: automatic module micrometer.core
module io.lb4j.http {
    requires transitive io.lb4j.core;
    requires transitive java.net.http;
    requires org.slf4j;
    requires static transitive micrometer.core; // for meterRegistry(MeterRegistry) callers, who have it

    exports io.lb4j.http;
}
