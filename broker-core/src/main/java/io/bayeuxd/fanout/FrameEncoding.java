package io.bayeuxd.fanout;

import io.bayeuxd.session.ElementWriter;
import io.netty.buffer.ByteBuf;

/**
 * A transport's own encoding of the JSON array {@code [m1,m2,...]} of queued messages that
 * {@link FrameWriter#messagesFrame(io.netty.buffer.ByteBufAllocator, io.bayeuxd.session.Session, FrameEncoding)}
 * builds: what opens the frame, each element (see {@link ElementWriter}), and what closes it. Every method
 * BORROWS {@code out} and appends at its writer index.
 */
public interface FrameEncoding extends ElementWriter {
    /** Appends what comes before the first element ({@code [} in plain JSON). */
    void open(ByteBuf out);

    /** Appends what ends the frame ({@code ]} in plain JSON). */
    void close(ByteBuf out);
}
