package io.lb4j.http;

import io.lb4j.core.Endpoint;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket HTTP/1.1 server on 127.0.0.1 for the failures the JDK HttpServer cannot play: it
 * reads each request whole (recording its body), then answers, closes without answering (the
 * request reached the server, which died before answering), or sends the status line and part of
 * the body before closing. With {@link #idleClose} it closes a kept-alive connection that stays
 * idle that long, like a server's keep-alive timeout: it shuts its output down, drops whatever
 * arrives after that unread, and counts the connection once the client has closed its end too
 * (so a test knows the client's pool has let it go). Thread-safe.
 */
final class RawBackend implements AutoCloseable {

    enum Mode {
        /** 200 with the backend's name as body, connection kept alive. */
        ANSWER,
        /** Reads the request, then closes the connection without a byte of answer. */
        CLOSE_AFTER_READ,
        /** Status 200 and 10 of the 100 body bytes announced, then closes. */
        TRUNCATE_BODY,
        /** Status 200 announcing 100 body bytes, then closes before the first (killed mid-answer). */
        CUT_BEFORE_BODY,
        /** Closes every connection as soon as it is accepted: a TLS client's handshake fails. */
        CLOSE_AT_ONCE
    }

    private final String name;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger idleClosed = new AtomicInteger();
    private volatile Mode mode;
    private volatile int idleCloseMillis;

    private RawBackend(String name, Mode mode) throws IOException {
        this.name = name;
        this.mode = mode;
        this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "raw-backend-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static RawBackend start(String name, Mode mode) throws IOException {
        return new RawBackend(name, mode);
    }

    RawBackend mode(Mode m) {
        this.mode = m;
        return this;
    }

    /** Closes a kept-alive connection on which no new request began within {@code idle}. */
    RawBackend idleClose(Duration idle) {
        this.idleCloseMillis = Math.toIntExact(idle.toMillis());
        return this;
    }

    Endpoint endpoint() {
        return Endpoint.of("127.0.0.1", server.getLocalPort());
    }

    /** The bodies of the requests read whole, in arrival order. */
    List<String> bodies() {
        return bodies;
    }

    int requestCount() {
        return bodies.size();
    }

    int connectionCount() {
        return connections.get();
    }

    /** Connections this backend closed because they stayed idle, and the client closed too. */
    int idleClosedCount() {
        return idleClosed.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            connections.incrementAndGet();
            open.add(s);
            Thread t = new Thread(() -> serve(s), "raw-backend-" + name + "-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket s) {
        try (s) {
            if (mode == Mode.CLOSE_AT_ONCE) {
                return;
            }
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            boolean first = true;
            while (true) {
                int idle = idleCloseMillis;
                s.setSoTimeout(first || idle == 0 ? 0 : idle);
                String body;
                try {
                    body = readRequest(in);
                } catch (SocketTimeoutException e) {
                    s.shutdownOutput();
                    s.setSoTimeout(0);
                    while (in.read() >= 0) {
                        // a request sent after the close is dropped, never processed
                    }
                    idleClosed.incrementAndGet();
                    return;
                }
                if (body == null) {
                    return; // the client closed
                }
                first = false;
                bodies.add(body);
                Mode m = mode;
                if (m == Mode.CLOSE_AFTER_READ) {
                    return;
                }
                byte[] answer = name.getBytes(StandardCharsets.UTF_8);
                if (m == Mode.TRUNCATE_BODY || m == Mode.CUT_BEFORE_BODY) {
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    if (m == Mode.TRUNCATE_BODY) {
                        out.write(new byte[10]);
                    }
                    out.flush();
                    return;
                }
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + answer.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(answer);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            open.remove(s);
        }
    }

    /** Reads one request; returns its body, or null at the end of the stream before a request began. */
    private static String readRequest(InputStream in) throws IOException {
        int contentLength = 0;
        String line = readLine(in, true);
        if (line == null) {
            return null;
        }
        while (!(line = readLine(in, false)).isEmpty()) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                contentLength = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        byte[] body = in.readNBytes(contentLength);
        return new String(body, StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in, boolean eofAllowed) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                if (eofAllowed && line.size() == 0) {
                    return null;
                }
                throw new IOException("end of stream inside a request");
            }
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    @Override
    public String toString() {
        return "RawBackend{" + name + " @ 127.0.0.1:" + server.getLocalPort() + ", " + mode + "}";
    }
}
