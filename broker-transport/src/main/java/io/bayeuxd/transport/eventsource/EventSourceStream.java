package io.bayeuxd.transport.eventsource;

import io.bayeuxd.broker.Broker;
import io.bayeuxd.fanout.FrameWriter;
import io.bayeuxd.session.DeliveryTarget;
import io.bayeuxd.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One {@code GET <mount>/<clientId>} with {@code Accept: text/event-stream}, as Faye's browser client
 * opens it: the response stays open and becomes the session's delivery target, and each batch of
 * messages goes down it as one event, {@code data: [..]}. A comment line every ping interval keeps
 * proxies from closing it. It ends when the client goes, the session ends, or the server drains.
 *
 * <p>Runs on its connection's event loop. Each frame from {@link FrameWriter} is owned here until it is
 * wrapped and handed to Netty's write.
 */
public final class EventSourceStream implements DeliveryTarget, Session.BackPressured {
    /** How long the browser waits before it opens the stream again, as Faye's server tells it. */
    private static final byte[] RETRY = "retry: 5000\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PING = ":\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ChannelHandlerContext ctx;
    private final FrameWriter frames;
    private final Session session;
    private ScheduledFuture<?> pinger;
    private boolean closed;

    private EventSourceStream(ChannelHandlerContext ctx, FrameWriter frames, Session session) {
        this.ctx = ctx;
        this.frames = frames;
        this.session = session;
    }

    /**
     * Answers the stream request of {@code clientId}: 404 when there is no such session, else the
     * stream's head, and the session's messages from then on.
     *
     * @param origin the request's {@code Origin}, already allowed, or null
     * @return the open stream, or null when the request was answered with an error
     */
    public static EventSourceStream open(ChannelHandlerContext ctx, Broker broker, FrameWriter frames, String clientId,
                                         String origin, long pingMs) {
        Session session = clientId == null ? null : broker.engine().session(clientId);
        if (session == null || session.isLocal()) {
            HttpResponse missing = new io.netty.handler.codec.http.DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.NOT_FOUND, Unpooled.copiedBuffer("Unknown client", StandardCharsets.US_ASCII));
            missing.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, "Unknown client".length())
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(missing).addListener(ChannelFutureListener.CLOSE);
            return null;
        }
        EventSourceStream stream = new EventSourceStream(ctx, frames, session);
        stream.start(origin, pingMs);
        return stream;
    }

    private void start(String origin, long pingMs) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (origin != null) {
            head.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
        ctx.write(head);
        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(RETRY)));
        // The client never writes on this connection: reading nothing is no sign of a dead peer here.
        IdleStateHandler idle = ctx.pipeline().get(IdleStateHandler.class);
        if (idle != null) {
            ctx.pipeline().remove(idle);
        }
        pinger = ctx.executor().scheduleAtFixedRate(this::ping, pingMs, pingMs, TimeUnit.MILLISECONDS);
        session.attach(this);
    }

    private void ping() {
        if (!closed && ctx.channel().isActive()) {
            ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(PING)));
        }
    }

    @Override
    public EventExecutor executor() {
        return ctx.executor();
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public void onMessages(Session s) {
        if (closed || !ctx.channel().isActive() || !ctx.channel().isWritable()) {
            return;
        }
        ByteBuf frame = frames.messagesFrame(ctx.alloc(), s);
        if (frame != null) {
            ctx.writeAndFlush(new DefaultHttpContent(event(frame)));
        }
    }

    /**
     * {@code data: <json>\r\n\r\n}. A line break inside the JSON (whitespace a publisher's {@code data}
     * may carry) would end the field, so each one continues it with {@code data: }, as Faye does.
     * TAKES {@code json}.
     */
    static ByteBuf event(ByteBuf json) {
        if (json.indexOf(json.readerIndex(), json.writerIndex(), (byte) '\n') < 0
                && json.indexOf(json.readerIndex(), json.writerIndex(), (byte) '\r') < 0) {
            return Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(DATA), json, Unpooled.wrappedBuffer(END));
        }
        try {
            ByteBuf out = json.alloc().buffer(json.readableBytes() + 64);
            out.writeBytes(DATA);
            for (int i = json.readerIndex(); i < json.writerIndex(); i++) {
                byte b = json.getByte(i);
                out.writeByte(b);
                boolean lineEnd = b == '\n' || (b == '\r' && (i + 1 == json.writerIndex() || json.getByte(i + 1) != '\n'));
                if (lineEnd) {
                    out.writeBytes(DATA);
                }
            }
            return out.writeBytes(END);
        } finally {
            json.release();
        }
    }

    @Override
    public void onSessionClosed(Session s) {
        close();
    }

    /** Writability came back: deliver what waited. */
    public void writable() {
        if (!closed) {
            session.wake();
        }
    }

    /** The connection closed, or the server drains: stop and let go of the session. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (pinger != null) {
            pinger.cancel(false);
        }
        session.detach(this);
        if (ctx.channel().isActive()) {
            ctx.close();
        }
    }
}
