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
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A call with hedging ({@link RetryPolicy#hedgeAfter()}): attempts may overlap. The first starts
 * at once; while none has answered, another starts every {@code hedgeAfter} on an endpoint not
 * tried yet, within {@code maxAttempts} and the budget. The first acceptable response wins and
 * the attempts still running are cancelled. A failure while another attempt runs waits for that
 * one; a failure with nothing else running is judged by {@link AttemptJudge} exactly as in
 * {@link RetryingCall}.
 *
 * <p>Attempts complete on different threads, so the call's state is guarded by {@code this};
 * sends, selection completions and the caller's future are touched outside the lock.
 */
final class HedgedCall<T> extends AbstractCall<T> {
    private final CallFuture<HttpResponse<T>> result = new CallFuture<>() {
        @Override
        void onStop() {
            stoppedByCaller();
        }
    };
    private final long hedgeNanos;

    // guarded by this
    private final List<Attempt> live = new ArrayList<>(3);
    private final List<Endpoint> tried = new ArrayList<>(3);
    private final List<String> attemptLog = new ArrayList<>(3);
    private final List<Throwable> failures = new ArrayList<>(3);
    private int started;
    private boolean finished;
    /** Set by an outcome no other endpoint would change (a rejected certificate): no attempt starts after it. */
    private boolean noMoreAttempts;
    private Future<?> timer;
    /** Why the last attempt could not start, should the call end on it. */
    private String stopWhy;

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
                stopWhy = deadlinePassedWhy(started + 1);
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
                finishWithFailure(null, false); // a hedge that cannot start leaves the running attempts alone
            }
            return;
        }
        route.attempt(attempt.selection.endpoint());
        if (attempt.request == null) {
            attempt.ended(notBuilt(), null, attempt.buildFailure);
            return;
        }
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

    /** Picks and registers the next attempt (its request null if it could not be built); null if none could be picked. */
    private Attempt pickLocked(long timeoutNanos) {
        Selection selection;
        try {
            selection = route.balancer.pick(pickContext(tried));
        } catch (NoAvailableEndpointException e) {
            failures.add(e);
            stopWhy = e.getMessage();
            return null;
        } catch (RuntimeException e) {
            failures.add(e);
            stopWhy = "the balancer of '" + route.service + "' failed to pick";
            return null;
        }
        Endpoint endpoint = selection.endpoint();
        AttemptCache.Prepared prepared = null;
        RuntimeException buildFailure = null;
        try {
            prepared = prepareAttempt(endpoint, timeoutNanos);
        } catch (RuntimeException e) {
            buildFailure = e;
        }
        started++;
        if (!tried.contains(endpoint)) {
            tried.add(endpoint);
        }
        Attempt a = new Attempt(selection, started, prepared, buildFailure);
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
            if (finished || noMoreAttempts || live.isEmpty()) {
                return; // answered, or a retry after a failure is already on its way
            }
        }
        if (AttemptJudge.whyNot(AttemptJudge.HEDGE, this, 0) == null) {
            logRetry(AttemptJudge.HEDGE.reason, null, attempts() + 1, 0, false);
            launch();
        }
    }

    private void schedule(Runnable task, long delayNanos) {
        Future<?> f;
        try {
            f = client.scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                failures.add(shutDown(route.service, e));
            }
            finishWithFailure("the client is shut down", false);
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
    synchronized int attempts() {
        return started;
    }

    @Override
    synchronized boolean stopped() {
        return finished;
    }

    /** After a failure with nothing else running: send again after {@code delayNanos}, the budget already taken. */
    private void retryAfter(AttemptJudge.Verdict v, Endpoint from, long delayNanos) {
        logRetry(v.reason, from, attempts() + 1, delayNanos, v.resend == AttemptJudge.Resend.REQUEUE);
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

    /** Ends the call with its last failure, explained by {@code why} (or why the last attempt could not start). */
    private void finishWithFailure(String why, boolean badRequest) {
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
                failures.add(new IOException("every attempt to '" + route.service + "' got a retryable status"));
            }
            thrown = failure(failures.get(failures.size() - 1), attemptLog, failures, why != null ? why : stopWhy,
                    badRequest);
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
        final RuntimeException buildFailure;
        volatile Future<?> future;

        Attempt(Selection selection, int number, AttemptCache.Prepared prepared, RuntimeException buildFailure) {
            super(selection, number, prepared);
            this.buildFailure = buildFailure;
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
            Throwable cause = error == null ? null : AttemptJudge.cause(error);
            ended(verdict(response, cause), response, cause);
        }

        void ended(AttemptJudge.Verdict v, HttpResponse<T> response, Throwable cause) {
            boolean othersRunning;
            boolean done;
            synchronized (HedgedCall.this) {
                live.remove(this);
                othersRunning = !live.isEmpty();
                done = finished;
            }
            if (done) {
                selection.cancel(); // the call ended meanwhile (answered, failed or stopped): no verdict
                return;
            }
            String outcome = settle(v, cause);
            if (outcome != null) {
                win(response, outcome);
                return;
            }
            synchronized (HedgedCall.this) {
                attemptLog.add(line(v, cause));
                if (cause != null && !discarded) {
                    failures.add(cause);
                }
                noMoreAttempts |= v.stopsNewAttempts;
            }
            if (othersRunning) {
                return; // the others may still answer
            }
            String why = resendDecision(v);
            if (why == null) {
                retryAfter(v, selection.endpoint(), retryDelayNanos);
            } else {
                finishWithFailure(why, v == AttemptJudge.BAD_REQUEST);
            }
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
