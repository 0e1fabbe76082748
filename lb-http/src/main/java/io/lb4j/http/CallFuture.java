package io.lb4j.http;

import java.util.concurrent.CompletableFuture;

/**
 * The future a call hands to its caller. Ending it from outside (cancel, or completing it, e.g.
 * via {@code orTimeout}) runs {@link #onStop}: {@code CompletableFuture.cancel} does not reach
 * the futures the call is waiting on, so the call must cancel its attempts and timers itself.
 * A call subclasses it (one object per call, not a future and a callback).
 */
abstract class CallFuture<R> extends CompletableFuture<R> {

    /** The future was ended from outside the call. */
    abstract void onStop();

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
            onStop();
        }
        return fromOutside;
    }
}
