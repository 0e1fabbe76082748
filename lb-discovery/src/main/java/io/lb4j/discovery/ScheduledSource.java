package io.lb4j.discovery;

import io.lb4j.core.internal.Delivery;
import io.lb4j.core.internal.DaemonThreads;
import io.lb4j.core.EndpointSource;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life cycle the file and DNS sources share: a delivery made on start, one periodic task on
 * an own or a given scheduler, and a close that stops both (shutting down only an own scheduler).
 */
abstract class ScheduledSource implements EndpointSource {
    private static final Logger log = LoggerFactory.getLogger(ScheduledSource.class);

    final ScheduledExecutorService scheduler;
    private final boolean ownScheduler;
    // written under the lock by start(), read without it by close()
    volatile Delivery delivery;
    private volatile ScheduledFuture<?> task;
    volatile boolean closed;
    private final AtomicBoolean closing = new AtomicBoolean();

    private final int minHosts;

    ScheduledSource(ScheduledExecutorService given, String threadName, int minHosts) {
        this.minHosts = minHosts;
        this.ownScheduler = given == null;
        this.scheduler = ownScheduler ? DaemonThreads.scheduler(threadName) : given;
    }

    @Override
    public final synchronized void start(Listener listener) {
        delivery = Delivery.forStart(this, delivery, closed, listener, minHosts);
        onStart();
    }

    /** Called once by {@link #start}, holding the lock, with {@link #delivery} set. */
    abstract void onStart();

    /** Runs {@code r} every {@code period} after {@code first}; a failing run does not end the schedule. */
    final void every(Duration first, Duration period, Runnable r) {
        task = scheduler.scheduleWithFixedDelay(() -> runSafely(r), first.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
        if (closed) {
            task.cancel(false); // close() ran meanwhile and may have missed it
        }
    }

    final void runSafely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // a broken listener must not end the schedule
            log.warn("{}: update failed", this, e);
        }
    }

    @Override
    public final void close() {
        // not under the lock: a lookup in progress holds it for up to its timeout
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        Delivery d = delivery;
        ScheduledFuture<?> t = task;
        if (d != null) {
            d.close();
        }
        if (t != null) {
            t.cancel(false);
        }
        onClose();
        if (ownScheduler) {
            scheduler.shutdownNow();
        }
    }

    /** Releases what the subclass holds; called once, without the lock. */
    void onClose() {}
}
