package io.lb4j.zookeeper;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ZooKeeper session at a time, replaced by a new one when it expires. Every callback of the
 * {@link Handler} runs on the owner's single-thread executor, in the order ZooKeeper reported
 * the events, so the owner needs no locks; events of a replaced handle are dropped. The handle
 * is created on that executor's thread, so ZooKeeper's own two threads are named after it
 * ({@code <name>-SendThread(host:port)}, {@code <name>-EventThread}).
 */
final class Session {
    private static final Logger log = LoggerFactory.getLogger(Session.class);

    /** What the owner does on each state change and node event; all calls on the executor. */
    interface Handler {
        /** Connected, to a new session ({@code fresh}) or again to the same one. */
        void onConnected(ZooKeeper zk, boolean fresh);

        /** The connection was lost; ZooKeeper is trying the other servers. */
        void onDisconnected(ZooKeeper zk);

        /** The session expired (ephemeral nodes and watches are gone); a new one is being opened. */
        void onExpired();

        /** A watch fired. */
        void onNodeEvent(ZooKeeper zk, WatchedEvent event);

        /** Opening a handle failed, or no server answered within the connection timeout. */
        void onFailure(Exception cause);
    }

    private final String connectString;
    private final int sessionTimeoutMillis;
    private final long connectTimeoutNanos;
    private final ScheduledExecutorService executor;
    private final Handler handler;

    // executor thread only
    private ZooKeeper zk;
    private boolean connectedOnce; // for the current handle
    private long retryNanos = TimeUnit.MILLISECONDS.toNanos(100);
    private volatile boolean closed;

    Session(String connectString, Duration sessionTimeout, Duration connectTimeout, ScheduledExecutorService executor,
            Handler handler) {
        this.connectString = connectString;
        this.sessionTimeoutMillis = Math.toIntExact(sessionTimeout.toMillis());
        this.connectTimeoutNanos = connectTimeout.toNanos();
        this.executor = executor;
        this.handler = handler;
    }

    void start() {
        run(this::open);
    }

    String connectString() {
        return connectString;
    }

    /** The current handle, or null; executor thread only. */
    ZooKeeper handle() {
        return zk;
    }

    private void open() {
        if (closed) {
            return;
        }
        ZooKeeper[] self = new ZooKeeper[1];
        Watcher watcher = event -> run(() -> dispatch(self[0], event));
        try {
            ZKClientConfig config = new ZKClientConfig();
            zk = new ZooKeeper(connectString, sessionTimeoutMillis, watcher, config);
        } catch (IOException | RuntimeException e) {
            handler.onFailure(new IOException("ZooKeeper " + connectString + ": cannot open a session: " + e, e));
            schedule(this::open, retryNanos);
            retryNanos = Math.min(retryNanos * 2, TimeUnit.SECONDS.toNanos(5));
            return;
        }
        self[0] = zk;
        connectedOnce = false;
        ZooKeeper opened = zk;
        schedule(() -> checkConnected(opened), connectTimeoutNanos);
    }

    /** Says so while a handle has never connected; ZooKeeper itself keeps trying without a word. */
    private void checkConnected(ZooKeeper handle) {
        if (closed || handle != zk || connectedOnce) {
            return;
        }
        handler.onFailure(new IOException("ZooKeeper " + connectString + ": no server answered within "
                + TimeUnit.NANOSECONDS.toMillis(connectTimeoutNanos) + " ms; still trying"));
        schedule(() -> checkConnected(handle), connectTimeoutNanos);
    }

    private void dispatch(ZooKeeper handle, WatchedEvent event) {
        if (closed || handle == null || handle != zk) {
            return; // an expired handle's late events, or closing
        }
        if (event.getType() != Watcher.Event.EventType.None) {
            handler.onNodeEvent(handle, event);
            return;
        }
        switch (event.getState()) {
            case SyncConnected, ConnectedReadOnly -> {
                boolean fresh = !connectedOnce;
                connectedOnce = true;
                retryNanos = TimeUnit.MILLISECONDS.toNanos(100);
                handler.onConnected(handle, fresh);
            }
            case Disconnected -> handler.onDisconnected(handle);
            case Expired -> {
                log.debug("ZooKeeper {}: session 0x{} expired", connectString, Long.toHexString(handle.getSessionId()));
                closeQuietly(handle);
                zk = null;
                handler.onExpired();
                open();
            }
            case AuthFailed -> handler.onFailure(new IOException("ZooKeeper " + connectString + ": authentication failed"));
            default -> {
                // Closed (our own close), SaslAuthenticated: nothing to do
            }
        }
    }

    /** Runs on the executor unless it was shut down. */
    void run(Runnable r) {
        try {
            executor.execute(r);
        } catch (RejectedExecutionException closing) {
            // closed meanwhile
        }
    }

    void schedule(Runnable r, long nanos) {
        try {
            executor.schedule(r, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            // closed meanwhile
        }
    }

    /**
     * The current session's id and password (null without one), for tests that expire it from outside.
     *
     * @throws Exception if the executor does not answer within 10 s
     */
    Object[] credentials() throws Exception {
        return executor.submit(() -> {
            ZooKeeper z = zk;
            return z == null ? null : new Object[] {z.getSessionId(), z.getSessionPasswd()};
        }).get(10, TimeUnit.SECONDS);
    }

    /** Closes the session (its ephemeral nodes go at once); executor thread only. */
    void close() {
        closed = true;
        ZooKeeper z = zk;
        zk = null;
        if (z != null) {
            closeQuietly(z);
        }
    }

    private void closeQuietly(ZooKeeper z) {
        try {
            z.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
