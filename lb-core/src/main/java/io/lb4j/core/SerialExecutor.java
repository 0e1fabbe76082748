package io.lb4j.core;

import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a balancer's control-plane tasks one at a time, in submission order, on a backing
 * executor (gRPC's SynchronizationContext idea, with the drain handed to another thread so that
 * a request thread that reports an outcome never rebuilds a snapshot itself). A task may submit
 * more tasks; they run after it. {@link #call} from inside a task runs inline.
 */
final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(Balancer.class);

    private final Executor backing;
    private final String name;
    private final Runnable afterEach;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile Thread drainer;

    /** {@code afterEach} runs after every task, before the next one (the balancer's pending rebuild). */
    SerialExecutor(Executor backing, String name, Runnable afterEach) {
        this.backing = backing;
        this.name = name;
        this.afterEach = afterEach;
    }

    @Override
    public void execute(Runnable task) {
        queue.add(task);
        schedule();
    }

    private void schedule() {
        if (!scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            backing.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // a user's executor that is shut down: run here rather than lose list or exclusion changes
            log.warn("'{}': control executor rejected a task; running it on the calling thread", name, e);
            drain();
        }
    }

    private void drain() {
        Thread previous = drainer;
        drainer = Thread.currentThread();
        try {
            Runnable task;
            while ((task = queue.poll()) != null) {
                try {
                    task.run();
                } catch (Throwable t) {
                    log.error("'{}': control task failed", name, t);
                }
                try {
                    afterEach.run();
                } catch (Throwable t) {
                    log.error("'{}': control task failed", name, t);
                }
            }
        } finally {
            drainer = previous;
            scheduled.set(false);
        }
        if (!queue.isEmpty()) {
            schedule();
        }
    }

    /** Whether the calling thread is running this executor's tasks. */
    boolean inExecutor() {
        return drainer == Thread.currentThread();
    }

    /**
     * Runs {@code task} in order with every other task and waits for its result; inline when
     * called from a task. Unchecked exceptions of the task reach the caller; an interrupt while
     * waiting is kept for the caller (the task runs anyway, so the wait continues).
     */
    <T> T call(Callable<T> task) {
        if (inExecutor()) {
            try {
                return task.call(); // the surrounding task's afterEach covers what this one changed
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        FutureTask<T> future = new FutureTask<>(task);
        execute(future);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException) {
                        throw (RuntimeException) cause;
                    }
                    if (cause instanceof Error) {
                        throw (Error) cause;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
