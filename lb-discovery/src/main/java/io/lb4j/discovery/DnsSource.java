package io.lb4j.discovery;

import static io.lb4j.core.internal.Checks.notNull;
import static io.lb4j.core.internal.Checks.notSetYet;
import static io.lb4j.core.internal.Checks.positive;

import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointSource;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Endpoints from DNS, looked up through JNDI's DNS provider (part of the JDK; no dependency),
 * against the system's resolvers or a given DNS server.
 *
 * <ul>
 *   <li>{@link #forHost(String, int)}: every A and AAAA address of a name, each with the given port
 *       and weight 1.</li>
 *   <li>{@link #forSrv(String)}: the SRV records of a name such as {@code _http._tcp.users.example}.
 *       Only the group with the lowest priority value whose targets resolve is used (the others are
 *       backups). Each target's A/AAAA addresses become endpoints with the record's port. Weight:
 *       an SRV weight {@code w > 0} becomes endpoint weight {@code 10 * w}, and SRV weight 0 becomes
 *       1, so that, as RFC 2782 asks, a weight-0 target gets a small share next to weighted ones
 *       and an equal share when the whole group is 0. A target with several addresses splits its
 *       weight between them (at least 1 each). Records with target {@code "."} are ignored.</li>
 * </ul>
 *
 * <p>It looks up when started, then every {@link Builder#interval} (default 30 s; JNDI does not
 * expose TTLs), and whenever {@link #refresh()} is called. A lookup that fails (server down or
 * timing out, NXDOMAIN, no records, no target resolving) is reported to the balancer, which keeps
 * the last good list: a name that vanishes from DNS is far more often a mistake than a wish to
 * stop all traffic. Lists are sorted by address, so the rotating order of answers does not
 * rebuild the balancer's snapshot.
 *
 * <p>Thread-safe. Threads: one named daemon thread for the schedule (none when a scheduler is
 * passed in); it stops on {@link #close()}.
 * <pre>{@code
 * Balancer users = Balancer.builder("users")
 *         .source(DnsSource.forSrv("_http._tcp.users.service.consul").server("127.0.0.1:8600").build())
 *         .build();
 * Balancer orders = Balancer.builder("orders")
 *         .source(DnsSource.forHost("orders.internal", 8080).interval(Duration.ofSeconds(10)).build())
 *         .build();
 * }</pre>
 */
public interface DnsSource extends EndpointSource {

    /**
     * A builder for the A and AAAA records of {@code name}, each address on {@code port}.
     *
     * @param name the host name
     * @param port the port of every address
     * @return a new builder
     * @throws IllegalArgumentException if the name is not a host name or the port is not 1-65535
     */
    static Builder forHost(String name, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
        return new Builder(name, port);
    }

    /**
     * A builder for the SRV records of {@code name}, e.g. {@code _http._tcp.users.example}.
     *
     * @param name the SRV name
     * @return a new builder
     * @throws IllegalArgumentException if the name is not a DNS name
     */
    static Builder forSrv(String name) {
        return new Builder(name, 0);
    }

    /** {@return the name looked up} */
    String name();

    /**
     * Looks up now, on the calling thread, and delivers the list if it changed. Returns whether
     * the lookup succeeded; when false the error went to the balancer and the last list stays.
     * Before {@link #start} or after {@link #close()} it does nothing and returns false.
     *
     * @return whether the lookup succeeded
     */
    boolean refresh();

    /** Builds a {@link DnsSource}; not thread-safe. */
    final class Builder {
        /** How often DNS is asked again. */
        public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
        /** How long the first query waits before its single retry (which waits twice as long). */
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

        final String name;
        final int port;
        Endpoint server;
        Duration interval;
        Duration timeout;
        boolean ipv6 = true;
        ScheduledExecutorService scheduler;
        int minHosts;

        Builder(String name, int port) {
            notNull(name, "name");
            String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
            if (n.isEmpty() || n.length() > 253 || n.startsWith(".") || n.contains("..")
                    || !n.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_'))) {
                throw new IllegalArgumentException("name: '" + name + "' (expected: a DNS name like users.example)");
            }
            this.name = n.toLowerCase(Locale.ROOT);
            this.port = port;
        }

        /**
         * The DNS server to ask, {@code host:port} or {@code host} (port 53), e.g. {@code 127.0.0.1:8600};
         * default the system's resolvers.
         *
         * @param server the server's address
         * @return this builder
         * @throws IllegalArgumentException if it is not an IP address with an optional port
         * @throws IllegalStateException if already set
         */
        public Builder server(String server) {
            notSetYet(this.server, "server");
            notNull(server, "server");
            long colons = server.chars().filter(c -> c == ':').count();
            String withPort;
            if (server.startsWith("[")) {
                withPort = server.contains("]:") ? server : server + ":53";
            } else if (colons >= 2) {
                withPort = "[" + server + "]:53"; // a bare IPv6 address
            } else {
                withPort = colons == 1 ? server : server + ":53";
            }
            Endpoint e;
            try {
                e = Endpoint.parse(withPort);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("server: '" + server + "' (expected: ip or ip:port, like 127.0.0.1:53)", ex);
            }
            if (e.host().indexOf(':') < 0 && !e.host().matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                throw new IllegalArgumentException("server: '" + server + "' (expected: an IP address, not a name)");
            }
            this.server = e;
            return this;
        }

        /**
         * How often to look up again; default 30 s.
         *
         * @param interval the interval
         * @return this builder
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder interval(Duration interval) {
            notSetYet(this.interval, "interval");
            this.interval = positive(interval, "interval");
            return this;
        }

        /**
         * How long a query waits for an answer before its one retry, which waits twice as long; default 1 s.
         *
         * @param timeout the first wait
         * @return this builder
         * @throws IllegalArgumentException if not positive or over a minute
         * @throws IllegalStateException if already set
         */
        public Builder timeout(Duration timeout) {
            notSetYet(this.timeout, "timeout");
            positive(timeout, "timeout");
            if (timeout.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("timeout: " + timeout + " (expected: <= PT1M)");
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Whether AAAA records are used besides A records; default true.
         *
         * @param ipv6 whether to use AAAA records
         * @return this builder
         */
        public Builder ipv6(boolean ipv6) {
            this.ipv6 = ipv6;
            return this;
        }

        /**
         * Runs the periodic lookups on this scheduler instead of an own thread; it is not shut
         * down by {@link DnsSource#close()}. Mostly for tests.
         *
         * @param scheduler the scheduler
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            notSetYet(this.scheduler, "scheduler");
            this.scheduler = notNull(scheduler, "scheduler");
            return this;
        }

        /**
         * A sanity floor: a list with fewer than this many endpoints that is also smaller than the
         * last one delivered is not applied; the balancer keeps the last list and is told why (as
         * for any source error) until an answer with enough endpoints arrives. Default 0 (off).
         * The first list is always delivered.
         *
         * @param minHosts the floor, 0 to disable
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder minHosts(int minHosts) {
            this.minHosts = io.lb4j.core.internal.Checks.atLeast(minHosts, 0, "minHosts");
            return this;
        }

        /**
         * Builds the source; a balancer starts it.
         *
         * @return the source
         */
        public DnsSource build() {
            return new DefaultDnsSource(this);
        }
    }
}
