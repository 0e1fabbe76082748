package io.lb4j.core.internal;

import java.net.http.HttpClient;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;

/**
 * New JDK {@link HttpClient}s made from a user's client, for what one client cannot do for
 * several services or endpoints at once: a TLS server name (SNI) per service (lb-http, lb-health)
 * and a proxy per endpoint (lb-http). Not API.
 */
public final class HttpClients {
    private HttpClients() {}

    /**
     * Whether {@code client} is the JDK's own implementation, whose settings {@link #copyOf}
     * carries over (a user's decorator would lose its behaviour in a copy).
     *
     * @param client a client
     * @return true for the clients {@code HttpClient.newBuilder().build()} makes
     */
    public static boolean isJdkClient(HttpClient client) {
        return client.getClass().getModule() == HttpClient.class.getModule();
    }

    /**
     * A builder holding every setting {@code client} can be asked for: version, redirect policy,
     * SSL context and parameters, connect timeout, executor, cookie handler, authenticator and
     * proxy. What the JDK does not let one read back (HTTP/2 priority, a local address) is not
     * carried over.
     *
     * @param client the client whose settings to copy
     * @return a new builder; building it starts a new client with its own connection pool
     */
    public static HttpClient.Builder copyOf(HttpClient client) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(client.version())
                .followRedirects(client.followRedirects())
                .sslContext(client.sslContext())
                .sslParameters(client.sslParameters());
        client.connectTimeout().ifPresent(b::connectTimeout);
        client.executor().ifPresent(b::executor);
        client.cookieHandler().ifPresent(b::cookieHandler);
        client.authenticator().ifPresent(b::authenticator);
        client.proxy().ifPresent(b::proxy);
        return b;
    }

    /**
     * A client like {@code client} that sends {@code serverName} as TLS SNI when the request URI
     * host is an IP address. The JDK's own trust manager then checks the server certificate
     * against that name (and, if that fails, against the IP address, as it does without SNI);
     * for a URI with a host name the JDK sends and checks that host name instead.
     *
     * @param client the client whose settings to copy (see {@link #copyOf})
     * @param serverName a host name {@link SNIHostName} accepts
     * @return a new client
     * @throws IllegalArgumentException if {@code serverName} is not a valid SNI host name
     */
    public static HttpClient withServerName(HttpClient client, String serverName) {
        return copyOf(client).sslParameters(withServerName(client.sslParameters(), serverName)).build();
    }

    /**
     * Sets {@code serverName} as the only SNI host name of {@code parameters}.
     *
     * @param parameters parameters to change, e.g. a client's {@code sslParameters()} (a copy)
     * @param serverName a host name {@link SNIHostName} accepts
     * @return {@code parameters}
     * @throws IllegalArgumentException if {@code serverName} is not a valid SNI host name
     */
    public static SSLParameters withServerName(SSLParameters parameters, String serverName) {
        parameters.setServerNames(List.of(new SNIHostName(serverName)));
        return parameters;
    }
}
