package io.lb4j.health;

import io.lb4j.core.Endpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@link Probe#tcp}: an asynchronous connect, closed at once. */
final class TcpProbe implements Probe {

    /** Null means the JDK's default group (only when called outside a checker). */
    private final AsynchronousChannelGroup group;

    TcpProbe(AsynchronousChannelGroup group) {
        this.group = group;
    }

    TcpProbe bind(AsynchronousChannelGroup checkerGroup) {
        return new TcpProbe(checkerGroup);
    }

    @Override
    public CompletionStage<ProbeResult> check(Endpoint endpoint) {
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open(group);
        } catch (IOException e) {
            result.completeExceptionally(e);
            return result;
        }
        // a timed-out probe is cancelled by the checker: closing the channel aborts the connect
        result.whenComplete((r, e) -> closeQuietly(channel));
        try {
            channel.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), null,
                    new CompletionHandler<Void, Void>() {
                        @Override
                        public void completed(Void v, Void attachment) {
                            result.complete(ProbeResult.healthy());
                        }

                        @Override
                        public void failed(Throwable e, Void attachment) {
                            result.completeExceptionally(e);
                        }
                    });
        } catch (RuntimeException e) {
            result.completeExceptionally(e); // e.g. an unresolved host
        }
        return result;
    }

    private static void closeQuietly(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    @Override
    public String toString() {
        return "Probe.tcp()";
    }
}
