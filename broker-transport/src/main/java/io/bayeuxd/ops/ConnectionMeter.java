package io.bayeuxd.ops;

import io.bayeuxd.transport.websocket.WebSocketUpgraded;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;

/**
 * First in the pipeline of one connection: adds the readable bytes of every buffer read or written to
 * its server's {@link ConnectionStats}, and keeps the open-connection gauges right: an HTTP connection
 * from active to inactive, moved to WebSocket when {@link WebSocketUpgraded} goes by. Messages pass
 * through untouched; nothing is retained or released here.
 */
final class ConnectionMeter extends ChannelDuplexHandler {
    private final ConnectionStats stats;
    private boolean open;
    private boolean webSocket;

    ConnectionMeter(ConnectionStats stats) {
        this.stats = stats;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        open = true;
        stats.openHttp.increment();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (open) {
            open = false;
            (webSocket ? stats.openWebSocket : stats.openHttp).decrement();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == WebSocketUpgraded.INSTANCE && open && !webSocket) {
            webSocket = true;
            stats.openHttp.decrement();
            stats.openWebSocket.increment();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            stats.receivedBytes.add(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        long bytes = msg instanceof ByteBuf buf ? buf.readableBytes()
                : msg instanceof ByteBufHolder holder ? holder.content().readableBytes()
                : msg instanceof FileRegion region ? region.count() : 0;
        stats.sentBytes.add(bytes);
        ctx.write(msg, promise);
    }
}
