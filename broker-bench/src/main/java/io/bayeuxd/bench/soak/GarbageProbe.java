package io.bayeuxd.bench.soak;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;

import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One garbage probe on its own raw TCP connection (the only handler in the pipeline): sends the
 * kind's bytes, for a WebSocket kind the frame after the broker's {@code 101}, and reads the answer
 * until it is conclusive ({@link ProbeReply}), the broker closes, or the deadline passes. Then it
 * reports the outcome once and closes. All on the channel's event loop.
 */
final class GarbageProbe extends ChannelInboundHandlerAdapter {

    /** Bytes of the answer kept; an HTTP status line and a close frame fit many times over. */
    static final int MAX_KEPT_BYTES = 16 * 1024;

    private final GarbageKind kind;
    private final GarbageKind.Target target;
    private final long deadlineMs;
    private final BiConsumer<GarbageProbe, String> onOutcome;
    private final byte[] received = new byte[MAX_KEPT_BYTES];
    private int length;
    /** For a WebSocket kind: where the frames start, once the 101 has been read. */
    private int framesFrom = -1;
    private boolean reported;
    private Channel channel;
    private Future<?> deadline;

    GarbageProbe(GarbageKind kind, GarbageKind.Target target, long deadlineMs, BiConsumer<GarbageProbe, String> onOutcome) {
        this.kind = kind;
        this.target = target;
        this.deadlineMs = deadlineMs;
        this.onOutcome = onOutcome;
    }

    GarbageKind kind() {
        return kind;
    }

    /** Ends the probe now (the soak is stopping); nothing is reported. */
    void cutShort() {
        reported = true;
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        deadline = ctx.executor().schedule(() -> finish(ProbeReply.NO_ANSWER), deadlineMs, TimeUnit.MILLISECONDS);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(kind.request(target)));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            int n = Math.min(in.readableBytes(), received.length - length);
            in.readBytes(received, length, n);
            length += n;
        } finally {
            in.release();
        }
        String outcome = evaluate();
        if (outcome != null) {
            finish(outcome);
        }
    }

    /** The outcome once the answer is conclusive, else null (and the frame is sent after a 101). */
    private String evaluate() {
        if (framesFrom >= 0) {
            return ProbeReply.firstFrame(received, framesFrom, length);
        }
        int headerEnd = ProbeReply.headerEnd(received, length);
        if (headerEnd < 0) {
            return length >= received.length ? "unreadable answer" : null;
        }
        int status = ProbeReply.status(received, length);
        if (kind.webSocket() && status == 101) {
            framesFrom = headerEnd;
            channel.writeAndFlush(Unpooled.wrappedBuffer(kind.frame(target)));
            return ProbeReply.firstFrame(received, framesFrom, length);
        }
        return status < 0 ? "not http" : (kind.webSocket() ? "upgrade http " : "http ") + status;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset while we still write (an oversized body the broker refused) is an answer too: it closed.
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finish(ProbeReply.CLOSED);
        ctx.fireChannelInactive();
    }

    private void finish(String outcome) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (!reported) {
            reported = true;
            onOutcome.accept(this, outcome);
        }
        if (channel != null && channel.isOpen()) {
            channel.close();
        }
    }
}
