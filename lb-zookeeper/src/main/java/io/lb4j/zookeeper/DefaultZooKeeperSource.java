package io.lb4j.zookeeper;

import io.lb4j.core.Endpoint;
import io.lb4j.core.internal.DaemonThreads;
import io.lb4j.core.internal.Delivery;
import io.lb4j.core.internal.DuplicateFilter;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class DefaultZooKeeperSource implements ZooKeeperSource, Session.Handler {
    private static final Logger log = LoggerFactory.getLogger(ZooKeeperSource.class);
    private static final long MAX_RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final String service;
    private final String path;
    private final boolean sslPort;
    private final int minHosts;
    private final ScheduledExecutorService executor;
    private final Session session;

    // executor thread only
    private final TreeMap<String, Endpoint> instances = new TreeMap<>();
    private final Map<String, Integer> skipped = new HashMap<>(); // id -> data version already warned about
    private final DuplicateFilter duplicates = new DuplicateFilter();
    private boolean disconnected;
    private long retryNanos = TimeUnit.SECONDS.toNanos(1);
    private boolean retryPending;
    private volatile int syncs; // full reads, for tests

    private volatile Delivery delivery;
    private volatile boolean closed;

    DefaultZooKeeperSource(String service, String connectString, String path, Duration sessionTimeout, Duration connectTimeout,
            boolean sslPort, int minHosts) {
        this.service = service;
        this.path = path;
        this.sslPort = sslPort;
        this.minHosts = minHosts;
        this.executor = DaemonThreads.scheduler("lb4j-zk-" + service);
        this.session = new Session(connectString, sessionTimeout, connectTimeout, executor, this);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public synchronized void start(Listener listener) {
        if (delivery != null) {
            throw new IllegalStateException(this + " was already started");
        }
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        delivery = new Delivery(io.lb4j.core.internal.Checks.notNull(listener, "listener"), "ZooKeeper " + path, minHosts);
        session.start();
    }

    // ---- session events, on the executor

    @Override
    public void onConnected(ZooKeeper zk, boolean fresh) {
        if (disconnected) {
            log.info("{}: connected again{}; reading the instances again", this, fresh ? " with a new session" : "");
            disconnected = false;
        }
        syncAll(zk);
    }

    @Override
    public void onDisconnected(ZooKeeper zk) {
        disconnected = true;
        delivery.fail(new IOException("ZooKeeper " + session.connectString() + ": disconnected; keeping the last list while it reconnects"));
    }

    @Override
    public void onExpired() {
        disconnected = true;
        delivery.fail(new IOException("ZooKeeper " + session.connectString() + ": session expired; opening a new one"));
    }

    @Override
    public void onFailure(Exception cause) {
        disconnected = true;
        delivery.fail(cause);
    }

    @Override
    public void onNodeEvent(ZooKeeper zk, WatchedEvent event) {
        String p = event.getPath();
        if (p == null) {
            return;
        }
        try {
            if (p.equals(path)) {
                syncChildren(zk);
            } else if (p.startsWith(path + "/")) {
                String id = p.substring(path.length() + 1);
                if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
                    instances.remove(id);
                    skipped.remove(id);
                } else if (event.getType() == Watcher.Event.EventType.NodeDataChanged) {
                    readInstance(zk, id);
                }
                publish();
            }
        } catch (KeeperException | InterruptedException e) {
            onReadFailure(zk, e);
        }
    }

    // ---- reads, on the executor

    private void syncAll(ZooKeeper zk) {
        try {
            instances.clear();
            syncChildren(zk);
            syncs++; // single writer
        } catch (KeeperException | InterruptedException e) {
            onReadFailure(zk, e);
        }
    }

    /** Reads the children (watching them) and the data of those not known yet, then delivers. */
    private void syncChildren(ZooKeeper zk) throws KeeperException, InterruptedException {
        List<String> ids;
        while (true) {
            try {
                ids = zk.getChildren(path, true);
                break;
            } catch (KeeperException.NoNodeException e) {
                // no instance was ever registered (or the container was removed): watch for its creation
                if (zk.exists(path, true) == null) {
                    ids = List.of();
                    break;
                }
            }
        }
        instances.keySet().retainAll(ids);
        skipped.keySet().retainAll(ids);
        for (String id : ids) {
            if (!instances.containsKey(id)) {
                readInstance(zk, id);
            }
        }
        publish();
    }

    /** Reads one instance, watching its data; a malformed one is skipped, warned about once per version. */
    private void readInstance(ZooKeeper zk, String id) throws KeeperException, InterruptedException {
        String p = path + "/" + id;
        Stat stat = new Stat();
        byte[] data;
        try {
            data = zk.getData(p, true, stat);
        } catch (KeeperException.NoNodeException gone) {
            instances.remove(id);
            return;
        }
        String warning;
        try {
            CuratorInstance.Decoded d = CuratorInstance.read(data == null ? new byte[0] : data, p, sslPort);
            instances.put(id, d.endpoint());
            warning = d.weightWarning();
        } catch (IllegalArgumentException e) {
            instances.remove(id);
            warning = "skipping " + p + ": " + e.getMessage();
        }
        if (warning == null) {
            skipped.remove(id);
        } else if (!Integer.valueOf(stat.getVersion()).equals(skipped.put(id, stat.getVersion()))) {
            log.warn("{}: {}", this, warning); // once per version of the znode, not on every later read
        }
    }

    private void onReadFailure(ZooKeeper zk, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return; // close()
        }
        if (closed) {
            return;
        }
        KeeperException.Code code = ((KeeperException) e).code();
        if (code == KeeperException.Code.CONNECTIONLOSS || code == KeeperException.Code.SESSIONEXPIRED
                || code == KeeperException.Code.SESSIONMOVED) {
            return; // the session's own event follows, and with it a full read
        }
        delivery.fail(new IOException("ZooKeeper " + path + ": " + e.getMessage(), e));
        if (!retryPending) {
            retryPending = true;
            session.schedule(() -> {
                retryPending = false;
                if (session.handle() == zk) {
                    syncAll(zk);
                }
            }, retryNanos);
            retryNanos = Math.min(retryNanos * 2, MAX_RETRY_NANOS);
        }
    }

    private void publish() {
        retryNanos = TimeUnit.SECONDS.toNanos(1);
        List<Endpoint> list = duplicates.firstPerAddress(instances, (key, first) ->
                log.warn("{}: skipping {}/{}: {} is already registered as {}", this, path, key, instances.get(key).authority(), first));
        delivery.deliver(list);
    }

    int syncCount() {
        return syncs;
    }

    /** The current session's id and password, for tests that expire it from outside. */
    Object[] sessionCredentials() throws Exception {
        return session.credentials();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        Delivery d = delivery;
        if (d != null) {
            d.close();
        }
        session.run(session::close);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ZooKeeperSource{" + path + " on " + session.connectString() + "}";
    }
}
