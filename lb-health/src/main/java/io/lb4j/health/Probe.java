package io.lb4j.health;

import static io.lb4j.core.internal.Checks.notNull;

import io.lb4j.core.Endpoint;
import java.net.http.HttpClient;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * One health check of one endpoint, run by a {@link HealthChecker} on its schedule.
 *
 * <p>{@link #check} must not block: it starts the check and returns a stage that completes with
 * the result. The checker enforces its timeout itself (and then cancels the stage's
 * {@code CompletableFuture}); a stage that fails or a {@code check} that throws counts as a failed
 * probe. Implementations must be thread-safe.
 * <pre>{@code
 * Probe http = Probe.http("/healthz");           // GET, healthy iff 200-399
 * Probe https = Probe.https("/healthz");         // the same over TLS, SNI = the service name
 * Probe tcp = Probe.tcp();                        // a connect
 * Probe custom = Probe.of(e -> db.pingAsync(e));  // CompletionStage<Boolean>
 * }</pre>
 */
@FunctionalInterface
public interface Probe {

    /**
     * Starts one check of {@code endpoint}; never blocks.
     *
     * @param endpoint the endpoint to check
     * @return a stage completed with the result, or failed (a failed probe)
     */
    CompletionStage<ProbeResult> check(Endpoint endpoint);

    /**
     * An HTTP GET of {@code path} on the endpoint ({@code http://host:port/path}); healthy iff the
     * status is 200-399. Runs on the checker's own {@link HttpClient} (HTTP/1.1, no redirects,
     * connect and request timeout = the checker's timeout), never on a load-balanced client.
     * Calling {@link #check} on it outside a checker fails the stage: use
     * {@link #http(String, HttpClient)} for that. Cleartext only: use {@link #https(String)} for
     * a TLS port.
     *
     * @param path the path to GET, starting with {@code /}
     * @return the probe
     * @throws IllegalArgumentException unless path starts with {@code /} and is a valid URI path
     * @throws NullPointerException if path is null
     */
    static Probe http(String path) {
        return new HttpProbe(false, HttpProbe.checkPath(path), null, null);
    }

    /**
     * Like {@link #http(String)}, on {@code client} (e.g. one with a proxy or an authenticator);
     * usable outside a checker too. The request timeout is still the checker's.
     *
     * @param path the path to GET, starting with {@code /}
     * @param client the client to send it on
     * @return the probe
     * @throws IllegalArgumentException unless path starts with {@code /} and is a valid URI path
     * @throws NullPointerException if path or client is null
     */
    static Probe http(String path, HttpClient client) {
        return new HttpProbe(false, HttpProbe.checkPath(path), notNull(client, "client"), null);
    }

    /**
     * An HTTPS GET of {@code path} on the endpoint ({@code https://host:port/path}); healthy iff
     * the status is 200-399. The TLS server name (SNI) is the balancer's service name, so for an
     * IP endpoint the JDK checks the certificate against the service name (then against the IP
     * address), as lb-http does for calls; a certificate it rejects fails the probe. Runs on the
     * checker's own {@link HttpClient} (HTTP/1.1, no redirects, connect and request timeout = the
     * checker's timeout, the JVM's default {@code SSLContext} as trust store), never on a
     * load-balanced client. Calling {@link #check} on it outside a checker fails the stage: use
     * {@link #https(String, HttpClient)} for that.
     *
     * <pre>{@code
     * HealthChecker.builder(Balancer.builder("users.internal").endpoints("10.0.0.1:8443").build())
     *         .probe(Probe.https("/healthz"))   // SNI users.internal, certificate for users.internal
     *         .build().start();
     * }</pre>
     *
     * @param path the path to GET, starting with {@code /}
     * @return the probe
     * @throws IllegalArgumentException unless path starts with {@code /} and is a valid URI path
     * @throws NullPointerException if path is null
     */
    static Probe https(String path) {
        return new HttpProbe(true, HttpProbe.checkPath(path), null, null);
    }

    /**
     * Like {@link #https(String)}, with {@code client}'s settings: its {@code SSLContext} as trust
     * store (and client certificate, for mTLS), proxy, authenticator. A checker runs it on a copy
     * of {@code client} (made once, at {@link HealthChecker#start()}) whose SSL parameters name the
     * service as SNI; a client that is not the JDK's own implementation is used as it is. Called
     * outside a checker, it probes with {@code client} unchanged: the certificate is then checked
     * against the endpoint's host (or the server names of {@code client}'s own SSL parameters).
     * The request timeout is still the checker's.
     *
     * @param path the path to GET, starting with {@code /}
     * @param client the client whose settings to use
     * @return the probe
     * @throws IllegalArgumentException unless path starts with {@code /} and is a valid URI path
     * @throws NullPointerException if path or client is null
     */
    static Probe https(String path, HttpClient client) {
        return new HttpProbe(true, HttpProbe.checkPath(path), notNull(client, "client"), null);
    }

    /**
     * A TCP connect to the endpoint, closed at once; healthy iff it connects. Asynchronous, on
     * the checker's own channel group (one named daemon thread).
     *
     * @return the probe
     */
    static Probe tcp() {
        return new TcpProbe(null);
    }

    /**
     * A custom probe answering true (healthy) or false; a {@code false} has the reason
     * {@code "probe answered false"}, a null answer counts as a failure.
     *
     * @param check starts the check and answers true (healthy) or false
     * @return the probe
     * @throws NullPointerException if check is null
     */
    static Probe of(Function<? super Endpoint, ? extends CompletionStage<Boolean>> check) {
        notNull(check, "check");
        return endpoint -> check.apply(endpoint).thenApply(ok -> {
            if (ok == null) {
                return ProbeResult.unhealthy("probe answered null");
            }
            return ok ? ProbeResult.healthy() : ProbeResult.unhealthy("probe answered false");
        });
    }
}
