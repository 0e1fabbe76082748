package io.lb4j.discovery;

import static io.lb4j.core.internal.Checks.notNull;
import static io.lb4j.core.internal.Checks.notSetYet;
import static io.lb4j.core.internal.Checks.positive;

import io.lb4j.core.EndpointSource;
import io.lb4j.core.Ticker;
import io.lb4j.core.internal.ThreadLocalRandomGenerator;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The instances registered in etcd v3 under {@code /services/<service>/}, one key per instance
 * whose value is the JSON {@code {"host":"10.0.0.1","port":8080,"weight":2,"zone":"a","metadata":{...}}}
 * (what {@link EtcdRegistration} writes). Talks to etcd's JSON gateway over {@code java.net.http}:
 * no gRPC or etcd client library is needed.
 *
 * <p>It reads the prefix once, then watches it from the next revision, delivering the whole list
 * after each change. When the watch breaks (etcd restarted, network trouble) it reconnects with
 * exponential backoff (default 100 ms doubling to 5 s, with jitter), trying the next member of
 * {@link Builder#endpoints} each time, and resumes from the last revision seen; when etcd has
 * compacted that revision away, or the outage lasted longer than {@link Builder#relistAfter}
 * (default 30 s), it reads the prefix again before watching, so no change is lost. While
 * disconnected each failed attempt is reported to the balancer, which keeps the last list.
 * A watch created at a revision lower than one already seen means the data behind the address
 * was replaced (restored from an older backup, a rebuilt cluster): the prefix is read again. The
 * watch asks for progress notifications; when nothing arrives within {@link Builder#watchTimeout}
 * (default 60 s) it is taken for a half-open connection and the prefix is read again on a new one.
 * A value that is not a valid instance is skipped with a warning naming the key; the other
 * instances are delivered; one whose metadata says {@code "draining": "true"} gets weight 0. An
 * empty prefix is a valid, empty list (see {@link Builder#minHosts} for a floor).
 *
 * <p>Thread-safe. Threads: one named daemon thread for the watch plus the HTTP client's named
 * daemon workers; all stop on {@link #close()}.
 * <pre>{@code
 * Balancer users = Balancer.builder("users")
 *         .source(EtcdSource.builder("users").endpoints("http://10.0.0.5:2379", "http://10.0.0.6:2379").build())
 *         .build();
 * }</pre>
 */
public interface EtcdSource extends EndpointSource {

    /**
     * A builder for the instances of {@code service}, by default under {@code /services/<service>/}
     * on {@code http://127.0.0.1:2379}.
     *
     * @param service the service name
     * @return a new builder
     * @throws IllegalArgumentException if the service name is blank or contains '/'
     */
    static Builder builder(String service) {
        return new Builder(service);
    }

    /** {@return the key prefix watched, e.g. {@code /services/users/}} */
    String prefix();

    /** Builds an {@link EtcdSource}; not thread-safe. */
    final class Builder {
        /** How long a watch may stay silent before it is read again on a new connection. */
        public static final Duration DEFAULT_WATCH_TIMEOUT = Duration.ofSeconds(60);

        final EtcdOptions etcd;
        Duration initialBackoff;
        Duration maxBackoff;
        Duration relistAfter;
        Duration watchTimeout;
        RandomGenerator random;
        Ticker ticker;
        int minHosts;

        Builder(String service) {
            this.etcd = new EtcdOptions(service);
        }

        /**
         * The client URLs of one or more etcd members, tried in turn; default {@code http://127.0.0.1:2379}.
         *
         * @param urls the client URLs
         * @return this builder
         * @throws IllegalArgumentException if empty or a URL is not {@code http(s)://host:port}
         * @throws IllegalStateException if already set
         */
        public Builder endpoints(String... urls) {
            etcd.endpoints(urls);
            return this;
        }

        /**
         * The key prefix; default {@code /services/<service>/}.
         *
         * @param prefix the prefix
         * @return this builder
         * @throws IllegalArgumentException unless it starts and ends with '/'
         * @throws IllegalStateException if already set
         */
        public Builder prefix(String prefix) {
            etcd.prefix(prefix);
            return this;
        }

        /**
         * Timeout of connecting and of each unary call (the initial read); default 5 s.
         *
         * @param timeout the timeout
         * @return this builder
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder requestTimeout(Duration timeout) {
            etcd.requestTimeout(timeout);
            return this;
        }

        /**
         * Reconnect delays: the first, doubled on each failure up to {@code max}; defaults 100 ms and 5 s.
         *
         * @param initial the first delay
         * @param max the longest delay
         * @return this builder
         * @throws IllegalArgumentException if not positive or {@code max < initial}
         * @throws IllegalStateException if already set
         */
        public Builder backoff(Duration initial, Duration max) {
            notSetYet(initialBackoff, "backoff");
            positive(initial, "backoff initial");
            positive(max, "backoff max");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("backoff max: " + max + " (expected: >= initial " + initial + ")");
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /**
         * After an outage this long, read the whole prefix again instead of resuming the watch; default 30 s.
         *
         * @param outage the outage length
         * @return this builder
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder relistAfter(Duration outage) {
            notSetYet(relistAfter, "relistAfter");
            this.relistAfter = positive(outage, "relistAfter");
            return this;
        }

        /**
         * How long the watch may stay silent, without any event or progress notification, before
         * the prefix is read again on a new connection (a half-open connection sends nothing and
         * never ends); default 60 s. The source asks etcd for progress notifications, which etcd
         * sends every {@code --experimental-watch-progress-notify-interval} (default 10 min): set
         * that below this timeout and a quiet but healthy watch is never re-created.
         *
         * @param timeout the longest silence
         * @return this builder
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder watchTimeout(Duration timeout) {
            notSetYet(watchTimeout, "watchTimeout");
            this.watchTimeout = positive(timeout, "watchTimeout");
            return this;
        }

        /**
         * Randomness for the backoff jitter; default a thread-local generator.
         *
         * @param random the random source
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder random(RandomGenerator random) {
            notSetYet(this.random, "random");
            this.random = notNull(random, "random");
            return this;
        }

        /**
         * Measures how long an outage lasts (see {@link #relistAfter}); default {@link Ticker#system()}.
         *
         * @param ticker the ticker
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder ticker(Ticker ticker) {
            notSetYet(this.ticker, "ticker");
            this.ticker = notNull(ticker, "ticker");
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
        public EtcdSource build() {
            return new DefaultEtcdSource(
                    etcd.service,
                    etcd.endpointsOrDefault(),
                    etcd.prefixOrDefault(),
                    etcd.requestTimeoutOr(Duration.ofSeconds(5)),
                    initialBackoff != null ? initialBackoff : Duration.ofMillis(100),
                    maxBackoff != null ? maxBackoff : Duration.ofSeconds(5),
                    relistAfter != null ? relistAfter : Duration.ofSeconds(30),
                    watchTimeout != null ? watchTimeout : DEFAULT_WATCH_TIMEOUT,
                    minHosts,
                    random != null ? random : ThreadLocalRandomGenerator.INSTANCE,
                    ticker != null ? ticker : Ticker.system());
        }
    }
}
