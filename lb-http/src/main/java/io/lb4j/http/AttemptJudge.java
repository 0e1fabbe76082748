package io.lb4j.http;

import io.lb4j.core.Endpoint;
import io.lb4j.core.Selection;
import io.lb4j.core.Selection.Outcome;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;

/**
 * The one place that judges how an attempt ended, for plain ({@link RetryingCall}) and hedged
 * ({@link HedgedCall}) calls alike. Two ladders of guard clauses, each rung with its reason (after
 * OkHttp's {@code RetryAndFollowUpInterceptor}):
 * <ul>
 * <li>{@link #ofFailure} and {@link #ofResponse} name the outcome: how the attempt's
 *     {@link Selection} is completed (what it says about the endpoint) and whether the request
 *     may be sent again at all: never, as a retry (it may have reached the server), or as a
 *     requeue (nothing left the client);
 * <li>{@link #whyNot} decides whether this call sends it again now, and if not, says why.
 * </ul>
 * Verdicts are constants, so judging a successful attempt allocates nothing.
 */
final class AttemptJudge {
    private AttemptJudge() {}

    /** Whether, and how, a request may be sent again after an attempt. */
    enum Resend {
        /** Never: the service answered, or no other endpoint would change the outcome. */
        NEVER,
        /** The request may have reached the server: only if its method and body allow a second copy. */
        RETRY,
        /** Nothing left the client: on another endpoint whatever the method, from the requeue allowance. */
        REQUEUE
    }

    /** How one attempt ended, as far as the endpoint and the call are concerned. Immutable. */
    static final class Verdict {
        /** How the attempt's selection is completed. */
        final Outcome outcome;
        final Resend resend;
        /** The {@code lb.retries} reason tag when resent; for {@link Resend#NEVER}, why not. */
        final String reason;
        /** Added to the attempt's line in a failure message, or null. */
        final String note;
        /** Whether the call ends with the response of this attempt. */
        final boolean answered;
        /** Whether the client's stats count it as a failed attempt (every failure, and a rejected certificate). */
        final boolean failedAttempt;
        /** Whether no attempt of the call may start after it, not even a hedge next to one still running. */
        final boolean stopsNewAttempts;

        Verdict(Outcome outcome, Resend resend, String reason, String note, boolean answered) {
            this(outcome, resend, reason, note, answered, outcome.isFailure(), false);
        }

        Verdict(Outcome outcome, Resend resend, String reason, String note, boolean answered, boolean failedAttempt,
                boolean stopsNewAttempts) {
            this.outcome = outcome;
            this.resend = resend;
            this.reason = reason;
            this.note = note;
            this.answered = answered;
            this.failedAttempt = failedAttempt;
            this.stopsNewAttempts = stopsNewAttempts;
        }

        /** Completes {@code selection} as this verdict says; {@code cause} is what the endpoint failed with. */
        void complete(Selection selection, Throwable cause) {
            switch (outcome) {
                case SUCCESS:
                    selection.success();
                    break;
                case FAILURE:
                    selection.failure(cause);
                    break;
                case CONNECTION_FAILURE:
                    selection.connectionFailure(cause);
                    break;
                default:
                    selection.cancel();
            }
        }

        boolean isFailure() {
            return outcome.isFailure();
        }

        @Override
        public String toString() {
            return outcome + "/" + resend + "/" + reason;
        }
    }

    private static final String HANDED_OVER = "the response was already handed to the body handler";

