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
 * A value that is not a valid instance is skipped with a warning naming the key; the other
 * instances are delivered. An empty prefix is a valid, empty list.
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
        final EtcdOptions etcd;
        Duration initialBackoff;
        Duration maxBackoff;
        Duration relistAfter;
        RandomGenerator random;
        Ticker ticker;

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
                    random != null ? random : ThreadLocalRandomGenerator.INSTANCE,
                    ticker != null ? ticker : Ticker.system());
        }
    }
}
