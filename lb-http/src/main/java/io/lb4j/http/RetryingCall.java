package io.lb4j.http;

import io.lb4j.core.Endpoint;
import io.lb4j.core.NoAvailableEndpointException;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selection;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call to a service: attempts, one at a time, each on an endpoint not tried before while
 * there is one, until a response is accepted, the failure is not retryable, or attempts, deadline
 * or budget run out. Asynchronous: attempts are chained on the delegate's futures and backoff
 * waits are scheduled, so no thread waits for a call.
 *
 * <p>Attempts never overlap, so the fields that only attempts touch need no lock: each attempt
 * starts after the previous one's completion (or a scheduler hand-off), which orders the writes.
 * {@link #inFlight} is volatile because cancellation reads it from any thread.
 */
final class RetryingCall<T> {
    private static final Logger log = LoggerFactory.getLogger(LoadBalancedHttpClient.class);

    private final DefaultLoadBalancedHttpClient client;
    private final Route route;
    private final RetryPolicy policy;
    private final HttpRequest request;
    private final BodyHandler<T> handler;
    private final PushPromiseHandler<T> pushHandler;
    private final CallFuture result = new CallFuture();
    private final long startNanos;
    private final long deadlineNanos;
    private final boolean hasDeadline;
    private final boolean mayRetry;

    // allocated on the first retry: most calls never need them
    private List<Endpoint> tried;
    private List<String> attemptLog;
    private Endpoint lastEndpoint;
    private List<Throwable> failures;
    private int attempts;
    private boolean budgetExhausted;
    private volatile Future<?> inFlight;
    // sync mode: the caller's thread runs the attempts; retry() leaves it a note instead of scheduling
    private boolean sync;
    private boolean again;
    private long againDelayNanos;
    /** Set by whoever ends the call first, so that it is counted once, before the caller can see it. */
    private volatile int recorded;
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<RetryingCall> RECORDED =
            AtomicIntegerFieldUpdater.newUpdater(RetryingCall.class, "recorded");

    RetryingCall(DefaultLoadBalancedHttpClient client, Route route, HttpRequest request, BodyHandler<T> handler,
            PushPromiseHandler<T> pushHandler) {
        this.client = client;
        this.route = route;
        this.policy = route.policy;
        this.request = request;
        this.handler = handler;
        this.pushHandler = pushHandler;
        this.startNanos = client.ticker.read();
        this.hasDeadline = request.timeout().isPresent();
        this.deadlineNanos = hasDeadline ? startNanos + saturatedNanos(request.timeout().get()) : Long.MAX_VALUE;
        this.mayRetry = policy.maxAttempts() > 1 && policy.allowsMethod(request) && Requests.replayable(request);
    }

    private static long saturatedNanos(java.time.Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
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
                response = client.delegate.send(attempt.request, attempt);
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
        try {
            return result.get();
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
            fail(new IOException("client is shut down; retry of '" + route.service + "' abandoned", e));
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

    private static final Runnable NOTHING = () -> { };

    private void attempt() {
        Attempt attempt = prepare();
        if (attempt == null) {
            return;
        }
        CompletableFuture<HttpResponse<T>> sent;
        try {
            sent = client.delegate.sendAsync(attempt.request, attempt, pushHandler);
        } catch (RuntimeException e) {
            attempt.selection.cancel();
            fail(e);
            return;
        }
        inFlight = sent;
        if (result.isCancelled()) {
            sent.cancel(true); // cancelled between the isDone check and publishing inFlight
        }
        sent.whenComplete((response, error) -> attempt.completed(response, error));
    }

    /** Picks the next endpoint and builds its request; null when the call ended instead. */
    private Attempt prepare() {
        if (result.isDone()) {
            return null;
        }
        long timeoutNanos = policy.perAttemptTimeout() == null ? 0 : policy.perAttemptTimeout().toNanos();
        if (hasDeadline) {
            long left = deadlineNanos - client.ticker.read();
            if (left <= 0) {
                fail(new HttpTimeoutException("request timed out: deadline " + request.timeout().get()
                        + " passed before attempt " + (attempts + 1)));
                return null;
            }
            timeoutNanos = timeoutNanos == 0 ? left : Math.min(timeoutNanos, left);
        }
        Selection selection;
        try {
            if (lastEndpoint != null) {
                if (tried == null) {
                    tried = new ArrayList<>(policy.maxAttempts());
                }
                if (!tried.contains(lastEndpoint)) {
                    tried.add(lastEndpoint);
                }
            }
            selection = route.balancer.pick(tried == null ? PickContext.NONE : PickContext.avoiding(tried));
        } catch (NoAvailableEndpointException e) {
            ConnectException ce = new ConnectException(e.getMessage());
            ce.initCause(e);
            fail(ce);
            return null;
        } catch (RuntimeException e) {
            fail(e);
            return null;
        }
        attempts++;
        Endpoint endpoint = selection.endpoint();
        lastEndpoint = endpoint;
        route.attempt(endpoint);
        HttpRequest attemptRequest;
        try {
            attemptRequest = Requests.attemptRequest(request, Requests.rewrite(request.uri(), endpoint), timeoutNanos);
        } catch (RuntimeException e) {
            selection.cancel();
            fail(e);
            return null;
        }
        return new Attempt(selection, attempts, attemptRequest);
    }

    /** Whether one more attempt may follow now-plus-{@code delayNanos}; takes a retry from the budget. */
    private boolean canRetry(long delayNanos) {
        if (!mayRetry || attempts >= policy.maxAttempts() || result.isDone()) {
            return false;
        }
        if (hasDeadline && client.ticker.read() + delayNanos >= deadlineNanos) {
            return false;
        }
        if (!route.budget.tryRetry()) {
            budgetExhausted = true;
            route.budgetExhausted();
            return false;
        }
        return true;
    }

    private void retry(Endpoint failed, String reason, long delayNanos) {
        route.retried(reason);
        if (log.isDebugEnabled()) {
            log.debug("retrying {} {} of '{}' after {} from {} (attempt {} of {}, in {} ms)", request.method(),
                    request.uri().getRawPath(), route.service, reason, failed.authority(), attempts + 1,
                    policy.maxAttempts(), TimeUnit.NANOSECONDS.toMillis(delayNanos));
        }
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
            fail(new IOException("client is shut down; retry of '" + route.service + "' abandoned", e));
        }
    }

    private void logAttempt(String line) {
        if (attemptLog == null) {
            attemptLog = new ArrayList<>(policy.maxAttempts());
        }
        attemptLog.add(line);
    }

    private void record(String outcome) {
        if (RECORDED.compareAndSet(this, 0, 1)) {
            route.finished(outcome, client.ticker.read() - startNanos);
        }
    }

    private void succeed(HttpResponse<T> response, String outcome) {
        record(outcome);
        result.complete0(response);
    }

    /** Fails with {@code last} (or, if null, the last attempt's exception), earlier ones suppressed. */
    private void fail(Throwable last) {
        List<Throwable> all = failures == null ? new ArrayList<>(1) : failures;
        if (last != null) {
            all.add(last);
        }
        Throwable thrown = all.get(all.size() - 1);
        for (int i = 0; i < all.size() - 1; i++) {
            if (all.get(i) != thrown) {
                thrown.addSuppressed(all.get(i));
            }
        }
        if (attempts > 1 || budgetExhausted) {
            thrown.addSuppressed(new RetrySummary(route.service, attemptLog == null ? List.of() : attemptLog, budgetExhausted));
        }
        record(CallRecorder.FAILURE);
        result.completeExceptionally0(thrown);
    }

    private static String reasonFor(Throwable t) {
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

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** One attempt: its selection, and the body handler that decides at the status line whether to keep the body. */
    private final class Attempt implements BodyHandler<T> {
        private final Selection selection;
        private final int number;
        private final HttpRequest request;
        private volatile int status;
        private volatile boolean discarded;
        private volatile long retryDelayNanos;

        Attempt(Selection selection, int number, HttpRequest request) {
            this.selection = selection;
            this.number = number;
            this.request = request;
        }

        /**
         * Runs before any body byte is read: a retryable status that will be retried gets a
         * draining subscriber (the connection goes back to the pool clean), every other response
         * goes to the caller's handler.
         */
        @Override
        public BodySubscriber<T> apply(ResponseInfo info) {
            int code = info.statusCode();
            status = code;
            if (policy.retriesStatus(code)) {
                long delay = retryDelay(info);
                if (delay >= 0 && canRetry(delay)) {
                    retryDelayNanos = delay;
                    discarded = true;
                    return BodySubscribers.replacing(null);
                }
            }
            return handler.apply(info);
        }

        private long retryDelay(ResponseInfo info) {
            long asked = Requests.retryAfterNanos(info.headers().firstValue("Retry-After").orElse(null), client.clock);
            if (asked < 0) {
                return policy.backoffNanos(number, client.random);
            }
            return asked <= policy.retryAfterCap().toNanos() ? asked : -1;
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
                StatusFailure cause = new StatusFailure(code);
                selection.failure(cause);
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

    /**
     * The future handed to the caller. Cancelling it (or completing it from outside, e.g. with
     * {@code orTimeout}) stops the call: {@code CompletableFuture.cancel} does not reach the
     * futures it was derived from, so the attempt in flight or the pending backoff is cancelled here.
     */
    private final class CallFuture extends CompletableFuture<HttpResponse<T>> {

        boolean complete0(HttpResponse<T> value) {
            return super.complete(value);
        }

        boolean completeExceptionally0(Throwable t) {
            return super.completeExceptionally(t);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                stopped(CallRecorder.CANCELLED);
            }
            return cancelled;
        }

        @Override
        public boolean complete(HttpResponse<T> value) {
            boolean done = super.complete(value);
            if (done) {
                stopped(CallRecorder.CANCELLED);
            }
            return done;
        }

        @Override
        public boolean completeExceptionally(Throwable t) {
            boolean done = super.completeExceptionally(t);
            if (done) {
                stopped(CallRecorder.CANCELLED);
            }
            return done;
        }

        private void stopped(String outcome) {
            Future<?> f = inFlight;
            if (f != null) {
                f.cancel(true);
            }
            record(outcome);
        }
    }
}
