package io.bayeuxd.transport.longpoll;

import io.bayeuxd.transport.http.HttpResponses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.concurrent.EventExecutor;

import java.nio.charset.StandardCharsets;

/** The answer to a polling request of this node: an HTTP response, wrapped for JSONP when asked. */
final class HttpPollReply implements PollReply {
    private static final byte[] JSONP_PREFIX = "/**/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JSONP_SUFFIX = ");".getBytes(StandardCharsets.US_ASCII);

    private final PollRequest request;

    HttpPollReply(PollRequest request) {
        this.request = request;
    }

    @Override
    public EventExecutor executor() {
        return request.ctx().executor();
    }

    @Override
    public ByteBufAllocator alloc() {
        return request.ctx().alloc();
    }

    @Override
    public void send(ByteBuf json) {
        ByteBuf body = request.jsonpCallback() == null ? json : wrapJsonp(json);
        ChannelFutureListener done = f -> request.onDone().run();
        HttpResponses.sendBayeux(request.ctx(), body, request.jsonpCallback() != null, request.origin(), request.keepAlive(), done);
    }

    @Override
    public void abandoned() {
        request.onDone().run();
    }

    /** {@code /**}{@code /callback(json);}: the comment guards against content sniffing, as Faye does. Releases {@code json}. */
    private ByteBuf wrapJsonp(ByteBuf json) {
        String callback = request.jsonpCallback();
        try {
            ByteBuf body = alloc().buffer(json.readableBytes() + callback.length() + 8);
            body.writeBytes(JSONP_PREFIX).writeCharSequence(callback, StandardCharsets.US_ASCII);
            body.writeByte('(').writeBytes(json).writeBytes(JSONP_SUFFIX);
            return body;
        } finally {
            json.release();
        }
    }
}
