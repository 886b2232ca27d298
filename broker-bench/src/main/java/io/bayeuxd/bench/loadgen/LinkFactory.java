package io.bayeuxd.bench.loadgen;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;

/**
 * Opens {@link Link}s to one server, of either transport. Pipelines, first handler first:
 * <ul>
 *   <li>WebSocket: HTTP client codec, aggregator (upgrade response only), with {@code --deflate} Netty's
 *       client compression handler, Netty's client protocol
 *       handler (upgrade, masking, ping/pong, close), frame aggregator, {@link WebSocketLink};</li>
 *   <li>long-polling: HTTP client codec, aggregator, {@link LongPollLink}.</li>
 * </ul>
 */
public final class LinkFactory implements LinkOpener {

    /** Largest frame or response body accepted; a long-poll reply may carry many batched deliveries. */
    static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;
    static final int CONNECT_TIMEOUT_MS = 10_000;
    static final int WEBSOCKET_UPGRADE_TIMEOUT_MS = 10_000;

    private final ServerUrl server;
    private final Class<? extends SocketChannel> channelClass;
    private final WebSocketClientProtocolConfig webSocketConfig;

    private final boolean deflate;

    /** Links to {@code server}, over sockets of {@code channelClass}. */
    public LinkFactory(ServerUrl server, Class<? extends SocketChannel> channelClass) {
        this(server, channelClass, false);
    }

    /** @param deflate whether WebSockets offer {@code permessage-deflate} (Netty's client compression handler) */
    public LinkFactory(ServerUrl server, Class<? extends SocketChannel> channelClass, boolean deflate) {
        this.server = server;
        this.channelClass = channelClass;
        this.deflate = deflate;
        this.webSocketConfig = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(server.webSocketUri())
                .version(WebSocketVersion.V13)
                .allowExtensions(deflate)
                .maxFramePayloadLength(MAX_FRAME_BYTES)
                .handshakeTimeoutMillis(WEBSOCKET_UPGRADE_TIMEOUT_MS)
                .handleCloseFrames(true)
                .dropPongFrames(true)
                .generateOriginHeader(false)
                .build();
    }

    /**
     * Starts connecting a link on {@code loop}. The link is returned at once; {@code listener}
     * learns on that loop whether it came up or went down.
     */
    @Override
    public Link open(TransportKind transport, EventLoop loop, LinkListener listener, CookieJar cookies) {
        boolean webSocket = transport == TransportKind.WEBSOCKET;
        NettyLink link = webSocket
                ? new WebSocketLink(listener)
                : new LongPollLink(listener, server.path(), server.hostHeader(), cookies);
        new Bootstrap()
                .group(loop)
                .channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast(new HttpClientCodec());
                        if (webSocket) {
                            p.addLast(new HttpObjectAggregator(64 * 1024)); // the upgrade response only
                            if (deflate) {
                                // Offers the extension in the upgrade, then inflates and deflates frames.
                                p.addLast(new WebSocketClientCompressionHandler(MAX_FRAME_BYTES));
                            }
                            p.addLast(new WebSocketClientProtocolHandler(webSocketConfig));
                            p.addLast(new WebSocketFrameAggregator(MAX_FRAME_BYTES));
                        } else {
                            p.addLast(new HttpObjectAggregator(MAX_FRAME_BYTES));
                        }
                        p.addLast(link);
                    }
                })
                .connect(server.host(), server.port())
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        link.connectFailed(f.cause());
                    }
                });
        return link;
    }
}
