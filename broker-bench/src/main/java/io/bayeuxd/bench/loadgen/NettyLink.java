package io.bayeuxd.bench.loadgen;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * What both real {@link Link}s share: the last handler of a client channel's pipeline, up once the
 * transport says so, and down exactly once, with the first reason that was found.
 */
abstract class NettyLink extends ChannelInboundHandlerAdapter implements Link {

    protected final LinkListener listener;
    protected Channel channel;
    private boolean up;
    private boolean down;
    private String downReason;

    NettyLink(LinkListener listener) {
        this.listener = listener;
    }

    /** Why the channel closed when nothing else was found: the transport's state at the time. */
    protected abstract String closedReason();

    /** The link went down: let go of what waits to be sent. */
    protected void onDown() {
    }

    @Override
    public final ByteBufAllocator alloc() {
        return channel != null ? channel.alloc() : ByteBufAllocator.DEFAULT;
    }

    @Override
    public final boolean isUp() {
        return up;
    }

    @Override
    public final boolean isWritable() {
        return up && channel.isWritable();
    }

    @Override
    public final void close() {
        if (channel != null) {
            channel.close();
        } else {
            markDown("closed before connecting");
        }
    }

    /** Called by the {@link LinkFactory} once the connect attempt has failed. */
    final void connectFailed(Throwable cause) {
        markDown("connect failed: " + cause);
    }

    /** The transport is ready to send. */
    protected final void comeUp() {
        up = true;
        listener.onLinkUp(this);
    }

    /** Closes the channel, giving {@code reason} unless an earlier one was found. */
    protected final void closeBecause(ChannelHandlerContext ctx, String reason) {
        if (downReason == null) {
            downReason = reason;
        }
        ctx.close();
    }

    @Override
    public final void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public final void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closeBecause(ctx, cause.toString());
    }

    @Override
    public final void channelInactive(ChannelHandlerContext ctx) {
        markDown(downReason != null ? downReason : closedReason());
    }

    private void markDown(String reason) {
        up = false;
        onDown();
        if (!down) {
            down = true;
            listener.onLinkDown(this, reason);
        }
    }
}
