package io.lb4j.discovery;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** One throwaway etcd per test class, and per-test clean-up of whatever the test opened. */
abstract class EtcdTestBase {
    @TempDir
    static Path dir;
    static RealServers.Etcd etcd;
    static EtcdOps ops;

    /** Closed after each test, in order. */
    final List<AutoCloseable> closeAfter = new ArrayList<>();

    @BeforeAll
    static void startEtcd() {
        etcd = RealServers.Etcd.start(dir);
        ops = new EtcdOps(etcd.url());
    }

    @AfterAll
    static void stopEtcd() {
        if (ops != null) {
            ops.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
    }
}
