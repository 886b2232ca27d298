package io.bayeuxd.server;

import io.bayeuxd.ops.BrokerMetrics;
import io.bayeuxd.ops.OpsHttpHandler;
import io.bayeuxd.ops.Readiness;
import io.bayeuxd.ops.api.ApiBodyLimit;
import io.bayeuxd.ops.api.ApiHttpHandler;
import io.bayeuxd.transport.http.HttpResponses;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * The pipeline of a connection to the management port: plain HTTP with {@code /metrics}, {@code /healthz}
 * and {@code /readyz}, the HTTP API under {@code /api} when {@code --api-key} is set, and 404 for anything
 * else. No Bayeux, no WebSocket. Its connections are not in the
 * traffic port's channel group, so a drain leaves them open: {@code /readyz} reports the drain here too.
 */
final class ManagementChannelInitializer extends ChannelInitializer<SocketChannel> {
    /** The operations requests are GETs; a small body limit is plenty. */
    private static final int MAX_REQUEST_BYTES = 8 * 1024;
    private static final int MAX_WAITING = 4;

    private final Readiness readiness;
    private final BrokerMetrics metrics;
    private final ChannelGroup channels;
    private final long idleTimeoutMs;
    /** The API, or {@code null} when it is off. */
    private final ApiHttpHandler api;
    private final int apiMaxBodyBytes;

    ManagementChannelInitializer(Readiness readiness, BrokerMetrics metrics, ChannelGroup channels, long idleTimeoutMs) {
        this(readiness, metrics, channels, idleTimeoutMs, null, 0);
    }

    /**
     * @param api             the HTTP API's handler, or {@code null} for none
     * @param apiMaxBodyBytes the largest request body while the API is on (413 above)
     */
    ManagementChannelInitializer(Readiness readiness, BrokerMetrics metrics, ChannelGroup channels, long idleTimeoutMs,
                                 ApiHttpHandler api, int apiMaxBodyBytes) {
        this.readiness = readiness;
        this.metrics = metrics;
        this.channels = channels;
        this.idleTimeoutMs = idleTimeoutMs;
        this.api = api;
        this.apiMaxBodyBytes = apiMaxBodyBytes;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        channels.add(ch);
        if (idleTimeoutMs > 0) {
            ch.pipeline().addLast("idle", new IdleConnectionCloser(idleTimeoutMs));
        }
        ch.pipeline().addLast("http-codec", new HttpServerCodec())
                .addLast("http-aggregator", api == null ? new HttpObjectAggregator(MAX_REQUEST_BYTES) : new ApiBodyLimit(apiMaxBodyBytes))
                .addLast("ops", new OpsHttpHandler(readiness, metrics, MAX_WAITING, true));
        if (api != null) {
            ch.pipeline().addLast("api", api);
        }
        ch.pipeline().addLast("not-found", NotFound.INSTANCE);
    }

    /** Whatever the operations handler passes on is not served here. */
    @ChannelHandler.Sharable
    static final class NotFound extends ChannelInboundHandlerAdapter {
        static final NotFound INSTANCE = new NotFound();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof FullHttpRequest request) {
                    boolean ok = request.decoderResult().isSuccess();
                    HttpResponses.sendText(ctx, ok ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.BAD_REQUEST,
                            ok ? "Not found" : "Bad request", ok && HttpUtil.isKeepAlive(request));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
