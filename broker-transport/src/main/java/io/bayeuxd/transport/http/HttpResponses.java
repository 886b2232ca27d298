package io.bayeuxd.transport.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * Writes the broker's HTTP responses with the headers Faye sends: no caching, no MIME sniffing, and the
 * caller's {@code Origin} echoed for credentialed CORS.
 */
public final class HttpResponses {
    static final AsciiString X_CONTENT_TYPE_OPTIONS = AsciiString.cached("x-content-type-options");
    static final AsciiString TRUE = AsciiString.cached("true");
    static final AsciiString JSON = AsciiString.cached("application/json; charset=utf-8");
    static final AsciiString JAVASCRIPT = AsciiString.cached("text/javascript; charset=utf-8");
    static final AsciiString TEXT = AsciiString.cached("text/plain; charset=utf-8");
    static final AsciiString NO_CACHE = AsciiString.cached("no-cache, no-store");
    static final AsciiString NOSNIFF = AsciiString.cached("nosniff");

    private HttpResponses() {
    }

    /**
     * Sends {@code body} (TAKES OWNERSHIP) with status 200 and the Bayeux headers; closes the connection
     * afterwards unless {@code keepAlive}.
     */
    public static void sendBayeux(ChannelHandlerContext ctx, ByteBuf body, boolean jsonp, String origin, boolean keepAlive,
                                  ChannelFutureListener onWritten) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        res.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, jsonp ? JAVASCRIPT : JSON)
                .set(HttpHeaderNames.CACHE_CONTROL, NO_CACHE)
                .set(X_CONTENT_TYPE_OPTIONS, NOSNIFF)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (jsonp) {
            res.headers().set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=f.txt");
        }
        if (origin != null) {
            res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE)
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        }
        write(ctx, res, keepAlive, onWritten);
    }

    /** A short plain-text error, e.g. {@code 400 Bad request}. */
    public static void sendText(ChannelHandlerContext ctx, HttpResponseStatus status, String text, boolean keepAlive) {
        ByteBuf body = ByteBufUtil.writeUtf8(ctx.alloc(), text);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, TEXT)
                .set(HttpHeaderNames.CACHE_CONTROL, NO_CACHE)
                .set(X_CONTENT_TYPE_OPTIONS, NOSNIFF)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        write(ctx, res, keepAlive, null);
    }

    /** Answers {@code 405 Method not allowed} unless {@code request} is a GET or a HEAD; returns whether it did. */
    static boolean refuseUnlessGetOrHead(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
        HttpMethod method = request.method();
        if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)) {
            return false;
        }
        sendText(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "Method not allowed", keepAlive);
        return true;
    }

    /** {@code 301 Moved Permanently} to {@code location}, with a short text body. */
    static void sendRedirect(ChannelHandlerContext ctx, String location, boolean keepAlive) {
        ByteBuf body = ByteBufUtil.writeUtf8(ctx.alloc(), "Moved to " + location);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.MOVED_PERMANENTLY, body);
        res.headers().set(HttpHeaderNames.LOCATION, location)
                .set(HttpHeaderNames.CONTENT_TYPE, TEXT)
                .set(X_CONTENT_TYPE_OPTIONS, NOSNIFF)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        write(ctx, res, keepAlive, null);
    }

    static void write(ChannelHandlerContext ctx, FullHttpResponse res, boolean keepAlive, ChannelFutureListener onWritten) {
        HttpUtil.setKeepAlive(res, keepAlive);
        var future = ctx.writeAndFlush(res);
        if (onWritten != null) {
            future.addListener(onWritten);
        }
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
