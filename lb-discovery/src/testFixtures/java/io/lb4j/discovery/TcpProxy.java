package io.lb4j.discovery;

import io.lb4j.core.internal.DaemonThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy that a test can cut: {@link #cut()} drops every connection and refuses
 * new ones (accepts and closes them) until {@link #restore()}: a network outage between a
 * client and a server that stays up. {@link #silence()} instead keeps the open connections open
 * but lets nothing through them any more, in either direction (a half-open connection: a
 * firewall or NAT that forgot the flow); new connections work.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final java.util.Set<Socket> silenced = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile boolean closed;

    /**
     * Starts a proxy on a free loopback port to {@code targetPort} on loopback.
     *
     * @param targetPort the port connections are forwarded to
     * @throws IOException if no port can be bound
     */
    public TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        DaemonThreads.start("test-proxy-accept", this::acceptLoop);
    }

    /**
     * The proxy's HTTP URL.
     *
     * @return {@code http://127.0.0.1:<port>}
     */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /**
     * The proxy's port.
     *
     * @return the local port it accepts on
     */
    public int port() {
        return server.getLocalPort();
    }

    /** Drops every connection and refuses new ones until {@link #restore()}. */
    public void cut() {
        cut = true;
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    /** Accepts connections again after {@link #cut()}. */
    public void restore() {
        cut = false;
    }

    /** Makes every open connection silent: still open, but nothing passes any more. */
    public void silence() {
        silenced.addAll(open);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (cut) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 1000);
                open.add(client);
                open.add(upstream);
                DaemonThreads.start("test-proxy-up", () -> pipe(client, upstream));
                DaemonThreads.start("test-proxy-down", () -> pipe(upstream, client));
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        byte[] buf = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                if (silenced.contains(from)) {
                    continue; // swallowed: the other side waits for ever
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // either side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
            silenced.remove(from);
            silenced.remove(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Stops accepting and drops every connection. */
    @Override
    public void close() {
        closed = true;
        cut();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
