package io.bayeuxd.bench.loadgen;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * A {@link Link} over one WebSocket: each sent frame is one text message. Sits last in the
 * pipeline, after Netty's HTTP codec, the client protocol handler (upgrade, ping/pong, close) and
 * a frame aggregator, so it sees whole text messages only.
 */
final class WebSocketLink extends NettyLink {

    WebSocketLink(LinkListener listener) {
        super(listener);
    }

    @Override
    public boolean send(ByteBuf frame) {
        if (!isUp()) {
            frame.release();
            return false;
        }
        channel.write(new TextWebSocketFrame(frame), channel.voidPromise());
        return true;
    }

    @Override
    public void flush() {
        if (isUp()) {
            channel.flush();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            comeUp();
        } else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            closeBecause(ctx, "websocket upgrade timed out");
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
    protected String closedReason() {
        return isUp() ? "closed" : "closed before the websocket upgrade";
    }
}
