package io.bayeuxd.server;

import io.bayeuxd.ops.BrokerMetrics;
import io.bayeuxd.ops.OpsHttpHandler;
import io.bayeuxd.ops.Readiness;
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
 * and {@code /readyz}, and 404 for anything else. No Bayeux, no WebSocket. Its connections are not in the
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

    ManagementChannelInitializer(Readiness readiness, BrokerMetrics metrics, ChannelGroup channels, long idleTimeoutMs) {
        this.readiness = readiness;
        this.metrics = metrics;
        this.channels = channels;
        this.idleTimeoutMs = idleTimeoutMs;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        channels.add(ch);
        if (idleTimeoutMs > 0) {
            ch.pipeline().addLast("idle", new IdleConnectionCloser(idleTimeoutMs));
        }
        ch.pipeline().addLast("http-codec", new HttpServerCodec())
                .addLast("http-aggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES))
                .addLast("ops", new OpsHttpHandler(readiness, metrics, MAX_WAITING, true))
                .addLast("not-found", NotFound.INSTANCE);
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
