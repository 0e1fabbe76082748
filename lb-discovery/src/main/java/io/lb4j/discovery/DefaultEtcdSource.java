package io.lb4j.discovery;

import io.lb4j.core.internal.Delivery;
import io.lb4j.core.internal.DuplicateFilter;
import io.lb4j.core.internal.DaemonThreads;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lb4j.core.Endpoint;
import io.lb4j.core.Ticker;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class DefaultEtcdSource implements EtcdSource {
    private static final Logger log = LoggerFactory.getLogger(EtcdSource.class);

    private final String service;
    private final String prefix;
    private final EtcdClient client;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final long relistAfterNanos;
    private final long watchTimeoutNanos;
    private final int minHosts;
    private final RandomGenerator random;
    private final Ticker ticker;
    private final CountDownLatch closing = new CountDownLatch(1);

    // touched only by the watch thread once started
    private final TreeMap<String, Endpoint> instances = new TreeMap<>();
    private long revision;
    private boolean needList = true;
    private long disconnectedAt;
    private boolean disconnected;
    private Duration backoff;
    private final DuplicateFilter duplicates = new DuplicateFilter();

    private Delivery delivery;
    private Thread thread;
    private volatile EtcdClient.WatchStream stream;
    private volatile boolean closed;
    private volatile int lists; // how often the prefix was read, for tests
    private volatile int silences; // how often a silent watch was given up, for tests
    private volatile int watches; // how often etcd confirmed a watch, for tests

    DefaultEtcdSource(String service, List<URI> endpoints, String prefix, Duration requestTimeout, Duration initialBackoff,
            Duration maxBackoff, Duration relistAfter, Duration watchTimeout, int minHosts, RandomGenerator random, Ticker ticker) {
        this.service = service;
        this.prefix = prefix;
        this.client = new EtcdClient(endpoints, requestTimeout, "lb4j-etcd-http-" + service);
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.relistAfterNanos = relistAfter.toNanos();
        this.watchTimeoutNanos = watchTimeout.toNanos();
        this.minHosts = minHosts;
        this.random = random;
        this.ticker = ticker;
        this.backoff = initialBackoff;
    }

    @Override
    public String prefix() {
        return prefix;
    }

    @Override
    public synchronized void start(Listener listener) {
        delivery = Delivery.forStart(this, delivery, closed, listener, minHosts);
        thread = DaemonThreads.start("lb4j-etcd-watch-" + service, this::run);
    }

    private void run() {
        while (!closed) {
            try {
                if (needList || (disconnected && ticker.read() - disconnectedAt > relistAfterNanos)) {
                    list();
                }
                watch();
            } catch (InterruptedException e) {
                return; // close()
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                if (!disconnected) {
                    disconnected = true;
                    disconnectedAt = ticker.read();
                }
                delivery.fail(new IOException("etcd " + prefix + ": " + e.getMessage(), e));
                pause();
            }
        }
    }

    /** Waits the current backoff with up to 20% jitter either way, then doubles it; close() cuts it short. */
    private void pause() {
        long nanos = backoff.toNanos();
        long jitter = nanos / 5;
        long wait = nanos - jitter + (jitter > 0 ? random.nextLong(2 * jitter + 1) : 0);
        backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
        try {
            closing.await(wait, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void list() throws IOException, InterruptedException {
        JsonNode answer = client.post("/v3/kv/range", EtcdClient.prefixRange(prefix));
        long rev = answer.path("header").path("revision").asLong(-1);
        if (rev < 0) {
            throw new IOException("range answer without a revision: " + answer);
        }
        instances.clear();
        for (JsonNode kv : answer.path("kvs")) {
            apply(kv, false);
        }
        revision = rev;
        needList = false;
        lists++; // single writer
        log.debug("{}: listed {} keys at revision {}", this, instances.size(), rev);
        publish();
    }

    private void watch() throws IOException, InterruptedException {
        ObjectNode body = EndpointJson.MAPPER.createObjectNode();
        ObjectNode create = body.putObject("create_request");
        create.setAll(EtcdClient.prefixRange(prefix));
        create.put("start_revision", Long.toString(revision + 1));
        // etcd then sends a progress notification every --experimental-watch-progress-notify-interval
        // (10 min by default) to a watch that has no events: proof that the connection lives
        create.put("progress_notify", true);
        try (EtcdClient.WatchStream lines = client.watch(body)) {
            stream = lines;
            if (closed) {
                return;
            }
            while (true) {
                String line = lines.next(watchTimeoutNanos);
                if (line == null) {
                    // nothing, not even a progress notification: the connection may be half-open (a
                    // firewall or NAT that forgot it). Read again on a new one; events may be lost on
                    // this one, and a quiet watch's revision may have been compacted meanwhile.
                    silences++; // single writer
                    log.debug("{}: the watch was silent for {} ms; reading the prefix again on a new connection",
                            this, TimeUnit.NANOSECONDS.toMillis(watchTimeoutNanos));
                    needList = true;
                    return;
                }
                if (line.isBlank()) {
                    continue;
                }
                if (!onMessage(EndpointJson.MAPPER.readTree(line))) {
                    return;
                }
            }
        } finally {
            stream = null;
        }
    }

    /** Handles one watch message; returns false when the watch must be re-created. */
    private boolean onMessage(JsonNode message) throws IOException {
        if (message.has("error")) {
            throw new IOException("etcd ended the watch: " + message.get("error"));
        }
        JsonNode result = message.path("result");
        if (result.path("canceled").asBoolean(false)) {
            long compacted = result.path("compact_revision").asLong(0);
            if (compacted > 0) {
                log.info("{}: revision {} was compacted (now at {}); reading the prefix again", this, revision + 1, compacted);
                needList = true;
                return false;
            }
            throw new IOException("etcd canceled the watch: " + result.path("cancel_reason").asText("no reason given"));
        }
        if (result.path("created").asBoolean(false)) {
            watches++; // single writer
            long current = result.path("header").path("revision").asLong(-1);
            if (current >= 0 && current < revision) {
                // etcd only moves forward: this is other data under the same address (restored from an
                // older backup, a rebuilt cluster); watching from our revision would wait for ever
                log.warn("{}: etcd is at revision {}, behind the {} already seen: its data was replaced; reading the prefix again",
                        this, current, revision);
                needList = true;
                onConnected();
                return false;
            }
            onConnected();
        }
        JsonNode events = result.path("events");
        if (events.isArray() && !events.isEmpty()) {
            for (JsonNode event : events) {
                JsonNode kv = event.path("kv");
                if ("DELETE".equals(event.path("type").asText())) {
                    instances.remove(key(kv));
                } else {
                    apply(kv, true);
                }
                revision = Math.max(revision, kv.path("mod_revision").asLong(revision));
            }
            publish();
        }
        return true;
    }

    private void onConnected() {
        if (disconnected) {
            log.info("{}: watching again from revision {}", this, revision + 1);
            disconnected = false;
            // the balancer must hear that the source is fine even when nothing changed meanwhile
            publish();
        }
        backoff = initialBackoff;
    }

    private void apply(JsonNode kv, boolean update) {
        String key = key(kv);
        try {
            instances.put(key, decode(key, EtcdClient.unb64(kv.get("value"))));
        } catch (IllegalArgumentException e) {
            log.warn("{}: skipping {}: {}", this, key, e.getMessage());
            if (update) {
                instances.remove(key); // the instance no longer describes itself validly
            }
        }
    }

    private static String key(JsonNode kv) {
        return new String(EtcdClient.unb64(kv.get("key")), StandardCharsets.UTF_8);
    }

    /**
     * Reads one instance value.
     *
     * @throws IllegalArgumentException naming the key, the place and the rule
     */
    static Endpoint decode(String key, byte[] value) {
        JsonNode node;
        try {
            node = EndpointJson.MAPPER.readTree(value);
        } catch (IOException e) {
            String text = new String(value, StandardCharsets.UTF_8);
            throw new IllegalArgumentException(key + ": not JSON: '" + (text.length() > 60 ? text.substring(0, 57) + "..." : text)
                    + "' (expected: {\"host\":...,\"port\":...})", e);
        }
        return EndpointJson.read(node, key);
    }

    private void publish() {
        // a duplicate is reported once, not on every later change
        List<Endpoint> list = duplicates.firstPerAddress(instances, (key, first) ->
                log.warn("{}: skipping {}: {} is already registered under {}", this, key, instances.get(key).authority(), first));
        delivery.deliver(list);
    }

    int listCount() {
        return lists;
    }

    int silenceCount() {
        return silences;
    }

    int watchCount() {
        return watches;
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (delivery != null) {
                delivery.close();
            }
            t = thread;
        }
        closing.countDown();
        EtcdClient.WatchStream s = stream;
        if (s != null) {
            s.close();
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.close();
    }

    @Override
    public String toString() {
        return "EtcdSource{" + prefix + " on " + client.endpoints() + "}";
    }
}
