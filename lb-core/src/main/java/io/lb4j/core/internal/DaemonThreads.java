package io.lb4j.core.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named daemon threads for every thread lb4j starts: a library must never keep a JVM alive, and
 * a thread dump must say whose thread it is. The first thread of a factory is named {@code name},
 * the next ones {@code name-1}, {@code name-2}, ...
 */
public final class DaemonThreads {
    private DaemonThreads() {}

    public static ThreadFactory factory(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            int n = count.getAndIncrement();
            Thread t = new Thread(r, n == 0 ? name : name + "-" + n);
            t.setDaemon(true);
            return t;
        };
    }

    /** Starts one named daemon thread. */
    public static Thread start(String name, Runnable body) {
        Thread t = factory(name).newThread(body);
        t.start();
        return t;
    }

    /**
     * A one-thread scheduler whose cancelled tasks leave the queue at once (timeouts and backoffs
     * are cancelled far more often than they fire) and whose delayed tasks die with shutdown.
     */
    public static ScheduledExecutorService scheduler(String name) {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, factory(name));
        s.setRemoveOnCancelPolicy(true);
        s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return Executors.unconfigurableScheduledExecutorService(s);
    }
}
