package io.lb4j.http;

import io.lb4j.core.Endpoint;
import io.lb4j.core.NoAvailableEndpointException;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selection;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
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

    final HttpTimeoutException deadlinePassed(int nextAttempt) {
        return new HttpTimeoutException("request timed out: deadline " + request.timeout().get()
                + " passed before attempt " + nextAttempt);
    }

    /** Whether a wait of {@code delayNanos} from now still ends before the deadline. */
    final boolean fitsDeadline(long delayNanos) {
        return !hasDeadline || client.ticker.read() + delayNanos < deadlineNanos;
    }

    /** Keeps {@code HttpClient.send}'s IOException contract when the balancer has nobody to offer. */
    static ConnectException noEndpoint(NoAvailableEndpointException e) {
        ConnectException ce = new ConnectException(e.getMessage());
        ce.initCause(e);
        return ce;
    }

    final AttemptCache.Prepared prepareAttempt(Endpoint endpoint, long timeoutNanos) {
        return route.attempts.attempt(request, endpoint, timeoutNanos);
    }

    /**
     * The wait before retrying a retryable status: what {@code Retry-After} asks for, or the
     * backoff when there is none; -1 when it asks for more than the policy's cap (no retry).
     */
    final long statusRetryDelay(ResponseInfo info, int attemptNumber) {
        long asked = Requests.retryAfterNanos(info.headers().firstValue("Retry-After").orElse(null), client.clock);
        if (asked < 0) {
            return policy.backoffNanos(attemptNumber, client.random);
        }
        return asked <= policy.retryAfterCap().toNanos() ? asked : -1;
    }

    /** Takes one retry from the service's budget, counting a refusal. */
    final boolean takeFromBudget() {
        if (route.budget.tryRetry()) {
            return true;
        }
        route.budgetExhausted();
        return false;
    }

    final void logRetry(String reason, Endpoint from, int nextAttempt, long delayNanos) {
        route.retried(reason);
        if (log.isDebugEnabled()) {
            log.debug("{} {} {} of '{}'{} (attempt {} of {}, in {} ms)", "hedge".equals(reason) ? "hedging" : "retrying",
                    request.method(), request.uri().getRawPath(), route.service,
                    from == null ? "" : " after " + reason + " from " + from.authority(), nextAttempt,
                    policy.maxAttempts(), TimeUnit.NANOSECONDS.toMillis(delayNanos));
        }
    }

    /**
     * The exception a failed call ends with: the last failure, earlier ones suppressed, then a
     * {@link RetrySummary} when there was more than one attempt or the budget said no.
     */
    final Throwable lastFailure(List<Throwable> failures, List<String> attemptLog, int attempts, boolean budgetExhausted) {
        Throwable thrown = failures.get(failures.size() - 1);
        for (int i = 0; i < failures.size() - 1; i++) {
            if (failures.get(i) != thrown) {
                thrown.addSuppressed(failures.get(i));
            }
        }
        if (attempts > 1 || budgetExhausted) {
            thrown.addSuppressed(new RetrySummary(route.service, attemptLog == null ? List.of() : attemptLog, budgetExhausted));
        }
        return thrown;
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
        final HttpRequest request;
        /** The client this attempt goes out on (the delegate, the service's TLS client or an endpoint's). */
        final HttpClient sender;
        volatile int status;
        volatile boolean discarded;
        /** The wait before the retry that {@link #discard} decided on; -1 when none was. */
        volatile long retryDelayNanos = -1;

        AttemptHandler(Selection selection, int number, AttemptCache.Prepared prepared) {
            this.selection = selection;
            this.number = number;
            this.request = prepared.request;
            this.sender = prepared.client;
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
            return handler.apply(info);
        }

        /** Whether to drain this retryable response instead of returning it. */
        abstract boolean discard(ResponseInfo info);

        /** Retries after the status line if the policy, deadline and budget allow; sets the wait. */
        final boolean retryStatus(ResponseInfo info) {
            long delay = statusRetryDelay(info, number);
            if (delay >= 0 && canRetry(delay)) {
                retryDelayNanos = delay;
                return true;
            }
            return false;
        }
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

    /** Whether one more attempt may follow now-plus-{@code delayNanos}; takes a retry from the budget. */
    abstract boolean canRetry(long delayNanos);
}
