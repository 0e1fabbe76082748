package io.lb4j.http.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.lb4j.core.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A real HTTP or HTTPS server (the JDK's) on a free port of 127.0.0.1 that answers every request
 * with its name and records what the request looked like: request target, {@code Host} header,
 * and over TLS the server name the client sent (SNI) and the client certificate's subject.
 * {@code /healthz} has a status of its own.
 *
 * <pre>{@code
 * try (RecordingServer s = RecordingServer.https("a", TestCertificates.get().serverContext("users"), false)) {
 *     ... s.endpoint() ...
 *     assertThat(s.requests().get(0).serverName).isEqualTo("users.internal");
 * }
 * }</pre>
 * Thread-safe.
 */
public final class RecordingServer implements AutoCloseable {
    /** The path whose status {@link #healthStatus(int)} sets. */
    public static final String HEALTH_PATH = "/healthz";

    /** What one request looked like. */
    public static final class Request {
        /** The request target as received: {@code /x?q} (origin form) or {@code http://users/x?q} (absolute form). */
        public final String target;
        /** The {@code Host} header, or null. */
        public final String host;
        /** The TLS server name (SNI) the client sent; null over plain HTTP or when it sent none. */
        public final String serverName;
        /** The subject of the client certificate; null when there was none (or plain HTTP). */
        public final String clientCertificate;

        Request(String target, String host, String serverName, String clientCertificate) {
            this.target = target;
            this.host = host;
            this.serverName = serverName;
            this.clientCertificate = clientCertificate;
        }

        @Override
        public String toString() {
            return "Request{target=" + target + ", host=" + host + ", sni=" + serverName + ", client=" + clientCertificate + "}";
        }
    }

    private final String name;
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile int healthStatus = 200;

    private RecordingServer(String name, HttpServer server) {
        this.name = name;
        this.server = server;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "recording-server-" + name);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * A plain HTTP server.
     *
     * @param name its name, the body of every answer
     * @return the running server
     * @throws IOException if it cannot bind
     */
    public static RecordingServer http(String name) throws IOException {
        return new RecordingServer(name, HttpServer.create(loopback(), 64));
    }

    /**
     * An HTTPS server with {@code context}'s certificate.
     *
     * @param name its name, the body of every answer
     * @param context the server's keys and trust (for client certificates), e.g. {@link TestCertificates#serverContext}
     * @param needClientCertificate whether the handshake requires a client certificate that {@code context} trusts
     * @return the running server
     * @throws IOException if it cannot bind
     */
    public static RecordingServer https(String name, SSLContext context, boolean needClientCertificate) throws IOException {
        HttpsServer s = HttpsServer.create(loopback(), 64);
        s.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = context.getDefaultSSLParameters();
                p.setNeedClientAuth(needClientCertificate);
                params.setSSLParameters(p);
            }
        });
        return new RecordingServer(name, s);
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            String sni = null;
            String client = null;
            if (exchange instanceof HttpsExchange) {
                SSLSession session = ((HttpsExchange) exchange).getSSLSession();
                if (session instanceof ExtendedSSLSession) {
                    for (SNIServerName n : ((ExtendedSSLSession) session).getRequestedServerNames()) {
                        if (n instanceof SNIHostName) {
                            sni = ((SNIHostName) n).getAsciiName();
                        }
                    }
                }
                try {
                    client = session.getPeerPrincipal().getName();
                } catch (SSLPeerUnverifiedException none) {
                    // no client certificate
                }
            }
            requests.add(new Request(exchange.getRequestURI().toString(), exchange.getRequestHeaders().getFirst("Host"), sni, client));
            int code = exchange.getRequestURI().getPath().equals(HEALTH_PATH) ? healthStatus : status;
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * Where the server listens.
     *
     * @return {@code 127.0.0.1:port}
     */
    public Endpoint endpoint() {
        return Endpoint.of(server.getAddress().getAddress().getHostAddress(), server.getAddress().getPort());
    }

    /**
     * Sets the status of every path but {@link #HEALTH_PATH}; default 200.
     *
     * @param status the status
     * @return this server
     */
    public RecordingServer status(int status) {
        this.status = status;
        return this;
    }

    /**
     * Sets the status of {@link #HEALTH_PATH}; default 200.
     *
     * @param status the status
     * @return this server
     */
    public RecordingServer healthStatus(int status) {
        this.healthStatus = status;
        return this;
    }

    /**
     * The requests answered so far, in order.
     *
     * @return a snapshot
     */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Stops the server at once. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "RecordingServer{" + name + " at " + endpoint().authority() + "}";
    }
}
