package io.bayeuxd.bench.loadgen;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
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

import java.net.URI;

/**
 * Opens {@link Link}s of the configured transport. Pipelines, first handler first:
 * <ul>
 *   <li>WebSocket: HTTP client codec, aggregator (upgrade response only), Netty's client protocol
 *       handler (upgrade, masking, ping/pong, close), frame aggregator, {@link WebSocketLink};</li>
 *   <li>long-polling: HTTP client codec, aggregator, {@link LongPollLink}.</li>
 * </ul>
 */
public final class LinkFactory implements LinkOpener {

    /** Largest frame or response body accepted; a long-poll reply may carry many batched deliveries. */
    static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;
    static final int CONNECT_TIMEOUT_MS = 10_000;
    static final int WEBSOCKET_UPGRADE_TIMEOUT_MS = 10_000;

    private final TransportKind transport;
    private final String host;
    private final int port;
    private final String path;
    private final String hostHeader;
    private final Class<? extends SocketChannel> channelClass;
    private final WebSocketClientProtocolConfig webSocketConfig;

    LinkFactory(LoadConfig config, Class<? extends SocketChannel> channelClass) {
        this(config.transport(), config.host(), config.port(), config.path(), config.hostHeader(), channelClass);
    }

    /**
     * For other tools of this module (the soak driver): links of {@code transport} to
     * {@code http://host:port/path}. The caller has checked that {@code host} is a loopback address.
     *
     * @param hostHeader the {@code Host} header, {@code host:port} with an IPv6 literal in brackets
     */
    public LinkFactory(TransportKind transport, String host, int port, String path, String hostHeader,
                       Class<? extends SocketChannel> channelClass) {
        this.transport = transport;
        this.host = host;
        this.port = port;
        this.path = path;
        this.hostHeader = hostHeader;
        this.channelClass = channelClass;
        this.webSocketConfig = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(URI.create("ws://" + hostHeader + path))
                .version(WebSocketVersion.V13)
                .allowExtensions(false)
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
    public Link open(EventLoop loop, LinkListener listener, CookieJar cookies) {
        if (transport == TransportKind.WEBSOCKET) {
            WebSocketLink link = new WebSocketLink(listener);
            connect(loop, new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ChannelPipeline p = ch.pipeline();
                    p.addLast(new HttpClientCodec());
                    p.addLast(new HttpObjectAggregator(64 * 1024));
                    p.addLast(new WebSocketClientProtocolHandler(webSocketConfig));
                    p.addLast(new WebSocketFrameAggregator(MAX_FRAME_BYTES));
                    p.addLast(link);
                }
            }).addListener(f -> {
                if (!f.isSuccess()) {
                    link.connectFailed(f.cause());
                }
            });
            return link;
        }
        LongPollLink link = new LongPollLink(listener, path, hostHeader, cookies);
        connect(loop, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ChannelPipeline p = ch.pipeline();
                p.addLast(new HttpClientCodec());
                p.addLast(new HttpObjectAggregator(MAX_FRAME_BYTES));
                p.addLast(link);
            }
        }).addListener(f -> {
            if (!f.isSuccess()) {
                link.connectFailed(f.cause());
            }
        });
        return link;
    }

    private ChannelFuture connect(EventLoop loop, ChannelInitializer<Channel> initializer) {
        return new Bootstrap()
                .group(loop)
                .channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .handler(initializer)
                .connect(host, port);
    }
}
