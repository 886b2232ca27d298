package io.bayeuxd.transport.websocket;

import io.bayeuxd.transport.TransportConfig;
import io.bayeuxd.transport.http.ClientAddress;
import io.bayeuxd.transport.http.HttpRequestContext;
import io.bayeuxd.transport.http.HttpResponses;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Turns an HTTP connection into a Bayeux WebSocket when a GET under the mount asks to upgrade; passes
 * every other request on to the HTTP handler. Sits after {@code HttpObjectAggregator}.
 *
 * <p>On upgrade it replaces itself and the HTTP handlers with a frame aggregator, an optional ping
 * timer and a {@link BayeuxWebSocketHandler}, and once the handshake is written fires
 * {@link WebSocketUpgraded} from the head of the pipeline. Faye accepts the upgrade on any path under
 * its mount, so this does too.
 */
public final class WebSocketUpgradeHandler extends ChannelInboundHandlerAdapter {
    private final TransportConfig config;
    private final Supplier<BayeuxWebSocketHandler> handlers;

    public WebSocketUpgradeHandler(TransportConfig config, Supplier<BayeuxWebSocketHandler> handlers) {
        this.config = config;
        this.handlers = handlers;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request) || !isUpgrade(request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            upgrade(ctx, request);
        } finally {
            ReferenceCountUtil.release(request);
        }
    }

    private static boolean isUpgrade(FullHttpRequest request) {
        return request.method().equals(HttpMethod.GET)
                && request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        if (!config.isUnderMount(path)) {
            HttpResponses.sendText(ctx, HttpResponseStatus.NOT_FOUND, "Not found", false);
            return;
        }
        if (!config.isOriginAllowed(request.headers().get(HttpHeaderNames.ORIGIN))) {
            HttpResponses.sendText(ctx, HttpResponseStatus.FORBIDDEN, "Forbidden origin", false);
            return;
        }
        String url = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri();
        WebSocketServerHandshakerFactory factory =
                new WebSocketServerHandshakerFactory(url, null, true, config.maxMessageBytes());
        WebSocketServerHandshaker handshaker = factory.newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        BayeuxWebSocketHandler handler = handlers.get();
        handler.upgraded(handshaker, new HttpRequestContext("websocket",
                ClientAddress.resolve(ctx.channel().remoteAddress(), request.headers(), config.trustedProxies()), request.headers().copy()));
        // Install the frame handlers before the handshake swaps the codec: no read can come in between,
        // since this runs on the channel's event loop.
        ChannelPipeline p = ctx.pipeline();
        String self = ctx.name();
        if (config.pingIntervalMs() > 0) {
            p.addAfter(self, "ws-idle", new IdleStateHandler(0, config.pingIntervalMs(), 0, TimeUnit.MILLISECONDS));
            p.addAfter("ws-idle", "ws-aggregator", new WebSocketFrameAggregator(config.maxMessageBytes()));
        } else {
            p.addAfter(self, "ws-aggregator", new WebSocketFrameAggregator(config.maxMessageBytes()));
        }
        p.addAfter("ws-aggregator", "ws-bayeux", handler);
        Channel channel = ctx.channel();
        handshaker.handshake(channel, request).addListener(f -> {
            if (f.isSuccess()) {
                channel.pipeline().fireUserEventTriggered(WebSocketUpgraded.INSTANCE);
            } else {
                channel.close();
            }
        });
        p.remove(self);
        if (p.get("bayeux-http") != null) {
            p.remove("bayeux-http");
        }
    }
}
