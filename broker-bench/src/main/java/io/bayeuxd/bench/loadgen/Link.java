package io.bayeuxd.bench.loadgen;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBuf;

/**
 * One transport connection from a client session to the server: a WebSocket, or a keep-alive
 * HTTP connection carrying long-polling POSTs. A link lives on one event loop and every method
 * MUST be called on it; events arrive at its {@link LinkListener} on that loop too.
 */
public interface Link {

    /** Allocator to build frames for {@link #send}. */
    ByteBufAllocator alloc();

    /**
     * Queues a frame, a JSON array of messages, for sending; nothing leaves before {@link #flush()}.
     *
     * @param frame ownership passes to the link in every case
     * @return false when the link is not up, in which case the frame was released
     */
    boolean send(ByteBuf frame);

    /** Sends what {@link #send} queued: one write flush, or one POST carrying all queued messages. */
    void flush();

    boolean isUp();

    /** False while the socket's outbound buffer is above its high water mark. */
    boolean isWritable();

    /** Closes the connection; the listener then gets {@link LinkListener#onLinkDown} once. */
    void close();
}
