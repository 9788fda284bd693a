package io.proxima.server;

import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * The listening socket, bound before anything else starts: a port in use is one readable error at
 * once — not after recovering every curriculum, and not Jetty's stack trace of its failed start.
 * Jetty's connector then accepts on this very socket ({@link #connector}).
 */
final class Listener implements AutoCloseable {
    private final ServerSocketChannel channel;

    private Listener(ServerSocketChannel channel) {
        this.channel = channel;
    }

    static Listener bind(String host, int port) {
        ServerSocketChannel ch = null;
        try {
            ch = ServerSocketChannel.open();
            ch.socket().setReuseAddress(true); // as Jetty does: a restart binds while old connections linger in TIME_WAIT
            ch.bind(new InetSocketAddress(host, port), 1024);
            return new Listener(ch);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            String why = e instanceof BindException ? "the port is in use or the address is not this machine's"
                    : e.getMessage() == null ? e.toString() : e.getMessage();
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + why
                    + (port != 0 ? " (another server? choose another --port, or 0 for a free one)" : ""), e);
        }
    }

    int port() {
        return channel.socket().getLocalPort();
    }

    /** A Jetty connector that accepts on the bound socket (Jetty closes it when it stops). */
    ServerConnector connector(Server server, ConnectionFactory factory, long idleTimeoutMillis) {
        ServerConnector c = new ServerConnector(server, factory) {
            @Override
            protected ServerSocketChannel openAcceptChannel() {
                return channel;
            }
        };
        c.setHost(channel.socket().getInetAddress().getHostAddress());
        c.setPort(port());
        c.setIdleTimeout(idleTimeoutMillis);
        return c;
    }

    /** Closes the socket (Jetty closes it too when it stops; closing twice is harmless). */
    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(ServerSocketChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing was served on it
        }
    }
}
