/**
 * Endpoint sources for an lb4j balancer: a JSON file, DNS A/AAAA/SRV records, an etcd v3
 * prefix, and the serving side's etcd registration. Start at
 * {@link io.lb4j.discovery.FileSource}, {@link io.lb4j.discovery.DnsSource} or
 * {@link io.lb4j.discovery.EtcdSource}.
 */
module io.lb4j.discovery {
    requires transitive io.lb4j.core;
    requires com.fasterxml.jackson.databind;
    requires java.naming; // DNS lookups through JNDI (jdk.naming.dns is bound as its service)
    requires java.net.http;
    requires org.slf4j;

    exports io.lb4j.discovery;
}
