package io.lb4j.zookeeper;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** One standalone ZooKeeper server per test class, a client of the test's own, and per-test clean-up. */
abstract class ZooKeeperTestBase {
    @TempDir
    static Path dir;
    static ZooKeeperServers.Member server;
    static ZkOps ops;

    /** Closed after each test, the last added first. */
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = ZooKeeperServers.standalone(dir);
        ops = new ZkOps(server.address());
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (ops != null) {
            ops.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
        closeAfter.clear();
    }

    <T extends AutoCloseable> T closing(T c) {
        closeAfter.add(0, c);
        return c;
    }
}
