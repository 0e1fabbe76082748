/**
 * Endpoint sources for a {@link io.lb4j.core.Balancer}: a JSON {@link io.lb4j.discovery.FileSource},
 * DNS A/AAAA/SRV records ({@link io.lb4j.discovery.DnsSource}), an etcd v3 prefix watched live
 * ({@link io.lb4j.discovery.EtcdSource}) and the serving side's {@link io.lb4j.discovery.EtcdRegistration}.
 * Start with one of their {@code builder} methods and pass the source to
 * {@link io.lb4j.core.BalancerBuilder#source(io.lb4j.core.EndpointSource)}.
 */
package io.lb4j.discovery;
