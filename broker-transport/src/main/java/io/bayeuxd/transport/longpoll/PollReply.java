package io.bayeuxd.transport.longpoll;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;

/**
 * Where the answer to one polling request goes: an HTTP response on this node ({@link HttpPollReply}),
 * or, for a request another node forwarded here for a session this node holds, a message back to that
 * node. {@link HeldConnect} and {@link PollingResponder} work the same for both.
 */
public interface PollReply {
    /** The event loop the request is answered on. */
    EventExecutor executor();

    ByteBufAllocator alloc();

    /** Sends the JSON array {@code json}; TAKES ownership of it. Called once, on {@link #executor()}. */
    void send(ByteBuf json);

    /** The request will not be answered (its connection closed first). Called once, instead of {@link #send}. */
    void abandoned();
}
