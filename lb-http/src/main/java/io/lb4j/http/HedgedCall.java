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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A call with hedging ({@link RetryPolicy#hedgeAfter()}): attempts may overlap. The first starts
 * at once; while none has answered, another starts every {@code hedgeAfter} on an endpoint not
 * tried yet, within {@code maxAttempts} and the budget. The first acceptable response wins and
 * the attempts still running are cancelled. A failure with no attempt left running is retried
 * like in {@link RetryingCall}.
 *
 * <p>Attempts complete on different threads, so the call's state is guarded by {@code this};
 * sends, selection completions and the caller's future are touched outside the lock.
 */
final class HedgedCall<T> extends AbstractCall<T> {
    private final CallFuture<HttpResponse<T>> result = new CallFuture<>(this::stoppedByCaller);
    private final long hedgeNanos;

    // guarded by this
    private final List<Attempt> live = new ArrayList<>(3);
    private final List<Endpoint> tried = new ArrayList<>(3);
    private final List<String> attemptLog = new ArrayList<>(3);
    private final List<Throwable> failures = new ArrayList<>(3);
    private int started;
    private boolean budgetExhausted;
    /** Set by a permanent TLS failure: no further attempt may start, the running ones may still answer. */
    private boolean noMoreAttempts;
    private boolean finished;
    private Future<?> timer;

    HedgedCall(DefaultLoadBalancedHttpClient client, Route route, HttpRequest request, BodyHandler<T> handler,
            PushPromiseHandler<T> pushHandler) {
        super(client, route, request, handler, pushHandler);
        this.hedgeNanos = policy.hedgeAfter().toNanos();
    }

    /** Whether a call of {@code request} under {@code policy} is hedged: hedging on and the call retryable. */
    static boolean applies(RetryPolicy policy, HttpRequest request) {
        return policy.hedgeAfter() != null && policy.maxAttempts() > 1 && policy.allowsMethod(request)
                && Requests.replayable(request);
    }

    CompletableFuture<HttpResponse<T>> start() {
        route.budget.onRequest();
        launch();
        return result;
    }

    private void launch() {
        Attempt attempt;
        synchronized (this) {
            if (finished) {
                return;
            }
            long timeoutNanos = attemptTimeoutNanos();
            if (timeoutNanos < 0) {
                failures.add(deadlinePassed(started + 1));
                attempt = null;
            } else {
                attempt = pickLocked(timeoutNanos);
            }
        }
        if (attempt == null) {
            boolean othersRunning;
            synchronized (this) {
                othersRunning = !live.isEmpty();
            }
            if (!othersRunning) {
                finishWithFailure(); // a hedge that cannot start leaves the running attempts alone
            }
            return;
        }
        route.attempt(attempt.selection.endpoint());
        CompletableFuture<HttpResponse<T>> sent;
        try {
            sent = attempt.sender.sendAsync(attempt.request, attempt, pushHandler);
        } catch (RuntimeException e) {
            attempt.completed(null, e);
            return;
        }
        attempt.future = sent;
        boolean stopped;
        synchronized (this) {
            stopped = finished;
        }
        if (stopped) {
            sent.cancel(true); // the call ended while this attempt was being sent
        }
        sent.whenComplete(attempt::completed);
        scheduleHedge();
    }

    /** Picks and registers the next attempt; on failure records why and returns null. */
    private Attempt pickLocked(long timeoutNanos) {
        Selection selection;
        try {
            selection = route.balancer.pick(pickContext(tried));
        } catch (NoAvailableEndpointException e) {
            failures.add(noEndpoint(e));
            return null;
        } catch (RuntimeException e) {
            failures.add(e);
            return null;
        }
        Endpoint endpoint = selection.endpoint();
        AttemptCache.Prepared prepared;
        try {
            prepared = prepareAttempt(endpoint, timeoutNanos);
        } catch (RuntimeException e) {
            selection.cancel();
            failures.add(e);
            return null;
        }
        started++;
        if (!tried.contains(endpoint)) {
            tried.add(endpoint);
        }
        Attempt a = new Attempt(selection, started, prepared);
        live.add(a);
        return a;
    }

    private void scheduleHedge() {
        synchronized (this) {
            if (finished || started >= policy.maxAttempts()) {
                return;
            }
        }
        schedule(this::hedge, hedgeNanos);
    }

    private void hedge() {
        synchronized (this) {
            if (finished || live.isEmpty()) {
                return; // answered, or a retry after a failure is already on its way
            }
        }
        if (canRetry(0)) {
            logRetry("hedge", null, started + 1, 0);
            launch();
        }
    }

    private void schedule(Runnable task, long delayNanos) {
        Future<?> f;
        try {
            f = client.scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                failures.add(new IOException("client is shut down; retry of '" + route.service + "' abandoned", e));
            }
            finishWithFailure();
            return;
        }
        Future<?> old;
        boolean stopped;
        synchronized (this) {
            old = timer;
            timer = f;
            stopped = finished;
        }
        if (old != null) {
            old.cancel(false);
        }
        if (stopped) {
            f.cancel(false);
        }
    }

    @Override
    boolean canRetry(long delayNanos) {
        synchronized (this) {
            if (finished || noMoreAttempts || started >= policy.maxAttempts()) {
                return false;
            }
        }
        if (!fitsDeadline(delayNanos)) {
            return false;
        }
        if (!takeFromBudget()) {
            synchronized (this) {
                budgetExhausted = true;
            }
            return false;
        }
        return true;
    }

    /** After a failure with nothing else running: retry after {@code delayNanos}, the budget already taken. */
    private void retryAfter(String reason, Endpoint from, long delayNanos) {
        logRetry(reason, from, started + 1, delayNanos);
        if (delayNanos <= 0) {
            Future<?> old;
            synchronized (this) {
                old = timer;
                timer = null;
            }
            if (old != null) {
                old.cancel(false); // a pending hedge would start a second attempt next to this one
            }
            launch();
        } else {
            schedule(this::launch, delayNanos);
        }
    }

    /** Ends the call with a response; false if it had already ended. Cancels the attempts still running. */
    private boolean win(HttpResponse<T> response, String outcome) {
        List<Attempt> losers;
        Future<?> t;
        synchronized (this) {
            if (finished) {
                return false;
            }
            finished = true;
            losers = new ArrayList<>(live);
            live.clear();
            t = timer;
        }
        record(outcome);
        stop(losers, t); // before the caller sees the answer, so that nothing of the call outlives it
        result.complete0(response);
        return true;
    }

    private void finishWithFailure() {
        Throwable thrown;
        List<Attempt> losers;
        Future<?> t;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            losers = new ArrayList<>(live);
            live.clear();
            t = timer;
            if (failures.isEmpty()) {
                failures.add(new IOException("every attempt to '" + route.service + "' got a retryable status: " + attemptLog));
            }
            thrown = lastFailure(failures, attemptLog, started, budgetExhausted);
        }
        record(CallRecorder.FAILURE);
        stop(losers, t);
        result.completeExceptionally0(thrown);
    }

    private static void stop(List<? extends HedgedCall<?>.Attempt> attempts, Future<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
        for (HedgedCall<?>.Attempt a : attempts) {
            Future<?> f = a.future;
            if (f != null) {
                f.cancel(true);
            } else {
                a.selection.cancel(); // not sent yet: launch() sees the call finished and cancels the send
            }
        }
    }

    private final class Attempt extends AttemptHandler {
        volatile Future<?> future;

        Attempt(Selection selection, int number, AttemptCache.Prepared prepared) {
            super(selection, number, prepared);
        }

        @Override
        boolean discard(ResponseInfo info) {
            synchronized (HedgedCall.this) {
                if (live.size() > 1) {
                    return true; // another attempt may still answer well
                }
            }
            return retryStatus(info);
        }

        void completed(HttpResponse<T> response, Throwable error) {
            boolean othersRunning;
            boolean done;
            synchronized (HedgedCall.this) {
                live.remove(this);
                othersRunning = !live.isEmpty();
                done = finished;
            }
            if (done) {
                selection.cancel();
                return;
            }
            Endpoint endpoint = selection.endpoint();
            if (error != null) {
                failed(endpoint, RetryingCall.unwrap(error), othersRunning);
                return;
            }
            int code = response.statusCode();
            if (discarded) {
                selection.failure(new RetryingCall.StatusFailure(code));
                route.attemptFailed(endpoint);
                synchronized (HedgedCall.this) {
                    attemptLog.add("#" + number + " " + endpoint.authority() + " status " + code);
                }
                if (othersRunning) {
                    return;
                }
                long delay = retryDelayNanos;
                if (delay < 0) {
                    // discarded while another attempt ran, which has failed since: retry if allowed
                    delay = policy.backoffNanos(number, client.random);
                    if (!canRetry(delay)) {
                        finishWithFailure();
                        return;
                    }
                }
                retryAfter("status_" + code, endpoint, delay);
                return;
            }
            if (code >= 500) {
                selection.failure(new RetryingCall.StatusFailure(code));
                route.attemptFailed(endpoint);
                win(response, CallRecorder.SERVER_ERROR);
            } else {
                selection.success();
                win(response, CallRecorder.SUCCESS);
            }
        }

        private void failed(Endpoint endpoint, Throwable cause, boolean othersRunning) {
            if (cause instanceof CancellationException || (status != 0 && !(cause instanceof IOException))) {
                selection.cancel();
                synchronized (HedgedCall.this) {
                    failures.add(cause);
                }
                finishWithFailure();
                return;
            }
            boolean permanent = status == 0 && TlsFailures.isPermanent(cause);
            if (permanent) {
                selection.cancel(); // every endpoint is checked alike: no verdict on this one (see TlsFailures)
            } else {
                selection.failure(cause);
            }
            route.attemptFailed(endpoint);
            synchronized (HedgedCall.this) {
                attemptLog.add("#" + number + " " + endpoint.authority() + " " + cause.getClass().getSimpleName());
                failures.add(permanent ? TlsFailures.explain(cause, route.service, endpoint) : cause);
                noMoreAttempts |= permanent;
            }
            if (othersRunning) {
                return; // the others may still answer
            }
            String reason = RetryingCall.reasonFor(cause);
            if (reason != null && status == 0) {
                long delay = policy.backoffNanos(number, client.random);
                if (canRetry(delay)) {
                    retryAfter(reason, endpoint, delay);
                    return;
                }
            }
            finishWithFailure();
        }
    }

    private void stoppedByCaller() {
        List<Attempt> running;
        Future<?> t;
        boolean first;
        synchronized (this) {
            first = !finished;
            finished = true;
            running = new ArrayList<>(live);
            live.clear();
            t = timer;
        }
        if (first) {
            record(CallRecorder.CANCELLED);
        }
        stop(running, t);
    }
}
