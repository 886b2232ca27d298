package io.bayeuxd.bench.loadgen;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * A {@link Link} over one WebSocket: each sent frame is one text message. Sits last in the
 * pipeline, after Netty's HTTP codec, the client protocol handler (upgrade, ping/pong, close) and
 * a frame aggregator, so it sees whole text messages only.
 */
final class WebSocketLink extends ChannelInboundHandlerAdapter implements Link {

    private final LinkListener listener;
    private Channel channel;
    private boolean up;
    private boolean down;
    private String downReason;

    WebSocketLink(LinkListener listener) {
        this.listener = listener;
    }

    @Override
    public ByteBufAllocator alloc() {
        return channel != null ? channel.alloc() : ByteBufAllocator.DEFAULT;
    }

    @Override
    public boolean send(ByteBuf frame) {
        if (!up) {
            frame.release();
            return false;
        }
        channel.write(new TextWebSocketFrame(frame), channel.voidPromise());
        return true;
    }

    @Override
    public void flush() {
        if (up) {
            channel.flush();
        }
    }

    @Override
    public boolean isUp() {
        return up;
    }

    @Override
    public boolean isWritable() {
        return up && channel.isWritable();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close();
        } else {
            markDown("closed before connecting");
        }
    }

    /** Called by the {@link LinkFactory} once the connect attempt has failed. */
    void connectFailed(Throwable cause) {
        markDown("connect failed: " + cause);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            up = true;
            listener.onLinkUp(this);
        } else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            downReason = "websocket upgrade timed out";
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                listener.onFrame(this, ((ByteBufHolder) msg).content());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (downReason == null) {
            downReason = cause.toString();
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        markDown(downReason != null ? downReason : up ? "closed" : "closed before the websocket upgrade");
    }

    private void markDown(String reason) {
        up = false;
        if (!down) {
            down = true;
            listener.onLinkDown(this, reason);
        }
    }
}
