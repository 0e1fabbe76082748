package io.lb4j.http;

import io.lb4j.core.Endpoint;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selection;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every call to a service knows and computes alike, whether its attempts overlap or not. */
abstract class AbstractCall<T> {
    static final Logger log = LoggerFactory.getLogger(LoadBalancedHttpClient.class);

    final DefaultLoadBalancedHttpClient client;
    final Route route;
    final RetryPolicy policy;
    final HttpRequest request;
    final BodyHandler<T> handler;
    final PushPromiseHandler<T> pushHandler;
    final long startNanos;
    final long deadlineNanos;
    final boolean hasDeadline;
    // the request's hash key, computed on the first pick (hedges racing on it compute the same key)
    private volatile boolean keyComputed;
    private volatile String hashKey;

    AbstractCall(DefaultLoadBalancedHttpClient client, Route route, HttpRequest request, BodyHandler<T> handler,
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
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    /**
     * The timeout of the next attempt: the smaller of the per-attempt timeout and the time left
     * before the deadline; 0 for none; -1 when the deadline has passed.
     */
    final long attemptTimeoutNanos() {
        long timeout = policy.perAttemptTimeout() == null ? 0 : policy.perAttemptTimeout().toNanos();
        if (!hasDeadline) {
            return timeout;
        }
        long left = deadlineNanos - client.ticker.read();
        if (left <= 0) {
            return -1;
        }
        return timeout == 0 ? left : Math.min(timeout, left);
    }

    /** The last failure of a call whose deadline passed before attempt {@code nextAttempt} could start. */
    final HttpTimeoutException deadlinePassed(int nextAttempt) {
        return new HttpTimeoutException("request timed out: deadline " + request.timeout().orElseThrow()
                + " passed before attempt " + nextAttempt);
    }

    /** Why the call stopped when its deadline passed before attempt {@code nextAttempt}. */
    final String deadlinePassedWhy(int nextAttempt) {
        return "the deadline " + request.timeout().orElseThrow() + " passed before attempt " + nextAttempt;
    }

    /** Whether a wait of {@code delayNanos} from now still ends before the deadline. */
    final boolean fitsDeadline(long delayNanos) {
        return !hasDeadline || client.ticker.read() + delayNanos < deadlineNanos;
    }

    static IOException shutDown(String service, RejectedExecutionException e) {
        return new IOException("client is shut down; retry of '" + service + "' abandoned", e);
    }

    /** Attempts started so far, requeues and hedges included. */
    abstract int attempts();

    /** Whether the call has ended (answered, failed, or stopped by its caller). */
    abstract boolean stopped();

    /** Counts a retry or requeue the budget refused and says so: {@code what of 'service' is exhausted}. */
    final String budgetRefused(String what) {
        route.budgetExhausted();
        return what + " of '" + route.service + "' is exhausted";
    }

    /** The exception the call fails with: see {@link CallFailures}. */
    final Throwable failure(Throwable last, List<String> attemptLines, List<Throwable> failures, String why,
            boolean badRequest) {
        return CallFailures.thrown(last, CallFailures.message(request.method(), route.service, attemptLines, why),
                failures, badRequest);
    }

    final AttemptCache.Prepared prepareAttempt(Endpoint endpoint, long timeoutNanos) {
        return route.attempts.attempt(request, endpoint, timeoutNanos);
    }

    /**
     * The wait before retrying a retryable status: what {@code Retry-After} asks for, or the
     * backoff when there is none; -1 when it asks for more than the policy's cap (no retry).
     */
    final long statusRetryDelay(ResponseInfo info, int attemptNumber) {
        long asked = Requests.retryAfterNanos(Requests.firstHeader(info.headers(), "Retry-After"), client.clock);
        if (asked < 0) {
            return policy.backoffNanos(attemptNumber, client.random);
        }
        return asked <= policy.retryAfterCap().toNanos() ? asked : -1;
    }

    final void logRetry(String reason, Endpoint from, int nextAttempt, long delayNanos, boolean requeue) {
        route.retried(reason, requeue);
        if (log.isDebugEnabled()) {
            log.debug("{} {} {} of '{}'{} (attempt {} of {}, in {} ms)",
                    "hedge".equals(reason) ? "hedging" : requeue ? "requeueing" : "retrying",
                    request.method(), request.uri().getRawPath(), route.service,
                    from == null ? "" : " after " + reason + " from " + from.authority(), nextAttempt,
                    policy.maxAttempts(), TimeUnit.NANOSECONDS.toMillis(delayNanos));
        }
    }

    final void record(String outcome) {
        route.finished(outcome, client.ticker.read() - startNanos);
    }

    /**
     * One attempt: its selection and request, and the body handler that looks at the status line
     * before any body byte is read. A retryable status that {@link #discard} chooses to retry gets
     * a draining subscriber, so the connection goes back to the pool clean; every other response
     * goes to the caller's handler.
     */
    abstract class AttemptHandler implements BodyHandler<T> {
        final Selection selection;
        final int number;
        /** The request to send; null when it could not be built (see {@link #notBuilt()}). */
        final HttpRequest request;
        /** The client this attempt goes out on (the delegate, the service's TLS client or an endpoint's). */
        final HttpClient sender;
        volatile int status;
        volatile boolean discarded;
        /** Whether a byte of the body reached the caller's subscriber: then the attempt cannot be replayed. */
        volatile boolean bodySeen;
        /** The wait before the retry that {@link #discard} decided on; -1 when none was. */
        volatile long retryDelayNanos = -1;

        AttemptHandler(Selection selection, int number, AttemptCache.Prepared prepared) {
            this.selection = selection;
            this.number = number;
            this.request = prepared == null ? null : prepared.request;
            this.sender = prepared == null ? null : prepared.client;
        }

        @Override
        public final BodySubscriber<T> apply(ResponseInfo info) {
            client.readLoadReport(selection, info);
            int code = info.statusCode();
            status = code;
            if (policy.retriesStatus(code) && discard(info)) {
                discarded = true;
                return BodySubscribers.replacing(null);
            }
            return new Watched(handler.apply(info));
        }

        /**
         * The caller's subscriber, watched for its first body byte: a response cut off before it
         * (an instance killed mid-answer) left nothing with the caller, so an idempotent request
         * may still go to another endpoint with a fresh subscriber.
         */
        private final class Watched implements BodySubscriber<T> {
            private final BodySubscriber<T> delegate;

            Watched(BodySubscriber<T> delegate) {
                this.delegate = delegate;
            }

            @Override
            public java.util.concurrent.CompletionStage<T> getBody() {
                return delegate.getBody();
            }

            @Override
            public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
                delegate.onSubscribe(subscription);
            }

            @Override
            public void onNext(java.util.List<java.nio.ByteBuffer> item) {
                if (!bodySeen) {
                    // indexed: an iterator per chunk is an allocation (this call is not inlined where EA could remove it)
                    for (int i = 0, n = item.size(); i < n; i++) {
                        if (item.get(i).hasRemaining()) {
                            bodySeen = true;
                            break;
                        }
                    }
                }
                delegate.onNext(item);
            }

            @Override
            public void onError(Throwable throwable) {
                delegate.onError(throwable);
            }

            @Override
            public void onComplete() {
                delegate.onComplete();
            }
        }

        /** Whether to drain this retryable response instead of returning it. */
        abstract boolean discard(ResponseInfo info);

        /** Retries after the status line if the judge allows (taking from the budget); sets the wait. */
        final boolean retryStatus(ResponseInfo info) {
            long delay = statusRetryDelay(info, number);
            if (delay >= 0 && AttemptJudge.whyNot(AttemptJudge.retryableStatus(info.statusCode()), AbstractCall.this,
                    delay) == null) {
                retryDelayNanos = delay;
                return true;
            }
            return false;
        }

        /**
         * What the attempt ended with: {@code response} or {@code cause} (unwrapped). A discarded
         * response is judged by its status even if draining its body failed: the retry was decided.
         */
        final AttemptJudge.Verdict verdict(HttpResponse<T> response, Throwable cause) {
            if (discarded) {
                return AttemptJudge.retryableStatus(status);
            }
            if (cause == null) {
                return AttemptJudge.ofResponse(response.statusCode(), false);
            }
            return AttemptJudge.ofFailure(cause, status, bodySeen);
        }

        /**
         * Completes the selection as {@code v} says (a failure without an exception is its 5xx
         * status) and counts a failed attempt; returns the outcome tag when the call ends with this
         * attempt's response, else null.
         */
        final String settle(AttemptJudge.Verdict v, Throwable cause) {
            Throwable why = cause;
            if (v.isFailure() && (cause == null || discarded)) {
                why = new RetryingCall.StatusFailure(status);
            }
            v.complete(selection, why);
            if (v.failedAttempt) {
                route.attemptFailed(selection.endpoint());
            }
            if (!v.answered) {
                return null;
            }
            return v.isFailure() ? CallRecorder.SERVER_ERROR : CallRecorder.SUCCESS;
        }

        /**
         * Whether to send the request again after {@code v}: null to do so after
         * {@link #retryDelayNanos}, else why not. A status discarded with a wait was decided at
         * the status line (the budget is taken); anything else goes to the judge now.
         */
        final String resendDecision(AttemptJudge.Verdict v) {
            if (discarded && retryDelayNanos >= 0) {
                return null;
            }
            // a failure, or (hedged) a status discarded while another attempt ran, which has failed since
            retryDelayNanos = v.resend == AttemptJudge.Resend.REQUEUE ? 0 : policy.backoffNanos(number, client.random);
            return AttemptJudge.whyNot(v, AbstractCall.this, retryDelayNanos);
        }

        /** This attempt's line in a failure message. */
        final String line(AttemptJudge.Verdict v, Throwable cause) {
            String note = v == AttemptJudge.TLS_CERTIFICATE ? TlsFailures.note(route.service, selection.endpoint()) : v.note;
            return CallFailures.attemptLine(number, selection.endpoint(), note, discarded ? null : cause, status);
        }
    }

    /**
     * The verdict on an attempt whose request could not be built for its endpoint: the request's
     * fault when a known good endpoint fails too, else the endpoint's (nothing was sent).
     */
    final AttemptJudge.Verdict notBuilt() {
        return AttemptJudge.requestIsBad(request) ? AttemptJudge.BAD_REQUEST : AttemptJudge.NOT_BUILT;
    }

    /**
     * The pick context of the next attempt: the request's hash key (computed once per call) and
     * the endpoints already tried.
     */
    final PickContext pickContext(Collection<Endpoint> tried) {
        if (!keyComputed) {
            keyComputed = true;
            hashKey = client.hashKey == null ? null : client.hashKey.apply(request);
        }
        if (hashKey == null) {
            return tried == null || tried.isEmpty() ? PickContext.NONE : PickContext.avoiding(tried);
        }
        PickContext.Builder b = PickContext.builder().hashKey(hashKey);
        return tried == null || tried.isEmpty() ? b.build() : b.avoid(tried).build();
    }
}
