package io.lb4j.http;

import io.lb4j.core.Endpoint;
import io.lb4j.core.NoAvailableEndpointException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLException;

/**
 * The exception a failed call ends with: of the last failure's {@code IOException} family
 * (a {@code ConnectException} stays one, an {@code HttpTimeoutException} too; a balancer with no
 * endpoint to offer gives a {@code ConnectException}; any other unchecked failure becomes an
 * {@code IOException}, as {@code HttpClient.send} does it), with the last
 * failure as cause, the earlier ones suppressed, and a message that names the service, each
 * attempt's endpoint and outcome, and why the call stopped:
 * {@code GET to 'users' failed after 2 attempts: #1 10.0.0.1:8080 ConnectException (connection
 * failed, nothing sent); #2 10.0.0.2:8080 status 503; no retry: maxAttempts 2 reached}.
 * Messages never carry header values, query strings or bodies.
 */
final class CallFailures {
    private CallFailures() {}

    /** How far down a cause chain a message is looked for. */
    private static final int CHAIN_DEPTH = 8;

    /** One attempt's line: {@code #n host:port outcome (note)}. */
    static String attemptLine(int number, Endpoint endpoint, String note, Throwable cause, int status) {
        StringBuilder sb = new StringBuilder(64).append('#').append(number).append(' ').append(endpoint.authority()).append(' ');
        if (status != 0) {
            sb.append("status ").append(status);
            if (cause != null) {
                sb.append(", then ");
            }
        }
        if (cause != null) {
            describe(sb, cause);
        }
        if (note != null) {
            sb.append(" (").append(note).append(')');
        }
        return sb.toString();
    }

    /** {@code SimpleName: first message of the chain}. */
    static void describe(StringBuilder sb, Throwable t) {
        sb.append(t.getClass().getSimpleName());
        String message = firstMessage(t);
        if (message != null) {
            sb.append(": ").append(message);
        }
    }

    private static String firstMessage(Throwable t) {
        Throwable c = t;
        for (int i = 0; i < CHAIN_DEPTH && c != null; i++, c = c.getCause()) {
            String m = c.getMessage();
            // CompletableFuture and friends put the cause's toString() in their message
            if (m != null && !m.isEmpty() && (c.getCause() == null || !m.equals(c.getCause().toString()))) {
                return m;
            }
        }
        return null;
    }

    /**
     * The message of a failed call: {@code METHOD to 'service' failed after n attempts: lines; no
     * retry: why}, or {@code METHOD to 'service' failed: why} when no attempt was made.
     */
    static String message(String method, String service, List<String> attemptLines, String why) {
        StringBuilder sb = new StringBuilder(96).append(method).append(" to '").append(service).append("' failed");
        int n = attemptLines == null ? 0 : attemptLines.size();
        if (n == 0) {
            return sb.append(": ").append(why).toString();
        }
        sb.append(" after ").append(n).append(n == 1 ? " attempt: " : " attempts: ");
        sb.append(String.join("; ", attemptLines));
        return sb.append("; no retry: ").append(why).toString();
    }

    /**
     * The exception thrown for {@code last} with {@code message}: the same family, {@code last}
     * as its cause and {@code earlier} suppressed. An {@code IllegalArgumentException} stays one
     * only for a request no endpoint can take ({@code badRequest}).
     */
    static Throwable thrown(Throwable last, String message, List<Throwable> earlier, boolean badRequest) {
        Throwable t = badRequest ? new IllegalArgumentException(message, last) : sameFamily(last, message);
        if (earlier != null) {
            for (Throwable e : earlier) {
                if (e != last) {
                    t.addSuppressed(e);
                }
            }
        }
        return t;
    }

    private static IOException sameFamily(Throwable last, String message) {
        IOException e;
        if (last instanceof HttpConnectTimeoutException) {
            e = new HttpConnectTimeoutException(message);
        } else if (last instanceof HttpTimeoutException) {
            e = new HttpTimeoutException(message);
        } else if (last instanceof ConnectException || last instanceof NoAvailableEndpointException) {
            // nobody to offer is, to a caller of HttpClient.send, a service it cannot connect to
            e = new ConnectException(message);
        } else if (last instanceof NoRouteToHostException) {
            e = new NoRouteToHostException(message);
        } else if (last instanceof SocketException) {
            e = new SocketException(message);
        } else if (last instanceof UnknownHostException) {
            e = new UnknownHostException(message);
        } else if (last instanceof SSLHandshakeException) {
            e = new SSLHandshakeException(message);
        } else if (last instanceof SSLPeerUnverifiedException) {
            e = new SSLPeerUnverifiedException(message);
        } else if (last instanceof SSLException) {
            e = new SSLException(message);
        } else if (last instanceof EOFException) {
            e = new EOFException(message);
        } else {
            e = new IOException(message);
        }
        e.initCause(last);
        return e;
    }
}
