/**
 * ZooKeeper discovery in Apache Curator's service discovery layout, interoperable with Curator's
 * {@code ServiceDiscovery}, Spring Cloud Zookeeper and Dubbo: {@link io.lb4j.zookeeper.ZooKeeperSource}
 * feeds a {@link io.lb4j.core.Balancer}, {@link io.lb4j.zookeeper.ZooKeeperRegistration} registers the
 * serving instance. Start with their {@code builder} methods.
 */
package io.lb4j.zookeeper;
