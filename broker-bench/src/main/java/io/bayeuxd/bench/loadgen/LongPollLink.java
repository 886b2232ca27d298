package io.bayeuxd.bench.loadgen;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * A {@link Link} over one keep-alive HTTP/1.1 connection, as a browser uses for long-polling: one
 * POST at a time, so whatever is sent while a request is outstanding (a held {@code /meta/connect},
 * say) waits and leaves as one batch, one JSON array, in the next POST. Sits last in the pipeline,
 * after the HTTP client codec and an aggregator, so it sees whole responses.
 */
final class LongPollLink extends NettyLink {

    private final String path;
    private final String hostHeader;
    private final CookieJar cookies;
    /** Frames waiting for the next POST; each is a JSON array as written by {@link RequestEncoder}. */
    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    private boolean requestInFlight;

    LongPollLink(LinkListener listener, String path, String hostHeader, CookieJar cookies) {
        super(listener);
        this.path = path;
        this.hostHeader = hostHeader;
        this.cookies = cookies;
    }

    @Override
    public boolean send(ByteBuf frame) {
        if (!isUp()) {
            frame.release();
            return false;
        }
        pending.add(frame);
        return true;
    }

    @Override
    public void flush() {
        if (!isUp() || requestInFlight || pending.isEmpty()) {
            return;
        }
        ByteBuf body = mergePending();
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path, body);
        request.headers()
                .set(HttpHeaderNames.HOST, hostHeader)
                .set(HttpHeaderNames.CONTENT_TYPE, "application/json;charset=UTF-8")
                .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        cookies.addTo(request.headers());
        requestInFlight = true;
        channel.writeAndFlush(request, channel.voidPromise());
    }

    /** Joins the pending arrays {@code [a]}, {@code [b]} into {@code [a,b]}; the pending frames are released. */
    private ByteBuf mergePending() {
        if (pending.size() == 1) {
            return pending.poll();
        }
        int size = 0;
        for (ByteBuf frame : pending) {
            size += frame.readableBytes();
        }
        ByteBuf body = channel.alloc().buffer(size);
        body.writeByte('[');
        ByteBuf frame;
        boolean first = true;
        while ((frame = pending.poll()) != null) {
            try {
                if (!first) {
                    body.writeByte(',');
                }
                first = false;
                // Drop the frame's own '[' and ']'.
                body.writeBytes(frame, frame.readerIndex() + 1, frame.readableBytes() - 2);
            } finally {
                frame.release();
            }
        }
        body.writeByte(']');
        return body;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        comeUp();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpResponse)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        FullHttpResponse response = (FullHttpResponse) msg;
        try {
            requestInFlight = false;
            cookies.store(response.headers());
            if (!response.status().equals(HttpResponseStatus.OK)) {
                closeBecause(ctx, "HTTP " + response.status());
                return;
            }
            listener.onFrame(this, response.content());
        } finally {
            response.release();
        }
        // The listener usually answers at once (the next connect); this sends it together with
        // anything that queued while the request was held.
        flush();
    }

    @Override
    protected String closedReason() {
        return requestInFlight ? "closed with a request outstanding" : "closed";
    }

    @Override
    protected void onDown() {
        ByteBuf frame;
        while ((frame = pending.poll()) != null) {
            frame.release();
        }
    }
}
