package io.bayeuxd.transport.longpoll;

import io.bayeuxd.broker.RequestContext;
import io.netty.channel.ChannelHandlerContext;

/**
 * One HTTP polling request after the transport has pulled out its message: where to answer and how.
 *
 * @param jsonpCallback the JSONP function name for callback-polling, or {@code null} for JSON
 * @param origin        the {@code Origin} to echo for CORS, or {@code null}
 * @param onDone        runs on the event loop once the response is written or abandoned
 */
public record PollRequest(ChannelHandlerContext ctx, RequestContext context, String jsonpCallback, String origin,
                          boolean keepAlive, Runnable onDone) {
}
