package io.bayeuxd.transport.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Answers a CORS preflight the way Faye does: echo the origin, allow credentials, cache for a day. */
final class CorsPreflight {
    private static final String ALLOWED_HEADERS = "Accept, Authorization, Content-Type, Pragma, X-Requested-With";
    private static final String ALLOWED_METHODS = "POST, GET";
    private static final String MAX_AGE = "86400";

    private CorsPreflight() {
    }

    static void respond(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            origin = request.headers().get(HttpHeaderNames.REFERER);
        }
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER);
        res.headers()
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, HttpResponses.TRUE)
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS)
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS)
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin == null ? "*" : origin)
                .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, MAX_AGE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        HttpResponses.write(ctx, res, keepAlive, null);
    }
}
