package io.lb4j.zookeeper;

import static io.lb4j.core.internal.Checks.notNegative;
import static io.lb4j.core.internal.Checks.notNull;
import static io.lb4j.core.internal.Checks.notSetYet;

import io.lb4j.core.Endpoint;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The serving side of {@link ZooKeeperSource}: keeps one instance registered in ZooKeeper in
 * Apache Curator's service discovery layout, so that lb4j, Curator's {@code ServiceDiscovery}
 * and Spring Cloud Zookeeper clients all find it.
 *
 * <p>The znode is {@code <basePath>/<service>/<id>} (default {@code /services/<service>/<host:port>}),
 * ephemeral, holding Curator's {@code ServiceInstance} JSON: {@code address} and {@code port} from
 * the endpoint, {@code serviceType} DYNAMIC, Spring Cloud's default {@code uriSpec}, and a payload
 * of {@link Builder#payloadClass} (default Spring Cloud Zookeeper's {@value #SPRING_CLOUD_PAYLOAD})
 * with the endpoint's metadata, plus {@value ZooKeeperSource#WEIGHT_KEY} (unless 1) and
 * {@value ZooKeeperSource#ZONE_KEY} entries. Parent znodes are created as containers, as Curator does.
 *
 * <p>Lifecycle: {@link Builder#register()} returns at once; on its own thread the registration
 * connects and creates the znode (replacing a stale one of the same id left by an earlier
 * session). It re-creates the znode when its session expired (ZooKeeper deleted it) and when
 * someone deleted it by hand. {@link #close()} drains first: it rewrites the instance as
 * draining ({@code "enabled": false}, which Curator's providers skip, and
 * {@code instance_status: OUT_OF_SERVICE}, which Spring Cloud skips; lb4j gives it weight 0),
 * waits the {@link Builder#drainPeriod drain period} (default 3 s) so that clients stop sending
 * new calls, then deletes the znode and closes the session. A process that dies without closing
 * disappears when its session times out.
 *
 * <p>Thread-safe. Threads: one named daemon thread {@code lb4j-zk-reg-<host:port>} plus
 * ZooKeeper's two daemon threads named after it; all stop on {@link #close()}.
 * <pre>{@code
 * ZooKeeperRegistration reg = ZooKeeperRegistration.builder("users", Endpoint.of("10.0.0.7", 8080))
 *         .connectString("zk1:2181,zk2:2181,zk3:2181")
 *         .shutdownHook(true)
 *         .register();
 * reg.whenRegistered().get(5, TimeUnit.SECONDS); // optional: wait until discoverable
 * }</pre>
 */
public interface ZooKeeperRegistration extends AutoCloseable {

    /** Spring Cloud Zookeeper's payload class, the default {@code @class} of the payload. */
    String SPRING_CLOUD_PAYLOAD = "org.springframework.cloud.zookeeper.discovery.ZookeeperInstance";

    /**
     * A builder registering {@code endpoint} as an instance of {@code service}.
     *
     * @param service the service name, the znode under the base path
     * @param endpoint the address clients are to use
     * @return a new builder
     * @throws IllegalArgumentException if the service name is blank or contains '/'
     * @throws NullPointerException if an argument is null
     */
    static Builder builder(String service, Endpoint endpoint) {
        return new Builder(service, endpoint);
    }

    /**
     * The znode written.
     *
     * @return its path, e.g. {@code /services/users/10.0.0.7:8080}
     */
    String path();

    /**
     * The endpoint registered.
     *
     * @return the endpoint
     */
    Endpoint endpoint();

    /**
     * Whether the znode is believed to exist: it was written or checked on the current
     * connection, which has not been lost since.
     *
     * @return true while registered
     */
    boolean isRegistered();

    /**
     * Completes on the first successful registration; fails if closed before.
     *
     * @return the future, always the same
     */
    CompletableFuture<ZooKeeperRegistration> whenRegistered();

    /**
     * Drains, then deregisters: marks the instance draining, waits the drain period (only when the
     * mark was written), deletes the znode and closes the session. Blocks for the drain period.
     * Idempotent; safe from a shutdown hook.
     */
    @Override
    void close();

    /** Builds and starts a {@link ZooKeeperRegistration}; not thread-safe. */
    final class Builder {
        private static final Pattern CLASS_NAME = Pattern.compile("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*");

        final ZooKeeperOptions zk;
        final Endpoint endpoint;
        String id;
        String payloadClass;
        Duration drainPeriod;
        boolean shutdownHook;

        Builder(String service, Endpoint endpoint) {
            this.zk = new ZooKeeperOptions(service);
            this.endpoint = notNull(endpoint, "endpoint");
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
         * The parent of the service znodes; default {@code /services}.
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
         * The session timeout asked of the server: how long after the process dies its znode
         * stays; default 30 s.
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
         * How long without any server answering before a warning is logged (and again each time
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
         * The instance id, the znode's name and Curator's {@code id}; default the endpoint's
         * {@code host:port}, so that a restarted instance replaces its own stale znode.
         *
         * @param id the id
         * @return this builder
         * @throws IllegalArgumentException if blank or containing '/'
         * @throws IllegalStateException if already set
         */
        public Builder id(String id) {
            notSetYet(this.id, "id");
            notNull(id, "id");
            if (id.isBlank() || id.indexOf('/') >= 0 || id.equals(".") || id.equals("..")) {
                throw new IllegalArgumentException("id: '" + id + "' (expected: not blank, no '/', not . or ..)");
            }
            this.id = id;
            return this;
        }

        /**
         * The payload's {@code @class}, which Curator readers resolve to a class: default
         * {@value ZooKeeperRegistration#SPRING_CLOUD_PAYLOAD} (Spring Cloud Zookeeper readers);
         * {@code org.apache.dubbo.registry.zookeeper.ZookeeperInstance} for Dubbo, or
         * {@code java.util.LinkedHashMap} for Curator readers of a {@code Map} payload.
         *
         * @param className a fully qualified class name
         * @return this builder
         * @throws IllegalArgumentException if it is not a class name
         * @throws IllegalStateException if already set
         */
        public Builder payloadClass(String className) {
            notSetYet(this.payloadClass, "payloadClass");
            notNull(className, "payloadClass");
            if (!CLASS_NAME.matcher(className).matches()) {
                throw new IllegalArgumentException("payloadClass: '" + className + "' (expected: a class name like " + SPRING_CLOUD_PAYLOAD + ")");
            }
            this.payloadClass = className;
            return this;
        }

        /**
         * How long {@link ZooKeeperRegistration#close()} keeps the instance registered as
         * draining before deleting it; default 3 s, zero to delete at once.
         *
         * @param period the period
         * @return this builder
         * @throws IllegalArgumentException if negative
         * @throws IllegalStateException if already set
         */
        public Builder drainPeriod(Duration period) {
            notSetYet(this.drainPeriod, "drainPeriod");
            this.drainPeriod = notNegative(period, "drainPeriod");
            return this;
        }

        /**
         * Whether a JVM shutdown hook closes (drains and deregisters) it; default false.
         *
         * @param enabled true to install the hook
         * @return this builder
         */
        public Builder shutdownHook(boolean enabled) {
            this.shutdownHook = enabled;
            return this;
        }

        /**
         * Starts registering, in the background, and returns at once.
         *
         * @return the registration
         */
        public ZooKeeperRegistration register() {
            DefaultZooKeeperRegistration r = new DefaultZooKeeperRegistration(zk.service, id != null ? id : endpoint.authority(),
                    endpoint, zk.connectStringOrDefault(), zk.servicePath(), zk.sessionTimeoutOrDefault(),
                    zk.connectTimeoutOrDefault(), payloadClass != null ? payloadClass : SPRING_CLOUD_PAYLOAD,
                    drainPeriod != null ? drainPeriod : DEFAULT_DRAIN_PERIOD, shutdownHook);
            r.start();
            return r;
        }

        /** The drain period unless set. */
        static final Duration DEFAULT_DRAIN_PERIOD = Duration.ofSeconds(3);
    }
}
