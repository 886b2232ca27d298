package io.bayeuxd.transport.websocket;

import io.bayeuxd.protocol.ConnectionTypes;
import io.bayeuxd.transport.TransportConfig;
import io.bayeuxd.transport.http.ClientAddress;
import io.bayeuxd.transport.http.HeaderCopy;
import io.bayeuxd.transport.http.HttpRequestContext;
import io.bayeuxd.transport.http.HttpResponses;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Turns an HTTP connection into a Bayeux WebSocket when a GET under the mount asks to upgrade; passes
 * every other request on to the HTTP handler. Sits after {@code HttpObjectAggregator}.
 *
 * <p>On upgrade it replaces itself and the HTTP handlers with, when the client offers
 * {@code permessage-deflate} and {@code --websocket-compression} allows it, Netty's inflater and deflater
 * ({@link DeflateNegotiation}), a UTF-8 check, an optional ping timer, a frame aggregator and a
 * {@link BayeuxWebSocketHandler}, and once the handshake is written fires
 * {@link WebSocketUpgraded} from the head of the pipeline. Faye accepts the upgrade on any path under
 * its mount, so this does too.
 */
public final class WebSocketUpgradeHandler extends ChannelInboundHandlerAdapter {
    private final TransportConfig config;
    private final Supplier<BayeuxWebSocketHandler> handlers;
    /** Null when {@code --websocket-compression false}: no extension is negotiated. */
    private final DeflateNegotiation deflate;
    /** Compressed push frames and their counters, shared by every connection. */
    private final DeflatedFrames deflatedFrames;

    /** @param deflatedFrames the server's one {@link DeflatedFrames}: counts compressed upgrades, and writes their pushes with {@code --websocket-compress-once} */
    public WebSocketUpgradeHandler(TransportConfig config, Supplier<BayeuxWebSocketHandler> handlers, DeflatedFrames deflatedFrames) {
        this.config = config;
        this.handlers = handlers;
        this.deflatedFrames = deflatedFrames;
        this.deflate = config.websocketCompression() ? new DeflateNegotiation(config.maxMessageBytes()) : null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // A request the HTTP decoder could not read goes on to the HTTP handler, which answers 400 and closes.
        if (!(msg instanceof FullHttpRequest request) || !isUpgrade(request) || !request.decoderResult().isSuccess()) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            upgrade(ctx, request);
        } finally {
            ReferenceCountUtil.release(request);
        }
    }

    /**
     * The parts of an RFC 6455 upgrade request Netty's handshaker would otherwise fail on after the
     * pipeline has been changed: a key, a version, and {@code Connection: Upgrade}.
     */
    private static boolean isCompleteUpgrade(FullHttpRequest request) {
        return request.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_KEY)
                && request.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_VERSION)
                && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    private static boolean isUpgrade(FullHttpRequest request) {
        return request.method().equals(HttpMethod.GET)
                && request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request) {
        String path;
        try {
            path = new QueryStringDecoder(request.uri()).path();
        } catch (IllegalArgumentException e) {
            HttpResponses.sendText(ctx, HttpResponseStatus.BAD_REQUEST, "Bad request", false);
            return;
        }
        if (!config.isUnderMount(path)) {
            HttpResponses.sendText(ctx, HttpResponseStatus.NOT_FOUND, "Not found", false);
            return;
        }
        if (!config.isOriginAllowed(request.headers().get(HttpHeaderNames.ORIGIN))) {
            HttpResponses.sendText(ctx, HttpResponseStatus.FORBIDDEN, "Forbidden origin", false);
            return;
        }
        if (!isCompleteUpgrade(request)) {
            HttpResponses.sendText(ctx, HttpResponseStatus.BAD_REQUEST, "Bad request", false);
            return;
        }
        String url = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri();
        WebSocketServerExtension compression = deflate == null ? null : deflate.accept(request.headers());
        // Without an extension, frames with reserved bits set are protocol errors (1002).
        WebSocketServerHandshakerFactory factory =
                new WebSocketServerHandshakerFactory(url, null, compression != null, config.maxMessageBytes());
        WebSocketServerHandshaker handshaker = factory.newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        BayeuxWebSocketHandler handler = handlers.get();
        handler.upgraded(handshaker, new HttpRequestContext(ConnectionTypes.WEBSOCKET,
                ClientAddress.resolve(ctx.channel().remoteAddress(), request.headers(), config.trustedProxies()), HeaderCopy.of(request.headers())),
                compression != null && config.websocketCompressOnce() ? deflatedFrames : null);
        // Install the frame handlers before the handshake swaps the codec: no read can come in between,
        // since this runs on the channel's event loop.
        ChannelPipeline p = ctx.pipeline();
        String self = ctx.name();
        // Text must be UTF-8 (RFC 6455 8.1): the validator raises a 1007 that the Bayeux handler answers.
        p.addAfter(self, "ws-utf8", new Utf8FrameValidator(false));
        HttpHeaders responseHeaders = null;
        if (compression != null) {
            // In front of the UTF-8 check and the aggregator, which must see inflated frames; written frames
            // pass the encoder on their way to Netty's frame encoder.
            p.addBefore("ws-utf8", "ws-inflate", compression.newExtensionDecoder());
            p.addBefore("ws-utf8", "ws-deflate", compression.newExtensionEncoder());
            responseHeaders = new DefaultHttpHeaders().set(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS,
                    DeflateNegotiation.responseHeader(compression));
        }
        ChannelHandlerContext codec = p.context(HttpServerCodec.class);
        if (codec != null) {
            p.addAfter(codec.name(), "ws-handover", new UpgradeLeftoverHandover());
        }
        if (config.pingIntervalMs() > 0) {
            p.addAfter("ws-utf8", "ws-idle", new IdleStateHandler(0, config.pingIntervalMs(), 0, TimeUnit.MILLISECONDS));
            p.addAfter("ws-idle", "ws-aggregator", new WebSocketFrameAggregator(config.maxMessageBytes()));
        } else {
            p.addAfter("ws-utf8", "ws-aggregator", new WebSocketFrameAggregator(config.maxMessageBytes()));
        }
        p.addAfter("ws-aggregator", "ws-bayeux", handler);
        Channel channel = ctx.channel();
        io.netty.channel.ChannelFuture handshake;
        try {
            handshake = handshaker.handshake(channel, request, responseHeaders, channel.newPromise());
        } catch (RuntimeException e) {
            // Netty refused the request after all: answer it as HTTP still can, and close.
            p.remove("ws-bayeux");
            p.remove("ws-aggregator");
            if (p.get("ws-idle") != null) {
                p.remove("ws-idle");
            }
            p.remove("ws-utf8");
            if (p.get("ws-inflate") != null) {
                p.remove("ws-inflate");
                p.remove("ws-deflate");
            }
            if (p.get("ws-handover") != null) {
                p.remove("ws-handover");
            }
            HttpResponses.sendText(ctx, HttpResponseStatus.BAD_REQUEST, "Bad request", false);
            return;
        }
        handshake.addListener(f -> {
            if (f.isSuccess()) {
                if (compression != null) {
                    deflatedFrames.onCompressedUpgrade();
                }
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
