package io.bayeuxd.fanout;

import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.List;

/**
 * Step 6 of the message path: everything pending for one connection becomes one JSON array, written and
 * flushed once. Replies are encoded here; queued publications are copied from their shared bytes.
 */
public final class FrameWriter {
    private final BayeuxEncoder encoder;
    private final int maxMessagesPerFrame;

    public FrameWriter(BayeuxEncoder encoder, int maxMessagesPerFrame) {
        this.encoder = encoder;
        this.maxMessagesPerFrame = maxMessagesPerFrame;
    }

    public int maxMessagesPerFrame() {
        return maxMessagesPerFrame;
    }

    /**
     * Builds {@code [reply..., queued messages of session...]}. The returned buffer is owned by the
     * caller. {@code session} may be {@code null} (replies only).
     */
    public ByteBuf frame(ByteBufAllocator alloc, List<Message> replies, Session session) {
        int hint = 64 + replies.size() * 160 + (session == null ? 0 : Math.min(session.queuedMessages(), maxMessagesPerFrame) * 128);
        ByteBuf out = alloc.buffer(hint);
        boolean ok = false;
        try {
            out.writeByte('[');
            boolean any = false;
            for (int i = 0; i < replies.size(); i++) {
                if (any) {
                    out.writeByte(',');
                }
                encoder.writeMessage(replies.get(i), out);
                any = true;
            }
            if (session != null) {
                session.drainInto(out, maxMessagesPerFrame, any);
            }
            out.writeByte(']');
            ok = true;
            return out;
        } finally {
            if (!ok) {
                out.release();
            }
        }
    }

    /**
     * Builds {@code [queued messages...]} for a push (WebSocket), or returns {@code null} when nothing was
     * queued. The returned buffer is owned by the caller.
     */
    public ByteBuf messagesFrame(ByteBufAllocator alloc, Session session) {
        int queued = session.queuedMessages();
        if (queued == 0) {
            return null;
        }
        ByteBuf out = alloc.buffer(2 + Math.min(queued, maxMessagesPerFrame) * 128);
        boolean ok = false;
        try {
            out.writeByte('[');
            int n = session.drainInto(out, maxMessagesPerFrame, false);
            out.writeByte(']');
            if (n == 0) {
                return null;
            }
            ok = true;
            return out;
        } finally {
            if (!ok) {
                out.release();
            }
        }
    }
}
