package io.bayeuxd.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;

/**
 * Sits right behind the HTTP codec while a connection upgrades, and feeds the WebSocket frame decoder
 * the bytes that came in the same read as the upgrade request.
 *
 * <p>Why: Netty's handshaker puts the frame decoder in front of the HTTP codec and then removes the
 * codec, which hands the bytes it had read past the request to the handler <em>behind</em> it. A client
 * that sends its first frame without waiting for the {@code 101} would otherwise have those bytes skip
 * the frame decoder and be dropped at the end of the pipeline. Removes itself once the upgrade is done.
 */
final class UpgradeLeftoverHandover extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        ChannelHandlerContext decoder;
        if (msg instanceof ByteBuf && (decoder = ctx.pipeline().context(WebSocketFrameDecoder.class)) != null) {
            // Ownership of the buffer passes to the decoder, as it would from the pipeline.
            ((ChannelInboundHandler) decoder.handler()).channelRead(decoder, msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == WebSocketUpgraded.INSTANCE) {
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(evt);
    }
}
