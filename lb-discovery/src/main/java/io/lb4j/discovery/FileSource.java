package io.lb4j.discovery;

import static io.lb4j.core.internal.Checks.notNull;
import static io.lb4j.core.internal.Checks.notSetYet;
import static io.lb4j.core.internal.Checks.positive;

import io.lb4j.core.EndpointSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Endpoints read from a JSON file, one array per service, reloaded when the file changes:
 * <pre>{@code
 * {"users": [{"host": "10.0.0.1", "port": 8080, "weight": 2, "zone": "a", "metadata": {"version": "42"}},
 *            {"host": "10.0.0.2", "port": 8080}],
 *  "orders": [...]}
 * }</pre>
 * {@code host} and {@code port} are required; {@code weight} defaults to 1 (0, or metadata
 * {@code "draining": "true"}, means drained); unknown fields are ignored.
 *
 * <p>Changes are noticed through a {@link java.nio.file.WatchService} on the file's directory,
 * and by polling (default every 5 s) as a fallback for file systems that send no events. Reading
 * is atomic: a file that is half written, not valid JSON, lacks the service's array or holds an
 * invalid or duplicate endpoint is reported to the balancer as an error naming the place
 * (line and column, or the array element) and the previous list stays; so does a deleted file.
 * Writers should still prefer writing a temporary file and renaming it over the old one.
 *
 * <p>Thread-safe. Threads: one named daemon thread for the watch service and one for the
 * schedule (none for the schedule when one is passed in); both stop on {@link #close()}.
 * <pre>{@code
 * Balancer users = Balancer.builder("users")
 *         .source(FileSource.of(Path.of("/etc/myapp/endpoints.json"), "users"))
 *         .build();
 * users.whenReady().get(5, TimeUnit.SECONDS);
 * }</pre>
 */
public interface FileSource extends EndpointSource {

    /**
     * A source with the defaults: watch service on, polling every 5 s.
     *
     * @param file the JSON file
     * @param service the top-level key whose array is read
     * @return the source
     */
    static FileSource of(Path file, String service) {
        return builder(file, service).build();
    }

    /**
     * A builder for a source reading the array named {@code service} from {@code file}.
     *
     * @param file the JSON file
     * @param service the top-level key whose array is read
     * @return a new builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the service name is blank
     */
    static Builder builder(Path file, String service) {
        return new Builder(file, service);
    }

    /** {@return the file read} */
    Path file();

    /** {@return the top-level key whose array is read} */
    String service();

    /**
     * Reads the file now, on the calling thread, and delivers its list even if unchanged.
     * Returns whether a list was delivered; when false the error went to the balancer and the
     * previous list stays. Before {@link #start} or after {@link #close()} it does nothing and returns false.
     *
     * @return whether a list was delivered
     */
    boolean reload();

    /** Builds a {@link FileSource}; not thread-safe. */
    final class Builder {
        /** How often the file is checked when no watch event arrives. */
        public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

        final Path file;
        final String service;
        Duration pollInterval;
        boolean watch = true;
        ScheduledExecutorService scheduler;
        int minHosts;

        Builder(Path file, String service) {
            this.file = notNull(file, "file").toAbsolutePath();
            this.service = notNull(service, "service");
            if (service.isBlank()) {
                throw new IllegalArgumentException("service: '" + service + "' (expected: not blank)");
            }
        }

        /**
         * How often the file is checked regardless of watch events; default 5 s.
         *
         * @param interval the interval
         * @return this builder
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder pollInterval(Duration interval) {
            notSetYet(pollInterval, "pollInterval");
            this.pollInterval = positive(interval, "pollInterval");
            return this;
        }

        /**
         * Whether to use the platform's watch service for prompt reloads; default true.
         *
         * @param watch whether to use the watch service
         * @return this builder
         */
        public Builder watch(boolean watch) {
            this.watch = watch;
            return this;
        }

        /**
         * Runs the polls and reloads on this scheduler instead of an own thread; it is not shut
         * down by {@link FileSource#close()}. Mostly for tests.
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
        public FileSource build() {
            return new DefaultFileSource(this);
        }
    }
}
