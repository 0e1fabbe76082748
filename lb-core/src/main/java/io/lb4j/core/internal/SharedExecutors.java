package io.lb4j.core.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The JVM-wide pools behind balancers that were given none: named daemon threads that end after
 * {@value #KEEP_ALIVE_SECONDS} s without work, so that nothing lingers once the last balancer is
 * closed. Control-plane tasks are short (a snapshot rebuild) and serialised per balancer on top
 * of {@link #control()}; {@link #timer()} only hands tasks over; {@link #blocking()} runs the
 * few blocking checks (a TCP connect with a timeout).
 */
public final class SharedExecutors {
    private static final long KEEP_ALIVE_SECONDS = 5;

    private SharedExecutors() {}

    private static final class Control {
        static final Executor INSTANCE = cached("lb4j-control");
    }

    private static final class Blocking {
        static final Executor INSTANCE = cached("lb4j-reconnect");
    }

    private static final class Timer {
        static final ScheduledExecutorService INSTANCE;

        static {
            ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, DaemonThreads.factory("lb4j-timer"));
            s.setRemoveOnCancelPolicy(true);
            s.setKeepAliveTime(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
            s.allowCoreThreadTimeOut(true);
            INSTANCE = s;
        }
    }

    private static Executor cached(String name) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), DaemonThreads.factory(name));
        return pool;
    }

    /**
     * The backing pool of every balancer's serial control executor.
     *
     * @return a shared executor
     */
    public static Executor control() {
        return Control.INSTANCE;
    }

    /**
     * The shared scheduler of balancer timers (backoffs, ejection ends, intervals).
     *
     * @return a shared scheduler; never shut it down
     */
    public static ScheduledExecutorService timer() {
        return Timer.INSTANCE;
    }

    /**
     * The shared pool for short blocking checks.
     *
     * @return a shared executor
     */
    public static Executor blocking() {
        return Blocking.INSTANCE;
    }
}
