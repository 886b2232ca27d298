package io.bayeuxd.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that has sent nothing for longer than any well-behaved client would: half-open
 * sockets and stalled half-sent requests do not hold file descriptors forever. The limit must exceed
 * the connect timeout, since a client legitimately sends nothing while its connect is held.
 */
final class IdleConnectionCloser extends IdleStateHandler {
    private static final Logger log = LoggerFactory.getLogger(IdleConnectionCloser.class);

    IdleConnectionCloser(long readIdleMs) {
        super(readIdleMs, 0, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (evt.state() == IdleState.READER_IDLE) {
            log.debug("Closing {}: nothing read for too long", ctx.channel().remoteAddress());
            ctx.close();
        }
    }
}