    static final Verdict ANSWERED = new Verdict(Outcome.SUCCESS, Resend.NEVER, "the service answered", null, true);
    static final Verdict SERVER_ERROR = new Verdict(Outcome.FAILURE, Resend.NEVER, "the status is returned", null, true);
    static final Verdict CONNECT = new Verdict(Outcome.CONNECTION_FAILURE, Resend.REQUEUE, "connect",
            "connection failed, nothing sent", false);
    static final Verdict CONNECT_TIMEOUT = new Verdict(Outcome.CONNECTION_FAILURE, Resend.REQUEUE, "connect_timeout",
            "nothing sent", false);
    static final Verdict UNRESOLVED = new Verdict(Outcome.CONNECTION_FAILURE, Resend.REQUEUE, "unresolved",
            "host not resolved, nothing sent", false);
    /*
     * A pooled connection the server had closed (its idle timeout) says nothing about whether the
     * instance is up, so it is an ordinary failure of the endpoint, not a connection failure that
     * would take it out of rotation; but nothing was written, so it is requeued.
     */
    static final Verdict CLOSED_BEFORE_WRITE = new Verdict(Outcome.FAILURE, Resend.REQUEUE, "closed",
            "pooled connection closed before the request was written", false);
    /*
     * Every endpoint is checked against the same name with the same trust store (TlsFailures):
     * no retry, and no verdict on the endpoint, which would only eject them all.
     */
    static final Verdict TLS_CERTIFICATE = new Verdict(Outcome.CANCELLED, Resend.NEVER,
            "other endpoints are checked against the same name and trust store", "the client rejected the server certificate",
            false, true, true);
    /* The handshake comes before any byte of the request; the instance is reachable, so not a connection failure. */
    static final Verdict TLS_HANDSHAKE = new Verdict(Outcome.FAILURE, Resend.REQUEUE, "tls_handshake",
            "TLS handshake failed, nothing sent", false);
    static final Verdict NOT_BUILT = new Verdict(Outcome.FAILURE, Resend.REQUEUE, "exception",
            "attempt not built, nothing sent", false);
    static final Verdict TIMEOUT = new Verdict(Outcome.FAILURE, Resend.RETRY, "timeout", null, false);
    static final Verdict IO = new Verdict(Outcome.FAILURE, Resend.RETRY, "io", null, false);
    static final Verdict UNCHECKED = new Verdict(Outcome.FAILURE, Resend.RETRY, "exception", "thrown while sending", false);
    static final Verdict BODY_BROKE = new Verdict(Outcome.FAILURE, Resend.NEVER, HANDED_OVER, null, false);
    /* Cut off after the status line but before any body byte reached the caller: nothing to undo, like a reset. */
    static final Verdict BODY_CUT = new Verdict(Outcome.FAILURE, Resend.RETRY, "body_cut",
            "the response broke off before its body", false);
    static final Verdict HANDLER_FAILED = new Verdict(Outcome.SUCCESS, Resend.NEVER, HANDED_OVER,
            "thrown by the body handler", false);
    static final Verdict HANDLER_FAILED_ON_5XX = new Verdict(Outcome.FAILURE, Resend.NEVER, HANDED_OVER,
            "thrown by the body handler", false);
    static final Verdict FATAL = new Verdict(Outcome.CANCELLED, Resend.NEVER, "an Error is not retried", null, false);
    static final Verdict BAD_REQUEST = new Verdict(Outcome.CANCELLED, Resend.NEVER,
            "the request cannot be sent to any endpoint", null, false, false, true);
    /** Not an outcome: the pseudo-verdict a hedge is judged by (it is a retry of a request still running). */
    static final Verdict HEDGE = new Verdict(Outcome.CANCELLED, Resend.RETRY, "hedge", null, false);

    private static final Verdict[] RETRYABLE_STATUS = new Verdict[100];

    static {
        for (int i = 0; i < RETRYABLE_STATUS.length; i++) {
            RETRYABLE_STATUS[i] = new Verdict(Outcome.FAILURE, Resend.RETRY, "status_" + (500 + i), null, false);
        }
    }

    /** How far down a cause chain to look for a marker; JDK chains are 2-4 deep. */
    private static final int CHAIN_DEPTH = 8;
    /** Where an endpoint's authority is known good: proves a request unsendable when it fails here too. */
    private static final Endpoint PROBE = Endpoint.of("127.0.0.1", 80);

    /**
     * An attempt that ended with a response: an answer from the service (below 500, or a 5xx the
     * call returns), or a retryable status whose body was discarded because the call sends again.
     */
    static Verdict ofResponse(int status, boolean discarded) {
        if (discarded) {
            return retryableStatus(status);
        }
        return status >= 500 ? SERVER_ERROR : ANSWERED;
    }

    /** A status in the policy's retry statuses (500-599), judged before its body is read. */
    static Verdict retryableStatus(int status) {
        return RETRYABLE_STATUS[status - 500];
    }

    /**
     * An attempt that failed with {@code t} (as {@link #cause} unwraps it), {@code status} being the
     * status line that had arrived, or 0 for none. Its response body, when there was one, went
     * to the caller's handler: a discarded one is judged by its status instead.
     */
    static Verdict ofFailure(Throwable t, int status) {
        return ofFailure(t, status, true);
    }

