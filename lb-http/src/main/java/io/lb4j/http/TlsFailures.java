package io.lb4j.http;

import io.lb4j.core.Endpoint;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Sorts out the TLS failures that would fail the same way on every endpoint.
 *
 * <p>Permanent: the client's own check of the server certificate said no (a handshake failure
 * caused by a {@link CertificateException}: a certificate that does not name the service, an
 * untrusted chain, or any other reason the JDK's certificate check gives). Every endpoint is checked against the same name with
 * the same trust store, and when that trust store (or the name) is wrong, every endpoint fails:
 * retrying elsewhere only multiplies the failure, and holding it against the endpoint would
 * eject them all. {@link AttemptJudge} therefore completes such an attempt with
 * {@code Selection.cancel()} (no verdict on the endpoint), counts it as a failed attempt in the
 * client's stats, and ends the call without a retry (a hedged call starts no further attempt). An instance that really does serve a bad certificate is found by an HTTPS
 * health probe, which checks it the same way and marks it unhealthy.
 *
 * <p>Everything else is an ordinary endpoint failure: a handshake that times out or is reset, and
 * also a server that refuses the client's certificate (with TLS 1.3 the client learns it only as
 * a closed connection after its side of the handshake, indistinguishable from a reset).
 */
final class TlsFailures {
    private TlsFailures() {}

    /** How deep to look for the cause; the JDK nests three levels (sync send) or four (async). */
    private static final int MAX_DEPTH = 8;

    /** Whether {@code failure} is a handshake the client failed on its check of the server certificate. */
    static boolean isPermanent(Throwable failure) {
        boolean handshake = false;
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof SSLHandshakeException) {
                handshake = true;
            } else if (handshake && t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the failure message says of an attempt that failed this way at {@code endpoint}. For an
     * IP endpoint the JDK checked the service name first and reports only its last check, against
     * the IP address, which the note says.
     */
    static String note(String service, Endpoint endpoint) {
        return Requests.isIpLiteral(endpoint.host())
                ? "the client rejected the server certificate; for an IP endpoint the JDK checks the TLS server name '"
                        + service + "' first, then the address " + endpoint.host() + ", and reports the last check"
                : "the client rejected the server certificate";
    }
}
