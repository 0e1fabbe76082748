package io.lb4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Selection.Outcome;
import io.lb4j.http.AttemptJudge.Resend;
import io.lb4j.http.AttemptJudge.Verdict;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The judge's table: what each failure says about the endpoint and whether the request may be
 * sent again. The exception chains are the ones the JDK 17 client produces (recorded against
 * real loopback servers): {@code send} re-wraps its failure once more than {@code sendAsync}.
 */
class AttemptJudgeTest {

    private static ConnectException connect(Throwable cause) {
        ConnectException e = new ConnectException();
        e.initCause(cause);
        return e;
    }

    private static HttpConnectTimeoutException connectTimeout() {
        HttpConnectTimeoutException e = new HttpConnectTimeoutException("HTTP connect timed out");
        e.initCause(new ConnectException("HTTP connect timed out"));
        return e;
    }

    private static IOException noBytes(Throwable cause) {
        return new IOException("HTTP/1.1 header parser received no bytes", cause);
    }

    static Stream<Arguments> failures() {
        IOException closedLocally = new IOException("connection closed locally");
        return Stream.of(
                // refused: the JDK loses "Connection refused"; async, then send's extra wrapper
                Arguments.of("refused", connect(new ClosedChannelException()), 0, AttemptJudge.CONNECT),
                Arguments.of("refused (send)", connect(connect(new ClosedChannelException())), 0, AttemptJudge.CONNECT),
                Arguments.of("unresolved", connect(new UnresolvedAddressException()), 0, AttemptJudge.UNRESOLVED),
                Arguments.of("unresolved (send)", connect(connect(new UnresolvedAddressException())), 0,
                        AttemptJudge.UNRESOLVED),
                Arguments.of("no route", new NoRouteToHostException("No route to host"), 0, AttemptJudge.CONNECT),
                Arguments.of("connect timeout", connectTimeout(), 0, AttemptJudge.CONNECT_TIMEOUT),
                Arguments.of("request timeout", new HttpTimeoutException("request timed out"), 0, AttemptJudge.TIMEOUT),
                Arguments.of("tls handshake", new SSLHandshakeException("Remote host closed the channel"), 0,
                        AttemptJudge.TLS_HANDSHAKE),
                Arguments.of("tls record after the handshake", new SSLException("Tag mismatch"), 0, AttemptJudge.IO),
                // a pooled connection the server closed as the exchange took it: closed before writing
                Arguments.of("closed locally", noBytes(closedLocally), 0, AttemptJudge.CLOSED_BEFORE_WRITE),
                Arguments.of("closed locally (send)", noBytes(noBytes(closedLocally)), 0, AttemptJudge.CLOSED_BEFORE_WRITE),
                // written into a connection the server had closed, or read and dropped: may have been processed
                Arguments.of("eof", noBytes(new EOFException("EOF reached while reading")), 0, AttemptJudge.IO),
                Arguments.of("broken pipe", noBytes(noBytes(new IOException("Broken pipe"))), 0, AttemptJudge.IO),
                Arguments.of("reset", new IOException("Connection reset"), 0, AttemptJudge.IO),
                Arguments.of("delegate threw", new IllegalStateException("boom"), 0, AttemptJudge.UNCHECKED),
                Arguments.of("publisher threw", new UncheckedIOException(new IOException("disk")), 0, AttemptJudge.UNCHECKED),
                Arguments.of("unexpected cancellation", new CancellationException(), 0, AttemptJudge.UNCHECKED),
                Arguments.of("error", new OutOfMemoryError("test"), 0, AttemptJudge.FATAL),
                // after the status line: the body went to the caller's handler
                Arguments.of("body broke off", new IOException("fixed content-length: 100, bytes received: 10"), 200,
                        AttemptJudge.BODY_BROKE),
                Arguments.of("timeout while reading the body", new HttpTimeoutException("request timed out"), 200,
                        AttemptJudge.BODY_BROKE),
                Arguments.of("handler threw", new IllegalStateException("boom"), 200, AttemptJudge.HANDLER_FAILED),
                Arguments.of("handler threw (send)", AttemptJudge.cause(new IOException("boom",
                        new IllegalStateException("boom"))), 200, AttemptJudge.HANDLER_FAILED),
                Arguments.of("handler threw on a 500", new IllegalStateException("boom"), 500,
                        AttemptJudge.HANDLER_FAILED_ON_5XX));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void judgesEachFailureOnce(String what, Throwable failure, int status, Verdict expected) {
        assertThat(AttemptJudge.ofFailure(failure, status)).isSameAs(expected);
    }

    @org.junit.jupiter.api.Test
    void aResponseCutOffBeforeAnyBodyByteReachedTheCallerIsRetriedButNotOneCutMidBody() {
        IOException cut = new IOException("fixed content-length: 1, bytes received: 0");
        assertThat(AttemptJudge.ofFailure(cut, 200, false)).isSameAs(AttemptJudge.BODY_CUT);
        assertThat(AttemptJudge.BODY_CUT.resend).as("idempotent methods only: the server did answer").isEqualTo(Resend.RETRY);
        assertThat(AttemptJudge.BODY_CUT.outcome).isEqualTo(Outcome.FAILURE);
        assertThat(AttemptJudge.ofFailure(cut, 200, true)).isSameAs(AttemptJudge.BODY_BROKE);
        assertThat(AttemptJudge.ofFailure(new IllegalStateException("boom"), 200, false))
                .as("the caller's handler threw: judged by the status as before").isSameAs(AttemptJudge.HANDLER_FAILED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void onlyFailuresOfWhichNothingLeftTheClientAreRequeued(String what, Throwable failure, int status, Verdict v) {
        boolean nothingSent = v == AttemptJudge.CONNECT || v == AttemptJudge.UNRESOLVED
                || v == AttemptJudge.CONNECT_TIMEOUT || v == AttemptJudge.CLOSED_BEFORE_WRITE
                || v == AttemptJudge.TLS_HANDSHAKE;
        assertThat(AttemptJudge.ofFailure(failure, status).resend == Resend.REQUEUE).isEqualTo(nothingSent);
    }

    @org.junit.jupiter.api.Test
    void blockingAndAsynchronousFailuresAreUnwrappedToTheSameCause() {
        IllegalStateException bug = new IllegalStateException("handler bug");
        assertThat(AttemptJudge.cause(new java.util.concurrent.CompletionException(bug))).isSameAs(bug);
        assertThat(AttemptJudge.cause(new IOException("handler bug", bug))).isSameAs(bug); // HttpClient.send's wrapper
        IOException io = new IOException("Connection reset");
        assertThat(AttemptJudge.cause(new java.util.concurrent.CompletionException(io))).isSameAs(io);
        IOException jdkWrapper = new IOException("HTTP/1.1 header parser received no bytes", io);
        assertThat(AttemptJudge.cause(jdkWrapper)).isSameAs(jdkWrapper); // an I/O chain stays as it is
    }

    @org.junit.jupiter.api.Test
    void connectionLevelFailuresReachTheBalancerAsConnectionFailuresAndTheRestAsFailures() {
        assertThat(Stream.of(AttemptJudge.CONNECT, AttemptJudge.UNRESOLVED, AttemptJudge.CONNECT_TIMEOUT))
                .allMatch(v -> v.outcome == Outcome.CONNECTION_FAILURE);
        // a server's idle timeout closing a pooled connection says nothing about the instance being down
        assertThat(AttemptJudge.CLOSED_BEFORE_WRITE.outcome).isEqualTo(Outcome.FAILURE);
        assertThat(AttemptJudge.TLS_HANDSHAKE.outcome).isEqualTo(Outcome.FAILURE);
        assertThat(Stream.of(AttemptJudge.TIMEOUT, AttemptJudge.IO, AttemptJudge.UNCHECKED, AttemptJudge.NOT_BUILT,
                AttemptJudge.BODY_BROKE, AttemptJudge.HANDLER_FAILED_ON_5XX, AttemptJudge.retryableStatus(503),
                AttemptJudge.ofResponse(500, false))).allMatch(v -> v.outcome == Outcome.FAILURE);
        assertThat(Stream.of(AttemptJudge.ofResponse(200, false), AttemptJudge.ofResponse(404, false),
                AttemptJudge.HANDLER_FAILED)).allMatch(v -> v.outcome == Outcome.SUCCESS);
        assertThat(Stream.of(AttemptJudge.FATAL, AttemptJudge.BAD_REQUEST)).allMatch(v -> v.outcome == Outcome.CANCELLED);
    }

    @org.junit.jupiter.api.Test
    void responsesAreAnswersUnlessDiscardedForARetry() {
        assertThat(AttemptJudge.ofResponse(200, false)).isSameAs(AttemptJudge.ANSWERED);
        assertThat(AttemptJudge.ofResponse(503, false)).isSameAs(AttemptJudge.SERVER_ERROR);
        Verdict discarded = AttemptJudge.ofResponse(503, true);
        assertThat(discarded.answered).isFalse();
        assertThat(discarded.resend).isEqualTo(Resend.RETRY);
        assertThat(discarded.reason).isEqualTo("status_503");
        assertThat(AttemptJudge.ANSWERED.answered).isTrue();
        assertThat(AttemptJudge.SERVER_ERROR.answered).isTrue();
    }
}
