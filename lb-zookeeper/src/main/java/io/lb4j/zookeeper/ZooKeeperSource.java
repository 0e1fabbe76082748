package io.lb4j.zookeeper;

import static io.lb4j.core.internal.Checks.atLeast;

import io.lb4j.core.EndpointSource;
import java.time.Duration;

/**
 * The instances of a service registered in ZooKeeper in Apache Curator's service discovery
 * layout, as Curator's {@code ServiceDiscovery}, Spring Cloud Zookeeper, Dubbo and
 * {@link ZooKeeperRegistration} write it: one znode per instance,
 * {@code <basePath>/<service>/<id>} (base path default {@code /services}), holding Curator's
 * {@code ServiceInstance} JSON; ephemeral for instances that live as long as their process.
 *
 * <p>Per instance: {@code address} and {@code port} become the endpoint (or {@code sslPort}, see
 * {@link Builder#sslPort}); the payload's {@code metadata} map becomes the endpoint's metadata,
 * its {@value #WEIGHT_KEY} entry the weight (default 1) and its {@value #ZONE_KEY} entry the zone,
 * the keys Spring Cloud LoadBalancer uses. An instance that is <b>draining</b> gets weight 0, so
 * the balancer sends it no new calls without counting it as failed: Curator's
 * {@code "enabled": false}, or a {@value #STATUS_KEY} metadata entry other than {@value #STATUS_UP}
 * (Spring Cloud Zookeeper's {@code OUT_OF_SERVICE}). A znode that is not such an instance is
 * skipped with a warning naming it; the other instances are delivered.
 *
 * <p>It reads the service's children and their data with watches and delivers the whole list
 * after each change. On reconnecting it reads everything again; when the session expired it
 * opens a new one and reads everything again. While disconnected the balancer keeps the last
 * list (fail static) and is told of the trouble. A missing service znode is a valid, empty list;
 * {@link Builder#minHosts} guards against an answer that shrinks implausibly.
 *
 * <p>Thread-safe. Threads: one named daemon thread {@code lb4j-zk-<service>} plus ZooKeeper's
 * two daemon threads named after it; all stop on {@link #close()}.
 * <pre>{@code
 * Balancer users = Balancer.builder("users")
 *         .source(ZooKeeperSource.builder("users").connectString("zk1:2181,zk2:2181,zk3:2181").build())
 *         .build();
 * }</pre>
 */
public interface ZooKeeperSource extends EndpointSource {

    /** Payload metadata key of the endpoint weight (a decimal integer, 0 = drained). */
    String WEIGHT_KEY = "weight";
    /** Payload metadata key of the endpoint zone. */
    String ZONE_KEY = "zone";
    /** Payload metadata key of Spring Cloud Zookeeper's instance status. */
    String STATUS_KEY = "instance_status";
    /** The instance status that takes traffic; any other value means draining. */
    String STATUS_UP = "UP";
    /** The instance status {@link ZooKeeperRegistration} writes while draining. */
    String STATUS_OUT_OF_SERVICE = "OUT_OF_SERVICE";

    /**
     * A builder for the instances of {@code service}, by default under {@code /services/<service>}
     * on {@code 127.0.0.1:2181}.
     *
     * @param service the service name, the znode under the base path
     * @return a new builder
     * @throws IllegalArgumentException if the service name is blank or contains '/'
     * @throws NullPointerException if the service name is null
     */
    static Builder builder(String service) {
        return new Builder(service);
    }

    /**
     * The znode whose children are the instances.
     *
     * @return the path, e.g. {@code /services/users}
     */
    String path();

    /** Builds a {@link ZooKeeperSource}; not thread-safe. */
    final class Builder {
        final ZooKeeperOptions zk;
        boolean sslPort;
        int minHosts;

        Builder(String service) {
            this.zk = new ZooKeeperOptions(service);
        }

        /**
         * The ensemble: {@code host:port[,host:port...][/chroot]}; default {@code 127.0.0.1:2181}.
         *
         * @param connectString ZooKeeper's connect string
         * @return this builder
         * @throws IllegalArgumentException if it is not a connect string
         * @throws IllegalStateException if already set
         */
        public Builder connectString(String connectString) {
            zk.connectString(connectString);
            return this;
        }

        /**
         * The parent of the service znodes; default {@code /services}, Curator's and Spring Cloud
         * Zookeeper's ({@code spring.cloud.zookeeper.discovery.root}).
         *
         * @param basePath an absolute znode path without a trailing '/'
         * @return this builder
         * @throws IllegalArgumentException if it is not such a path
         * @throws IllegalStateException if already set
         */
        public Builder basePath(String basePath) {
            zk.basePath(basePath);
            return this;
        }

        /**
         * The session timeout asked of the server (which clamps it to its bounds); default 30 s.
         *
         * @param timeout the timeout
         * @return this builder
         * @throws IllegalArgumentException if not between 1 ms and 10 minutes
         * @throws IllegalStateException if already set
         */
        public Builder sessionTimeout(Duration timeout) {
            zk.sessionTimeout(timeout);
            return this;
        }

        /**
         * How long without any server answering before the balancer is told (and again each time
         * this long passes); default 15 s.
         *
         * @param timeout the timeout
         * @return this builder
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder connectTimeout(Duration timeout) {
            zk.connectTimeout(timeout);
            return this;
        }

        /**
         * Whether endpoints use the instance's {@code sslPort} instead of its {@code port}; default
         * false. Instances without that port are skipped with a warning.
         *
         * @param sslPort true to use {@code sslPort}
         * @return this builder
         */
        public Builder sslPort(boolean sslPort) {
            this.sslPort = sslPort;
            return this;
        }

        /**
         * A sanity floor: a list with fewer than this many instances that is also smaller than the
         * last one delivered is not applied; the balancer keeps the last list and is told why (as
         * for any source error), until an answer with enough instances arrives. Default 0 (off):
         * an empty service is taken as empty. The first list is always delivered.
         *
         * @param minHosts the floor, 0 to disable
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder minHosts(int minHosts) {
            this.minHosts = atLeast(minHosts, 0, "minHosts");
            return this;
        }

        /**
         * Builds the source; it connects when the balancer starts it.
         *
         * @return the source
         */
        public ZooKeeperSource build() {
            return new DefaultZooKeeperSource(zk.service, zk.connectStringOrDefault(), zk.servicePath(),
                    zk.sessionTimeoutOrDefault(), zk.connectTimeoutOrDefault(), sslPort, minHosts);
        }
    }
}