    /**
     * Like {@link #ofFailure(Throwable, int)}, knowing whether a byte of the response body had
     * reached the caller's subscriber ({@code bodySeen}).
     */
    static Verdict ofFailure(Throwable t, int status, boolean bodySeen) {
        // An Error is the JVM's trouble, not the endpoint's, and no retry would help.
        if (t instanceof Error) {
            return FATAL;
        }
        if (status != 0) {
            // The caller's handler threw: its exception says nothing about the endpoint, whose status does.
            if (thrownByHandler(t)) {
                return status >= 500 ? HANDLER_FAILED_ON_5XX : HANDLER_FAILED;
            }
            // The body broke off before the caller's subscriber saw a byte of it: as retryable as a reset.
            if (!bodySeen) {
                return BODY_CUT;
            }
            // The body broke off while the caller's handler read it: the endpoint failed mid-answer.
            return BODY_BROKE;
        }
        // The connect timed out (checked before HttpTimeoutException, its superclass): nothing was sent.
        if (t instanceof HttpConnectTimeoutException) {
            return CONNECT_TIMEOUT;
        }
        // The attempt's timeout: the request may be in the server's hands.
        if (t instanceof HttpTimeoutException) {
            return TIMEOUT;
        }
        // No connection: refused, unreachable or unresolved, so nothing was sent.
        if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException
                || t instanceof UnresolvedAddressException) {
            return inChain(t, UnresolvedAddressException.class) || inChain(t, UnknownHostException.class)
                    ? UNRESOLVED : CONNECT;
        }
        // The client rejected the server certificate: every endpoint is checked alike, so none would do better.
        if (TlsFailures.isPermanent(t)) {
            return TLS_CERTIFICATE;
        }
        // The TLS handshake failed: it precedes the request, so nothing of the request was sent.
        if (t instanceof SSLHandshakeException) {
            return TLS_HANDSHAKE;
        }
        if (t instanceof IOException) {
            // The pool handed out a connection the server had closed, and the JDK closed it before writing.
            if (closedBeforeWrite(t)) {
                return CLOSED_BEFORE_WRITE;
            }
            // Reset, closed or broken after the request went out: it may have been processed.
            return IO;
        }
        // Unchecked, from the delegate or what it runs: the endpoint failed the attempt (never a silent cancel).
        return UNCHECKED;
    }

    /**
     * Whether the call sends the request again after an attempt judged {@code v}, in
     * {@code delayNanos}: null when it does (the retry or requeue is then taken from the
     * budget), otherwise why not, as said in the failure message ("no retry: ...").
     */
    static String whyNot(Verdict v, AbstractCall<?> call, long delayNanos) {
        RetryPolicy policy = call.policy;
        HttpRequest request = call.request;
        // Nobody waits for the answer any more.
        if (call.stopped()) {
            return "the call was cancelled";
        }
        // The outcome is final: an answer, or a failure no other endpoint would change.
        if (v.resend == Resend.NEVER) {
            return v.reason;
        }
        // The server may have acted on it: only idempotent methods, keyed requests or an opt-in go twice.
        if (v.resend == Resend.RETRY && !policy.allowsMethod(request)) {
            return request.method() + " is not idempotent and may have reached the server"
                    + " (retryAllMethods or an idempotencyKeyHeader allows it)";
        }
        // The body publisher cannot produce the body a second time.
        if (!Requests.replayable(request)) {
            return "the request body cannot be sent again";
        }
        // A fixed number of attempts per call, requeues included, so that a dead service fails fast.
        if (call.attempts() >= policy.maxAttempts()) {
            return "maxAttempts " + policy.maxAttempts() + " reached";
        }
        // No attempt that the deadline would cut before it starts.
        if (!call.fitsDeadline(delayNanos)) {
            return "the deadline " + request.timeout().orElseThrow() + " would pass first";
        }
        // Nothing reached a server: the requeue allowance pays, not the retry budget.
        if (v.resend == Resend.REQUEUE) {
            return call.route.budget.tryRequeue() ? null : call.budgetRefused("the requeue allowance");
        }
        // A retry adds load to a service that may be failing already: the retry budget pays.
        return call.route.budget.tryRetry() ? null : call.budgetRefused("the retry budget");
    }

    /**
     * Whether building the attempt's request failed because of the request rather than the
     * endpoint: it fails with a known good endpoint too.
     */
    static boolean requestIsBad(HttpRequest request) {
        try {
            Requests.attemptRequest(request, Requests.rewrite(request.uri(), PROBE), 0, null);
            return false;
        } catch (RuntimeException e) {
            return true;
        }
    }

    /**
     * What an attempt failed with, whichever way it was sent: the future's wrappers removed, and
     * the plain IOException by which the JDK's blocking {@code send} reports an unchecked failure
     * (a body handler's, say), so that a blocking and an asynchronous attempt are judged alike.
     */
    static Throwable cause(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t.getClass() == IOException.class && (t.getCause() instanceof RuntimeException || t.getCause() instanceof Error)
                && Objects.equals(t.getMessage(), t.getCause().getMessage())) {
            t = t.getCause();
        }
        return t;
    }

    /** The caller's body handler or subscriber threw (unwrapped by {@link #cause}). */
    private static boolean thrownByHandler(Throwable t) {
        return t instanceof RuntimeException;
    }

    /**
     * JDK 17-21: when the server closes an idle pooled connection as an exchange takes it, the
     * pool's cleanup closes it locally and the exchange fails with "connection closed locally"
     * deep in the chain, before its request was written. An EOF or broken pipe after writing is
     * not this: the request may have been read.
     */
    private static boolean closedBeforeWrite(Throwable t) {
        Throwable c = t;
        for (int i = 0; i < CHAIN_DEPTH && c != null; i++, c = c.getCause()) {
            if (c instanceof IOException && "connection closed locally".equals(c.getMessage())) {
                return true;
            }
        }
        return false;
    }

    private static boolean inChain(Throwable t, Class<? extends Throwable> type) {
        Throwable c = t;
        for (int i = 0; i < CHAIN_DEPTH && c != null; i++, c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
