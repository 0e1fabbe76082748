package io.lb4j.http;

import java.util.concurrent.CompletableFuture;

/**
 * The future a call hands to its caller. Ending it from outside (cancel, or completing it, e.g.
 * via {@code orTimeout}) runs {@code onStop}: {@code CompletableFuture.cancel} does not reach
 * the futures the call is waiting on, so the call must cancel its attempts and timers itself.
 */
final class CallFuture<R> extends CompletableFuture<R> {
    private final Runnable onStop;

    CallFuture(Runnable onStop) {
        this.onStop = onStop;
    }

    /** Completes from inside the call, without running {@code onStop}. */
    boolean complete0(R value) {
        return super.complete(value);
    }

    boolean completeExceptionally0(Throwable t) {
        return super.completeExceptionally(t);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return stopped(super.cancel(mayInterruptIfRunning));
    }

    @Override
    public boolean complete(R value) {
        return stopped(super.complete(value));
    }

    @Override
    public boolean completeExceptionally(Throwable t) {
        return stopped(super.completeExceptionally(t));
    }

    private boolean stopped(boolean fromOutside) {
        if (fromOutside) {
            onStop.run();
        }
        return fromOutside;
    }
}
