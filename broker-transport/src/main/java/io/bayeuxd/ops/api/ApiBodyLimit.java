package io.bayeuxd.ops.api;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Map;

/**
 * The management port's {@link HttpObjectAggregator} while the API is on: the same aggregation, but a
 * request whose body is over the limit (by its {@code Content-Length}, before any of it is buffered, or as
 * its chunks arrive) is answered 413 with a JSON error, and the connection closes, since the rest of the
 * body is not read.
 */
public final class ApiBodyLimit extends HttpObjectAggregator {
    private final int maxBytes;

    public ApiBodyLimit(int maxBytes) {
        super(maxBytes);
        this.maxBytes = maxBytes;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        // The aggregator releases `oversized` after this returns.
        if (oversized instanceof HttpRequest) {
            try {
                ApiHttpHandler.writeJson(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                        ApiJson.write(ctx.alloc(), Map.of("error", "the body is over " + maxBytes + " bytes")), false, null);
            } catch (java.io.IOException e) {
                ctx.close();
            }
        } else {
            ctx.close();
        }
    }
}
