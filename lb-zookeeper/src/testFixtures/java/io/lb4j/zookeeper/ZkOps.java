package io.lb4j.zookeeper;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * What the tests do to ZooKeeper behind the sources' backs, over a plain client of their own. A
 * test fixture (src/testFixtures/java) like {@link ZooKeeperServers}.
 */
public final class ZkOps implements AutoCloseable {
    private final String connectString;
    private final ZooKeeper zk;

    /**
     * A client connected to {@code connectString}.
     *
     * @param connectString the server or ensemble
     * @throws Exception if no connection is made within 30 s
     */
    public ZkOps(String connectString) throws Exception {
        this.connectString = connectString;
        this.zk = connect(connectString, 30_000, 0, null);
    }

    private static ZooKeeper connect(String connectString, int timeoutMillis, long sessionId, byte[] password) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        Watcher w = e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        };
        ZooKeeper z = password == null ? new ZooKeeper(connectString, timeoutMillis, w)
                : new ZooKeeper(connectString, timeoutMillis, w, sessionId, password);
        if (!connected.await(30, TimeUnit.SECONDS)) {
            z.close();
            throw new IllegalStateException("no connection to " + connectString);
        }
        return z;
    }

    /**
     * Creates or overwrites a persistent znode, creating its parents. Retried while this client is
     * between servers (an ensemble electing a leader), for up to 20 s.
     *
     * @param path the znode
     * @param data its data, UTF-8
     * @throws Exception if ZooKeeper refuses
     */
    public void put(String path, String data) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                putOnce(path, data);
                return;
            } catch (KeeperException.ConnectionLossException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(20); // a poll step while the client reconnects
            }
        }
    }

    private void putOnce(String path, String data) throws Exception {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        try {
            zk.setData(path, bytes, -1);
        } catch (KeeperException.NoNodeException e) {
            createParents(path);
            zk.create(path, bytes, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
    }

    private void createParents(String path) throws Exception {
        for (int i = path.indexOf('/', 1); i > 0; i = path.indexOf('/', i + 1)) {
            try {
                zk.create(path.substring(0, i), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            } catch (KeeperException.NodeExistsException fine) {
                // there already
            }
        }
    }

    /** Creates an ephemeral znode of this client's session, creating its parents. */
    void ephemeral(String path, String data) throws Exception {
        createParents(path);
        zk.create(path, data.getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    }

    long sessionId() {
        return zk.getSessionId();
    }

    /** A Curator-layout instance with a Spring Cloud payload and these metadata pairs. */
    void instance(String path, String host, int port, String... metadata) throws Exception {
        put(path, json(path.substring(path.lastIndexOf('/') + 1), host, port, true, metadata));
    }

    static String json(String id, String host, int port, boolean enabled, String... metadata) {
        StringBuilder m = new StringBuilder();
        for (int i = 0; i < metadata.length; i += 2) {
            m.append(m.length() == 0 ? "" : ",").append('"').append(metadata[i]).append("\":\"").append(metadata[i + 1]).append('"');
        }
        return "{\"name\":\"svc\",\"id\":\"" + id + "\",\"address\":\"" + host + "\",\"port\":" + port + ",\"sslPort\":null,"
                + "\"payload\":{\"@class\":\"org.springframework.cloud.zookeeper.discovery.ZookeeperInstance\",\"id\":\"app-1\","
                + "\"name\":\"svc\",\"metadata\":{" + m + "}},\"registrationTimeUTC\":1700000000000,\"serviceType\":\"DYNAMIC\","
                + "\"uriSpec\":null,\"enabled\":" + enabled + "}";
    }

    void delete(String path) throws Exception {
        zk.delete(path, -1);
    }

    /**
     * The znode's data.
     *
     * @param path the znode
     * @return its data as UTF-8 text, or null if there is no such znode
     * @throws Exception if ZooKeeper refuses
     */
    public String get(String path) throws Exception {
        try {
            return new String(zk.getData(path, false, null), StandardCharsets.UTF_8);
        } catch (KeeperException.NoNodeException e) {
            return null;
        }
    }

    Stat stat(String path) throws Exception {
        return zk.exists(path, false);
    }

    List<String> children(String path) throws Exception {
        try {
            return zk.getChildren(path, false).stream().sorted().toList();
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
    }

    /**
     * Expires a session for real: a second client joins it with its id and password and closes
     * it, so that the server ends it, deletes its ephemeral znodes and tells the owner "expired"
     * when it next talks to the server.
     */
    void expire(Object[] credentials) throws Exception {
        connect(connectString, 30_000, (Long) credentials[0], (byte[]) credentials[1]).close();
    }

    /**
     * Closes the client's session (its ephemeral znodes go).
     *
     * @throws InterruptedException if interrupted while closing
     */
    @Override
    public void close() throws InterruptedException {
        zk.close();
    }
}
