package io.bayeuxd.bench.cometd;

import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.server.BayeuxServerImpl;
import org.cometd.server.http.JSONHttpTransport;
import org.cometd.server.http.JSONPHttpTransport;
import org.cometd.server.http.jakarta.CometDServlet;
import org.cometd.server.websocket.jetty.JettyWebSocketTransport;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Context;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

import java.util.Objects;

/**
 * A stock CometD 9 server on embedded Jetty 12, the way CometD's documentation sets one up: the
 * {@link CometDServlet} in a servlet context (Jakarta EE 11, which CometD 9.0.0 is built against),
 * serving {@code /cometd} over WebSocket, long-polling and callback-polling.
 *
 * <p>Everything is at its default except what the benchmark must set:
 * <ul>
 *   <li>{@code timeout}, the hold time of {@code /meta/connect}, so that every server in a comparison holds
 *       connects equally long;</li>
 *   <li>the WebSocket transport. CometD's default one needs the Jakarta WebSocket transport
 *       ({@code cometd-java-server-websocket-jakarta}), which is not published for 9.0.0; its
 *       Jetty-native {@link JettyWebSocketTransport} is, and needs a Jetty {@link WebSocketUpgradeHandler}
 *       in the context and the context named in the options. The list of transports is otherwise
 *       CometD's default one: WebSocket, long-polling, callback-polling.</li>
 * </ul>
 */
public final class CometDServer implements AutoCloseable {

    /** Path that serves Bayeux, for HTTP and the WebSocket upgrade alike. */
    public static final String PATH = "/cometd";
    /** CometD's own default {@code timeout}. */
    public static final long DEFAULT_TIMEOUT_MS = 30_000;

    private final Server server;
    private final ServerConnector connector;
    private final BayeuxServerImpl bayeux;

    /**
     * @param host      bind address
     * @param port      TCP port, 0 for any free one (see {@link #port()})
     * @param timeoutMs how long a {@code /meta/connect} is held
     */
    public CometDServer(String host, int port, long timeoutMs) {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
        }
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("timeout must be positive: " + timeoutMs + " ms");
        }
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        server.setHandler(context);
        // Answers WebSocket upgrades on the mappings the CometD transport adds; everything else passes on to the servlet.
        context.insertHandler(WebSocketUpgradeHandler.from(server, context));

        bayeux = new BayeuxServerImpl();
        bayeux.setOption("timeout", timeoutMs);
        bayeux.setOption(BayeuxServerImpl.TRANSPORTS_OPTION, String.join(",",
                JettyWebSocketTransport.class.getName(),
                JSONHttpTransport.class.getName(),
                JSONPHttpTransport.class.getName()));
        bayeux.setOption("cometdURLMapping", PATH + "/*");
        bayeux.setOption(Context.class.getName(), context.getContext());
        // CometDServlet uses a BayeuxServer it finds in the context, and starts it in its init().
        context.setAttribute(BayeuxServer.ATTRIBUTE, bayeux);

        ServletHolder cometd = new ServletHolder("cometd", CometDServlet.class);
        cometd.setInitOrder(1);
        cometd.setAsyncSupported(true);
        context.addServlet(cometd, PATH + "/*");
    }

    /** Binds and starts; returns this. */
    public CometDServer start() throws Exception {
        server.start();
        return this;
    }

    /** The port bound, once started. */
    public int port() {
        return connector.getLocalPort();
    }

    public BayeuxServer bayeux() {
        return bayeux;
    }

    /** Waits until the server has stopped. */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
