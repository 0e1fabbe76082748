package io.lb4j.discovery;

import io.lb4j.core.internal.DaemonThreads;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lb4j.core.Endpoint;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class DefaultEtcdRegistration implements EtcdRegistration {
    private static final Logger log = LoggerFactory.getLogger(EtcdRegistration.class);
    private static final Duration MAX_RETRY = Duration.ofSeconds(1);

    private final String key;
    private final Endpoint endpoint;
    private final long ttlSeconds;
    private final long keepAliveNanos;
    private final long retryNanos;
    private final Duration requestTimeout;
    private final Duration drainPeriod;
    private final EtcdClient client;
    private final ScheduledExecutorService scheduler;
    private final Thread hook;
    private final CompletableFuture<EtcdRegistration> registeredOnce = new CompletableFuture<>();

    private volatile long leaseId;
    private volatile boolean registered;
    private volatile boolean closed; // no more ticks
    private volatile boolean draining;
    private boolean closeCalled; // guarded by this
    private boolean failing; // lease thread only
    private boolean keyWritten; // lease thread only

    DefaultEtcdRegistration(List<URI> endpoints, String key, Endpoint endpoint, Duration ttl, Duration requestTimeout,
            Duration drainPeriod, boolean shutdownHook) {
        this.drainPeriod = drainPeriod;
        this.key = key;
        this.endpoint = endpoint;
        this.ttlSeconds = ttl.getSeconds();
        this.keepAliveNanos = ttl.toNanos() / 3;
        this.retryNanos = Math.min(keepAliveNanos, MAX_RETRY.toNanos());
        this.requestTimeout = requestTimeout;
        String name = "lb4j-etcd-lease-" + endpoint.authority();
        this.client = new EtcdClient(endpoints, requestTimeout, name + "-http");
        this.scheduler = DaemonThreads.scheduler(name);
        this.hook = shutdownHook ? new Thread(this::close, "lb4j-etcd-deregister-" + endpoint.authority()) : null;
    }

    void start() {
        if (hook != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        scheduler.execute(this::tick);
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public long leaseId() {
        return leaseId;
    }

    @Override
    public boolean isRegistered() {
        return registered;
    }

    @Override
    public CompletableFuture<EtcdRegistration> whenRegistered() {
        return registeredOnce;
    }

    private void tick() {
        if (closed) {
            return;
        }
        long next = keepAliveNanos;
        try {
            if (leaseId != 0 && !keepAlive()) {
                log.warn("{}: lease {} was lost (expired or revoked); registering again", this, Long.toHexString(leaseId));
                registered = false;
                leaseId = 0;
            }
            if (leaseId == 0) {
                grant();
            }
            if (!keyWritten) {
                put(); // also after a put that failed on a lease that lives on
            }
            registered = true;
            if (failing) {
                log.info("{}: etcd reachable again; registered with lease {}", this, Long.toHexString(leaseId));
                failing = false;
            }
        } catch (InterruptedException e) {
            return; // close()
        } catch (IOException | RuntimeException e) {
            if (closed) {
                return;
            }
            registered = false;
            if (!failing) {
                log.warn("{}: etcd call failed, retrying every {} ms: {}", this, TimeUnit.NANOSECONDS.toMillis(retryNanos), e.toString());
                failing = true;
            } else {
                log.debug("{}: etcd call failed again: {}", this, e.toString());
            }
            next = retryNanos;
        }
        try {
            scheduler.schedule(this::tick, next, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void grant() throws IOException, InterruptedException {
        ObjectNode grant = EndpointJson.MAPPER.createObjectNode();
        grant.put("TTL", ttlSeconds);
        JsonNode granted = client.post("/v3/lease/grant", grant);
        long id = granted.path("ID").asLong(0);
        if (id == 0) {
            throw new IOException("lease grant answered without an ID: " + granted);
        }
        leaseId = id; // at once, so that close() revokes it even if the put's answer is lost
        keyWritten = false;
    }

    private void put() throws IOException, InterruptedException {
        ObjectNode put = EndpointJson.MAPPER.createObjectNode();
        put.put("key", EtcdClient.b64(key));
        put.put("value", EtcdClient.b64(EndpointJson.toJson(EndpointJson.write(endpoint, draining))));
        put.put("lease", Long.toString(leaseId));
        client.post("/v3/kv/put", put);
        keyWritten = true;
        registered = true;
        if (!draining) {
            log.info("{}: registered with lease {} (TTL {} s)", this, Long.toHexString(leaseId), ttlSeconds);
        }
        registeredOnce.complete(this);
    }

    /** Returns false when etcd no longer knows the lease. */
    private boolean keepAlive() throws IOException, InterruptedException {
        ObjectNode body = EndpointJson.MAPPER.createObjectNode();
        body.put("ID", Long.toString(leaseId));
        JsonNode answer = client.post("/v3/lease/keepalive", body);
        // a dead lease is answered 200 with the TTL left out (proto3 drops the 0)
        return answer.path("result").path("TTL").asLong(0) > 0;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closeCalled) {
                return;
            }
            closeCalled = true;
        }
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway and finds us closed
            }
        }
        boolean interrupted = drain();
        closed = true;
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            revoke();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            registered = false;
            registeredOnce.completeExceptionally(new IllegalStateException(this + " was closed before it registered"));
            client.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Rewrites the value as draining on the lease thread, then waits the drain period while
     * keepalives go on. Returns whether it was interrupted (and cut short); the flag is cleared so
     * that the revoke still happens.
     */
    private boolean drain() {
        if (drainPeriod.isZero()) {
            return false;
        }
        boolean marked;
        try {
            marked = scheduler.submit(() -> {
                draining = true; // a re-registration meanwhile writes it so too
                if (!registered || leaseId == 0) {
                    return false;
                }
                try {
                    put();
                    return true;
                } catch (IOException e) {
                    log.warn("{}: could not mark the instance draining, deregistering at once: {}", this, e.toString());
                    return false;
                }
            }).get(requestTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                | RejectedExecutionException e) {
            marked = false;
        } catch (InterruptedException e) {
            return true;
        }
        if (marked) {
            log.info("{}: draining for {} ms before deregistering", this, drainPeriod.toMillis());
            try {
                TimeUnit.NANOSECONDS.sleep(drainPeriod.toNanos()); // the drain itself: clients move away meanwhile
            } catch (InterruptedException e) {
                return true;
            }
        }
        return false;
    }

    private void revoke() throws InterruptedException {
        long id = leaseId;
        if (id == 0) {
            return;
        }
        ObjectNode body = EndpointJson.MAPPER.createObjectNode();
        body.put("ID", Long.toString(id));
        try {
            client.post("/v3/lease/revoke", body);
            log.info("{}: deregistered (lease {} revoked)", this, Long.toHexString(id));
        } catch (EtcdClient.EtcdException e) {
            log.debug("{}: lease {} was already gone: {}", this, Long.toHexString(id), e.getMessage());
        } catch (IOException e) {
            log.warn("{}: could not revoke lease {}; the key goes when it expires in at most {} s: {}",
                    this, Long.toHexString(id), ttlSeconds, e.toString());
        }
        leaseId = 0;
    }

    @Override
    public String toString() {
        return "EtcdRegistration{" + key + " on " + client.endpoints() + "}";
    }
}
