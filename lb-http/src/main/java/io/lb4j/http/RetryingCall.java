package io.lb4j.http;

import io.lb4j.core.Endpoint;
import io.lb4j.core.NoAvailableEndpointException;
import io.lb4j.core.Selection;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.net.http.HttpResponse.ResponseInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One call to a service: attempts, one at a time, each on an endpoint not tried before while
 * there is one, until a response is accepted or {@link AttemptJudge} says the request is not sent
 * again (the outcome is final; method, body, attempts, deadline or budget do not allow it). {@link #start()} is asynchronous (attempts chain on the delegate's futures,
 * backoff waits are scheduled); {@link #sendSync()} runs the same decisions on the caller's thread.
 *
 * <p>Attempts never overlap, so the fields that only attempts touch need no lock: each attempt
 * starts after the previous one's completion (or a scheduler hand-off), which orders the writes.
 * {@link #inFlight} is volatile because cancellation reads it from any thread.
 */
final class RetryingCall<T> extends AbstractCall<T> {
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<RetryingCall> RECORDED =
            AtomicIntegerFieldUpdater.newUpdater(RetryingCall.class, "recorded");
    private static final Runnable NOTHING = () -> { };

    private final CallFuture<HttpResponse<T>> result = new CallFuture<>() {
        @Override
        void onStop() {
            stoppedByCaller();
        }
    };

    // allocated on the first failure: most calls never need them
    private List<Endpoint> tried;
    private List<String> attemptLog;
    private List<Throwable> failures;
    private Endpoint lastEndpoint;
    private int attempts;
    private volatile Future<?> inFlight;
    // sync mode: the caller's thread runs the attempts; retry() leaves it a note instead of scheduling
    private boolean sync;
    private boolean again;
    private long againDelayNanos;
    /** Set by whoever ends the call first, so that it is counted once, before the caller can see it. */
    private volatile int recorded;

    RetryingCall(DefaultLoadBalancedHttpClient client, Route route, HttpRequest request, BodyHandler<T> handler,
            PushPromiseHandler<T> pushHandler) {
        super(client, route, request, handler, pushHandler);
    }

    CompletableFuture<HttpResponse<T>> start() {
        route.budget.onRequest();
        attempt();
        return result;
    }

    /**
     * Runs the call on the caller's thread with the delegate's blocking {@code send}: the JDK
     * completes a blocking send on its selector thread, while its {@code sendAsync} hands every
     * response over to the client's executor, a thread hop that costs more than all of lb4j's
     * work. Backoff waits still go through the scheduler (the caller blocks on it).
     */
    HttpResponse<T> sendSync() throws IOException, InterruptedException {
        sync = true;
        route.budget.onRequest();
        while (true) {
            again = false;
            Attempt attempt = prepare();
            if (attempt != null) {
                HttpResponse<T> response = null;
                Throwable error = null;
                try {
                    response = attempt.sender.send(attempt.request, attempt);
                } catch (InterruptedException e) {
                    attempt.selection.cancel();
                    result.cancel(true);
                    throw e;
                } catch (IOException | RuntimeException e) {
                    error = e;
                } catch (Error e) {
                    attempt.completed(null, e);
                    throw e;
                }
                attempt.completed(response, error);
            }
            if (!again) {
                break;
            }
            if (againDelayNanos > 0) {
                awaitBackoff(againDelayNanos);
            }
        }
        return await(result);
    }

    /**
     * The outcome of a call's future with {@code HttpClient.send}'s contract: the failure itself
     * (an IOException, or the IllegalArgumentException of a request no endpoint can take), not an
     * ExecutionException; any other unchecked failure wrapped in an IOException, as the JDK's
     * {@code send} does; an interrupt cancels the call.
     */
    static <R> R await(CompletableFuture<R> call) throws IOException, InterruptedException {
        try {
            return call.get();
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof IllegalArgumentException) {
                throw (IllegalArgumentException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IOException(cause.getMessage(), cause);
        }
    }

    private void awaitBackoff(long delayNanos) throws InterruptedException {
        Future<?> wait;
        try {
            wait = client.scheduler.schedule(NOTHING, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            fail(shutDown(route.service, e), "the client is shut down");
            return;
        }
        try {
            wait.get();
        } catch (InterruptedException e) {
            wait.cancel(false);
            result.cancel(true);
            throw e;
        } catch (ExecutionException | RuntimeException e) {
            // e.g. a test's fake scheduler, which never blocks: sendAsync is the way to drive those
            fail(new IOException("backoff wait of '" + route.service + "' failed on " + client.scheduler, e),
                    "the backoff wait failed");
        }
    }

    private void attempt() {
        Attempt attempt = prepare();
        if (attempt == null) {
            return;
        }
        CompletableFuture<HttpResponse<T>> sent;
        try {
            sent = attempt.sender.sendAsync(attempt.request, attempt, pushHandler);
        } catch (RuntimeException e) {
            attempt.completed(null, e);
            return;
        }
        inFlight = sent;
        if (result.isCancelled()) {
            sent.cancel(true); // cancelled between the isDone check and publishing inFlight
        }
        sent.whenComplete(attempt::completed);
    }

    /** Picks the next endpoint and builds its request; null when the call ended, or resends, instead. */
    private Attempt prepare() {
        if (result.isDone()) {
            return null;
        }
        long timeoutNanos = attemptTimeoutNanos();
        if (timeoutNanos < 0) {
            fail(deadlinePassed(attempts + 1), deadlinePassedWhy(attempts + 1));
            return null;
        }
        if (lastEndpoint != null) {
            if (tried == null) {
                tried = new ArrayList<>(policy.maxAttempts());
            }
            if (!tried.contains(lastEndpoint)) {
                tried.add(lastEndpoint);
            }
        }
        Selection selection;
        try {
            selection = route.balancer.pick(pickContext(tried));
        } catch (NoAvailableEndpointException e) {
            fail(e, e.getMessage());
            return null;
        } catch (RuntimeException e) {
            fail(e, "the balancer of '" + route.service + "' failed to pick");
            return null;
        }
        attempts++;
        Endpoint endpoint = selection.endpoint();
        lastEndpoint = endpoint;
        route.attempt(endpoint);
        AttemptCache.Prepared prepared;
        try {
            prepared = prepareAttempt(endpoint, timeoutNanos);
        } catch (RuntimeException e) {
            new Attempt(selection, attempts, null).judged(notBuilt(), null, e);
            return null;
        }
        return new Attempt(selection, attempts, prepared);
    }

    @Override
    int attempts() {
        return attempts;
    }

    @Override
    boolean stopped() {
        return result.isDone();
    }

    private void retry(Endpoint failed, AttemptJudge.Verdict v, long delayNanos) {
        logRetry(v.reason, failed, attempts + 1, delayNanos, v.resend == AttemptJudge.Resend.REQUEUE);
        if (sync) {
            again = true;
            againDelayNanos = delayNanos;
            return;
        }
        if (delayNanos <= 0) {
            attempt();
            return;
        }
        try {
            Future<?> wait = client.scheduler.schedule(this::attempt, delayNanos, TimeUnit.NANOSECONDS);
            inFlight = wait;
            if (result.isCancelled()) {
                wait.cancel(false);
            }
        } catch (RejectedExecutionException e) {
            fail(shutDown(route.service, e), "the client is shut down");
        }
    }

    private void recordOnce(String outcome) {
        if (RECORDED.compareAndSet(this, 0, 1)) {
            record(outcome);
        }
    }

    private void succeed(HttpResponse<T> response, String outcome) {
        recordOnce(outcome);
        result.complete0(response);
    }

    private void fail(Throwable last, String why) {
        fail(last, why, false);
    }

    /** Fails with {@code last}, the earlier attempts' failures suppressed, explained by {@code why}. */
    private void fail(Throwable last, String why, boolean badRequest) {
        Throwable thrown = failure(last, attemptLog, failures, why, badRequest);
        recordOnce(CallRecorder.FAILURE);
        result.completeExceptionally0(thrown);
    }

    private void stoppedByCaller() {
        Future<?> f = inFlight;
        if (f != null) {
            f.cancel(true);
        }
        recordOnce(CallRecorder.CANCELLED);
    }

    private final class Attempt extends AttemptHandler {

        Attempt(Selection selection, int number, AttemptCache.Prepared prepared) {
            super(selection, number, prepared);
        }

        @Override
        boolean discard(ResponseInfo info) {
            return retryStatus(info);
        }

        void completed(HttpResponse<T> response, Throwable error) {
            if (result.isDone()) {
                selection.cancel(); // the caller ended the call meanwhile: no verdict on the endpoint
                return;
            }
            Throwable cause = error == null ? null : AttemptJudge.cause(error);
            judged(verdict(response, cause), response, cause);
        }

        void judged(AttemptJudge.Verdict v, HttpResponse<T> response, Throwable cause) {
            String outcome = settle(v, cause);
            if (outcome != null) {
                succeed(response, outcome);
                return;
            }
            if (attemptLog == null) {
                attemptLog = new ArrayList<>(policy.maxAttempts());
                failures = new ArrayList<>(policy.maxAttempts());
            }
            attemptLog.add(line(v, cause));
            if (cause != null && !discarded) {
                failures.add(cause);
            }
            String why = resendDecision(v);
            if (why == null) {
                retry(selection.endpoint(), v, retryDelayNanos);
            } else {
                fail(cause, why, v == AttemptJudge.BAD_REQUEST);
            }
        }
    }

    /** Why a selection failed when the endpoint answered with a 5xx. Stackless: it is a verdict, not a throw site. */
    static final class StatusFailure extends Exception {
        private static final long serialVersionUID = 1L;

        StatusFailure(int status) {
            super("status " + status, null, false, false);
        }
    }
}
