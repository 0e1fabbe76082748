package io.lb4j.zookeeper;

import io.lb4j.core.Endpoint;
import io.lb4j.core.internal.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class DefaultZooKeeperRegistration implements ZooKeeperRegistration, Session.Handler {
    private static final Logger log = LoggerFactory.getLogger(ZooKeeperRegistration.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String service;
    private final String id;
    private final Endpoint endpoint;
    private final String servicePath;
    private final String path;
    private final String payloadClass;
    private final Duration drainPeriod;
    private final long registrationTime = System.currentTimeMillis(); // Curator's registrationTimeUTC: wall clock
    private final ScheduledExecutorService executor;
    private final Session session;
    private final Thread hook;
    private final CompletableFuture<ZooKeeperRegistration> registeredOnce = new CompletableFuture<>();

    private volatile boolean registered;
    private volatile boolean draining;
    private volatile boolean deleting;
    private boolean closed; // guarded by this
    private boolean failing; // executor thread only

    DefaultZooKeeperRegistration(String service, String id, Endpoint endpoint, String connectString, String servicePath,
            Duration sessionTimeout, Duration connectTimeout, String payloadClass, Duration drainPeriod, boolean shutdownHook) {
        this.service = service;
        this.id = id;
        this.endpoint = endpoint;
        this.servicePath = servicePath;
        this.path = servicePath + "/" + id;
        this.payloadClass = payloadClass;
        this.drainPeriod = drainPeriod;
        String name = "lb4j-zk-reg-" + endpoint.authority();
        this.executor = DaemonThreads.scheduler(name);
        this.session = new Session(connectString, sessionTimeout, connectTimeout, executor, this);
        this.hook = shutdownHook ? new Thread(this::close, "lb4j-zk-deregister-" + endpoint.authority()) : null;
    }

    void start() {
        if (hook != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        session.start();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public boolean isRegistered() {
        return registered;
    }

    @Override
    public CompletableFuture<ZooKeeperRegistration> whenRegistered() {
        return registeredOnce;
    }

    // ---- session events, on the executor

    @Override
    public void onConnected(ZooKeeper zk, boolean fresh) {
        ensureRegistered(zk);
    }

    @Override
    public void onDisconnected(ZooKeeper zk) {
        registered = false;
        trouble("connection to ZooKeeper lost; the znode lives on with the session while it reconnects");
    }

    @Override
    public void onExpired() {
        registered = false;
        log.warn("{}: session expired, so ZooKeeper deleted the znode; registering again with a new session", this);
        failing = true;
    }

    @Override
    public void onFailure(Exception cause) {
        registered = false;
        trouble(cause.getMessage());
    }

    @Override
    public void onNodeEvent(ZooKeeper zk, WatchedEvent event) {
        if (deleting || !path.equals(event.getPath())) {
            return;
        }
        if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
            log.warn("{}: the znode was deleted while the session lives; creating it again", this);
            ensureRegistered(zk);
        } else {
            watch(zk); // our own data change (draining) used up the watch
        }
    }

    private void trouble(String message) {
        if (!failing) {
            log.warn("{}: {}", this, message);
            failing = true;
        } else {
            log.debug("{}: {}", this, message);
        }
    }

    // ---- writes, on the executor

    private void ensureRegistered(ZooKeeper zk) {
        if (deleting) {
            return;
        }
        try {
            byte[] data = CuratorInstance.write(service, id, endpoint, payloadClass, registrationTime, draining);
            for (int attempt = 1; !create(zk, data); attempt++) {
                if (attempt == 5) { // someone keeps creating it: another live instance with the same id
                    throw KeeperException.create(KeeperException.Code.NODEEXISTS, path);
                }
            }
            watch(zk);
            registered = true;
            if (failing || !registeredOnce.isDone()) {
                log.info("{}: registered (session 0x{})", this, Long.toHexString(zk.getSessionId()));
                failing = false;
            }
            registeredOnce.complete(this);
        } catch (KeeperException e) {
            registered = false;
            if (isConnectionTrouble(e)) {
                return; // the session's own event follows, and with it another attempt
            }
            trouble("cannot create " + path + ", retrying every second: " + e.getMessage());
            session.schedule(() -> {
                if (session.handle() == zk && !registered) {
                    ensureRegistered(zk);
                }
            }, RETRY_NANOS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // close()
        }
    }

    /** Creates the ephemeral znode; returns false after removing another session's, to be tried again. */
    private boolean create(ZooKeeper zk, byte[] data) throws KeeperException, InterruptedException {
        try {
            zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            return true;
        } catch (KeeperException.NoNodeException e) {
            createParents(zk);
            return false;
        } catch (KeeperException.NodeExistsException e) {
            Stat stat = zk.exists(path, false);
            if (stat == null) {
                return false;
            }
            if (stat.getEphemeralOwner() == zk.getSessionId()) {
                zk.setData(path, data, -1); // ours: an earlier attempt of this session got through
                return true;
            }
            // as Curator does: delete and create, rather than overwrite, so that watchers see the change
            log.info("{}: replacing the znode of session 0x{} (an earlier run of this instance, or another with the same id)",
                    this, Long.toHexString(stat.getEphemeralOwner()));
            try {
                zk.delete(path, stat.getVersion());
            } catch (KeeperException.NoNodeException | KeeperException.BadVersionException raced) {
                // changed meanwhile: look again
            }
            return false;
        }
    }

    /** The base path and service znodes, as containers (the server removes them once empty), as Curator makes them. */
    private void createParents(ZooKeeper zk) throws KeeperException, InterruptedException {
        for (int i = servicePath.indexOf('/', 1); ; i = servicePath.indexOf('/', i + 1)) {
            String parent = i < 0 ? servicePath : servicePath.substring(0, i);
            try {
                zk.create(parent, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
            } catch (KeeperException.NodeExistsException exists) {
                // fine
            } catch (KeeperException.UnimplementedException oldServer) {
                try {
                    zk.create(parent, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT); // before 3.5.3
                } catch (KeeperException.NodeExistsException exists) {
                    // fine
                }
            }
            if (i < 0) {
                return;
            }
        }
    }

    /** Watches the znode, so that a deletion by hand is noticed. */
    private void watch(ZooKeeper zk) {
        try {
            if (zk.exists(path, true) == null && !deleting) {
                ensureRegistered(zk);
            }
        } catch (KeeperException e) {
            log.debug("{}: cannot watch the znode: {}", this, e.getMessage()); // a reconnect watches again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isConnectionTrouble(KeeperException e) {
        return e.code() == KeeperException.Code.CONNECTIONLOSS || e.code() == KeeperException.Code.SESSIONEXPIRED
                || e.code() == KeeperException.Code.SESSIONMOVED;
    }

    /** Rewrites the znode as draining; returns whether that was written. */
    private boolean markDraining() {
        draining = true;
        ZooKeeper zk = session.handle();
        if (zk == null || !registered) {
            return false;
        }
        try {
            zk.setData(path, CuratorInstance.write(service, id, endpoint, payloadClass, registrationTime, true), -1);
            log.info("{}: draining for {} ms before deregistering", this, drainPeriod.toMillis());
            return true;
        } catch (KeeperException e) {
            log.warn("{}: could not mark the znode draining, deregistering at once: {}", this, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void delete() {
        deleting = true;
        ZooKeeper zk = session.handle();
        if (zk != null && registered) {
            try {
                zk.delete(path, -1);
                log.info("{}: deregistered", this);
            } catch (KeeperException e) {
                log.debug("{}: delete failed ({}); closing the session removes the znode", this, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        registered = false;
        session.close();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway and finds us closed
            }
        }
        try {
            if (Boolean.TRUE.equals(call(this::markDraining)) && !drainPeriod.isZero()) {
                TimeUnit.NANOSECONDS.sleep(drainPeriod.toNanos()); // the drain itself: clients move away meanwhile
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // deregister at once
        } finally {
            boolean interrupted = Thread.interrupted();
            call(() -> {
                delete();
                return null;
            });
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            executor.shutdownNow();
            registered = false;
            registeredOnce.completeExceptionally(new IllegalStateException(this + " was closed before it registered"));
        }
    }

    /** Runs on the executor and waits; null when it could not (closed, stuck, interrupted). */
    private <T> T call(Callable<T> task) {
        try {
            return executor.submit(task).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException | ExecutionException | TimeoutException e) {
            log.debug("{}: {} during close", this, e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The current session's id and password, for tests that expire it from outside. */
    Object[] sessionCredentials() throws Exception {
        return session.credentials();
    }

    @Override
    public String toString() {
        return "ZooKeeperRegistration{" + path + " on " + session.connectString() + "}";
    }
}
