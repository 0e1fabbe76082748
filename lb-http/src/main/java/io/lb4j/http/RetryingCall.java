package io.lb4j.http;

import io.lb4j.core.Endpoint;
import io.lb4j.core.NoAvailableEndpointException;
import io.lb4j.core.Selection;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One call to a service: attempts, one at a time, each on an endpoint not tried before while
 * there is one, until a response is accepted, the failure is not retryable, or attempts, deadline
 * or budget run out. {@link #start()} is asynchronous (attempts chain on the delegate's futures,
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

    private final CallFuture<HttpResponse<T>> result = new CallFuture<>(this::stoppedByCaller);
    private final boolean mayRetry;

    // allocated on the first retry: most calls never need them
    private List<Endpoint> tried;
    private List<String> attemptLog;
    private List<Throwable> failures;
    private Endpoint lastEndpoint;
    private int attempts;
    private boolean budgetExhausted;
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
        this.mayRetry = policy.maxAttempts() > 1 && policy.allowsMethod(request) && Requests.replayable(request);
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
            if (attempt == null) {
                break;
            }
            HttpResponse<T> response = null;
            Throwable error = null;
            try {
                response = attempt.sender.send(attempt.request, attempt);
            } catch (InterruptedException e) {
                attempt.selection.cancel();
                result.cancel(true);
                throw e;
            } catch (IOException e) {
                error = e;
            } catch (RuntimeException e) {
                attempt.selection.cancel();
                fail(e);
                break;
            }
            attempt.completed(response, error);
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
     * (an IOException, or unchecked), not an ExecutionException; an interrupt cancels the call.
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
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IOException(cause);
        }
    }

    private void awaitBackoff(long delayNanos) throws InterruptedException {
        Future<?> wait;
        try {
            wait = client.scheduler.schedule(NOTHING, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            fail(shutDown(e));
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
            fail(new IOException("backoff wait of '" + route.service + "' failed on " + client.scheduler, e));
        }
    }

    private IOException shutDown(RejectedExecutionException e) {
        return new IOException("client is shut down; retry of '" + route.service + "' abandoned", e);
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
            attempt.selection.cancel();
            fail(e);
            return;
        }
        inFlight = sent;
        if (result.isCancelled()) {
            sent.cancel(true); // cancelled between the isDone check and publishing inFlight
        }
        sent.whenComplete(attempt::completed);
    }

    /** Picks the next endpoint and builds its request; null when the call ended instead. */
    private Attempt prepare() {
        if (result.isDone()) {
            return null;
        }
        long timeoutNanos = attemptTimeoutNanos();
        if (timeoutNanos < 0) {
            fail(deadlinePassed(attempts + 1));
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
            fail(noEndpoint(e));
            return null;
        } catch (RuntimeException e) {
            fail(e);
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
            selection.cancel();
            fail(e);
            return null;
        }
        return new Attempt(selection, attempts, prepared);
    }

    @Override
    boolean canRetry(long delayNanos) {
        if (!mayRetry || attempts >= policy.maxAttempts() || result.isDone() || !fitsDeadline(delayNanos)) {
            return false;
        }
        if (!takeFromBudget()) {
            budgetExhausted = true;
            return false;
        }
        return true;
    }

    private void retry(Endpoint failed, String reason, long delayNanos) {
        logRetry(reason, failed, attempts + 1, delayNanos);
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
            fail(shutDown(e));
        }
    }

    private void logAttempt(String line) {
        if (attemptLog == null) {
            attemptLog = new ArrayList<>(policy.maxAttempts());
        }
        attemptLog.add(line);
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

    /** Fails with {@code last} (or, if null, the last attempt's exception), earlier ones suppressed. */
    private void fail(Throwable last) {
        if (failures == null) {
            failures = new ArrayList<>(1);
        }
        if (last != null) {
            failures.add(last);
        }
        Throwable thrown = lastFailure(failures, attemptLog, attempts, budgetExhausted);
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

    /** The retry reason of a failure ({@code lb.retries} tag), or null if it is not retryable. */
    static String reasonFor(Throwable t) {
        if (t instanceof HttpConnectTimeoutException) {
            return "connect_timeout";
        }
        if (t instanceof HttpTimeoutException) {
            return "timeout";
        }
        if (t instanceof ConnectException) {
            return "connect";
        }
        if (t instanceof IOException) {
            return "io";
        }
        return null;
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
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
            Endpoint endpoint = selection.endpoint();
            if (result.isDone()) {
                selection.cancel();
                return;
            }
            if (error != null) {
                failed(endpoint, unwrap(error));
                return;
            }
            int code = response.statusCode();
            if (discarded) {
                selection.failure(new StatusFailure(code));
                route.attemptFailed(endpoint);
                logAttempt("#" + number + " " + endpoint.authority() + " status " + code);
                retry(endpoint, "status_" + code, retryDelayNanos);
                return;
            }
            if (code >= 500) {
                selection.failure(new StatusFailure(code));
                route.attemptFailed(endpoint);
                succeed(response, CallRecorder.SERVER_ERROR);
            } else {
                selection.success();
                succeed(response, CallRecorder.SUCCESS);
            }
        }

        private void failed(Endpoint endpoint, Throwable cause) {
            if (cause instanceof CancellationException) {
                selection.cancel();
                fail(cause);
                return;
            }
            int code = status;
            if (code == 0 && TlsFailures.isPermanent(cause)) {
                // every endpoint is checked alike: no retry, no verdict on this one (see TlsFailures)
                selection.cancel();
                route.attemptFailed(endpoint);
                logAttempt("#" + number + " " + endpoint.authority() + " " + cause.getClass().getSimpleName());
                fail(TlsFailures.explain(cause, route.service, endpoint));
                return;
            }
            if (code != 0 && !(cause instanceof IOException)) {
                // the caller's body handler threw: the endpoint answered, judge it by its status
                if (code >= 500) {
                    selection.failure(new StatusFailure(code));
                } else {
                    selection.success();
                }
                fail(cause);
                return;
            }
            selection.failure(cause);
            route.attemptFailed(endpoint);
            logAttempt("#" + number + " " + endpoint.authority() + " " + cause.getClass().getSimpleName());
            if (failures == null) {
                failures = new ArrayList<>(policy.maxAttempts());
            }
            failures.add(cause);
            String reason = reasonFor(cause);
            // after the status line the body may be partly consumed by the caller's handler
            if (reason != null && code == 0) {
                long delay = policy.backoffNanos(number, client.random);
                if (canRetry(delay)) {
                    retry(endpoint, reason, delay);
                    return;
                }
            }
            fail(null);
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
