package io.bayeuxd.session;

import io.netty.buffer.ByteBuf;

/**
 * How a drain writes each queued message into the frame being built, when the frame is not the plain JSON
 * array that {@link Session#drainInto(ByteBuf, int, boolean)} writes: a transport's other encoding of the same
 * array, such as the compressed frames of a {@code permessage-deflate} WebSocket.
 */
public interface ElementWriter {
    /**
     * Appends {@code message} as the next element of the array in {@code out}. BORROWS {@code message}: the
     * drain releases it right after (MUST NOT retain it past the call).
     *
     * @param first whether no element precedes it in this frame
     */
    void writeElement(ByteBuf out, ByteBuf message, boolean first);
}
