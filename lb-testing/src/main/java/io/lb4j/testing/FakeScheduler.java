package io.lb4j.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link ScheduledExecutorService} driven by a {@link FakeTicker}: nothing runs until the test
 * calls {@link #runDueTasks()} or {@link #advance(Duration)}, which moves the ticker from due time
 * to due time and runs each task on the calling thread, in due order. Tasks submitted without
 * delay are due at once. Thread-safe; tasks run on the test's thread.
 *
 * <pre>{@code
 * FakeTicker ticker = new FakeTicker();
 * FakeScheduler scheduler = new FakeScheduler(ticker);
 * checker = HealthChecker.builder(balancer).scheduler(scheduler).ticker(ticker).build();
 * scheduler.advance(Duration.ofSeconds(5)); // runs every probe due within those 5 s
 * }</pre>
 */
public final class FakeScheduler implements ScheduledExecutorService {
    private final FakeTicker ticker;
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private long sequence;
    private boolean shutdown;

    /**
     * A scheduler whose time is {@code ticker}'s.
     *
     * @param ticker the ticker it reads and moves
     */
    public FakeScheduler(FakeTicker ticker) {
        this.ticker = ticker;
    }

    /** {@return the ticker it reads and moves} */
    public FakeTicker ticker() {
        return ticker;
    }

    /**
     * Runs every task due now, including tasks those tasks make due now, on the calling thread.
     *
     * @return how many ran
     */
    public int runDueTasks() {
        int ran = 0;
        while (true) {
            Task<?> next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due > ticker.read()) {
                    return ran;
                }
                queue.poll();
            }
            next.run();
            ran++;
        }
    }

    /**
     * Moves time forward by {@code d}, stopping at each due time to run what is due.
     *
     * @param d how far
     * @return how many tasks ran
     */
    public int advance(Duration d) {
        long end = ticker.read() + d.toNanos();
        int ran = runDueTasks();
        while (true) {
            long due;
            synchronized (this) {
                Task<?> next = queue.peek();
                if (next == null || next.due > end) {
                    break;
                }
                due = next.due;
            }
            if (due > ticker.read()) {
                ticker.set(due);
            }
            ran += runDueTasks();
        }
        if (end > ticker.read()) {
            ticker.set(end);
        }
        return ran;
    }

    /** {@return how many tasks are waiting, periodic ones included} */
    public synchronized int pendingCount() {
        return queue.size();
    }

    /** {@return the delays of the waiting tasks from now, in due order} */
    public synchronized List<Duration> pendingDelays() {
        List<Task<?>> tasks = new ArrayList<>(queue);
        tasks.sort(null);
        List<Duration> delays = new ArrayList<>();
        for (Task<?> t : tasks) {
            delays.add(Duration.ofNanos(t.due - ticker.read()));
        }
        return delays;
    }

    private synchronized <V> Task<V> enqueue(Callable<V> callable, long delayNanos, long periodNanos) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("FakeScheduler is shut down");
        }
        Task<V> t = new Task<>(callable, ticker.read() + Math.max(0, delayNanos), periodNanos, sequence++);
        queue.add(t);
        return t;
    }

    private synchronized void requeue(Task<?> t) {
        if (!shutdown) {
            t.seq = sequence++;
            queue.add(t);
        }
    }

    private synchronized void remove(Task<?> t) {
        queue.remove(t);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return enqueue(callable(command), unit.toNanos(delay), 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return enqueue(callable, unit.toNanos(delay), 0);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        if (period <= 0) {
            throw new IllegalArgumentException("period: " + period + " (expected: > 0)");
        }
        return enqueue(callable(command), unit.toNanos(initialDelay), unit.toNanos(period));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        if (delay <= 0) {
            throw new IllegalArgumentException("delay: " + delay + " (expected: > 0)");
        }
        // with tasks that run instantly in fake time, fixed delay and fixed rate coincide
        return enqueue(callable(command), unit.toNanos(initialDelay), unit.toNanos(delay));
    }

    @Override
    public void execute(Runnable command) {
        enqueue(callable(command), 0, 0);
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return enqueue(task, 0, 0);
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        return enqueue(() -> {
            task.run();
            return result;
        }, 0, 0);
    }

    @Override
    public Future<?> submit(Runnable task) {
        return enqueue(callable(task), 0, 0);
    }

    private static Callable<Object> callable(Runnable r) {
        return () -> {
            r.run();
            return null;
        };
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>(queue);
        queue.clear();
        return left;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) {
        throw new UnsupportedOperationException("invokeAll");
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException("invokeAll");
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) {
        throw new UnsupportedOperationException("invokeAny");
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException("invokeAny");
    }

    private final class Task<V> implements ScheduledFuture<V>, Runnable {
        private final Callable<V> callable;
        private final long period;
        long due;
        long seq;
        private volatile boolean cancelled;
        private volatile boolean done;
        private V result;
        private Throwable failure;

        Task(Callable<V> callable, long due, long period, long seq) {
            this.callable = callable;
            this.due = due;
            this.period = period;
            this.seq = seq;
        }

        @Override
        public void run() {
            if (cancelled) {
                return;
            }
            try {
                V v = callable.call();
                if (period == 0) {
                    result = v;
                    done = true;
                } else {
                    due += period;
                    requeue(this);
                }
            } catch (Throwable t) {
                // like ScheduledThreadPoolExecutor: a failing periodic task is not run again
                failure = t;
                done = true;
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - ticker.read(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Task<?> other = (Task<?>) o;
            int c = Long.compare(due, other.due);
            return c != 0 ? c : Long.compare(seq, other.seq);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (done || cancelled) {
                return false;
            }
            cancelled = true;
            remove(this);
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public V get() throws ExecutionException {
            if (cancelled) {
                throw new CancellationException();
            }
            if (!done) {
                throw new IllegalStateException("not run yet: advance the FakeScheduler first");
            }
            if (failure != null) {
                throw new ExecutionException(failure);
            }
            return result;
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws ExecutionException, TimeoutException {
            if (!done && !cancelled) {
                throw new TimeoutException("not run yet: advance the FakeScheduler first");
            }
            return get();
        }
    }
}
