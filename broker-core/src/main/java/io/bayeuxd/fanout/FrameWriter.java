package io.bayeuxd.fanout;

import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.protocol.MetaChannels;
import io.bayeuxd.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.List;

/**
 * Step 6 of the message path: everything pending for one connection becomes one JSON array, written and
 * flushed once. Replies are encoded here; queued publications are copied from their shared bytes, and
 * each frame that carries any is reported once to the transport's {@link DeliveryRecorder}.
 */
public final class FrameWriter {
    /**
     * Room reserved per queued message when sizing a frame: a 100-byte publication encodes to about
     * 145 bytes, so this covers the common case without a reallocation; larger ones grow the buffer.
     */
    private static final int ESTIMATED_MESSAGE_BYTES = 192;

    private final BayeuxEncoder encoder;
    private final int maxMessagesPerFrame;
    private final DeliveryRecorder recorder;

    public FrameWriter(BayeuxEncoder encoder, int maxMessagesPerFrame) {
        this(encoder, maxMessagesPerFrame, DeliveryRecorder.NONE);
    }

    public FrameWriter(BayeuxEncoder encoder, int maxMessagesPerFrame, DeliveryRecorder recorder) {
        this.encoder = encoder;
        this.maxMessagesPerFrame = maxMessagesPerFrame;
        this.recorder = recorder;
    }

    public int maxMessagesPerFrame() {
        return maxMessagesPerFrame;
    }

    /**
     * Builds {@code [reply..., queued messages of session...]}. The returned buffer is owned by the
     * caller. {@code session} may be {@code null} (replies only).
     */
    public ByteBuf frame(ByteBufAllocator alloc, List<Message> replies, Session session) {
        return frame(alloc, replies, session, maxMessagesPerFrame);
    }

    /**
     * As {@link #frame(ByteBufAllocator, List, Session)} with another bound on the queued messages taken:
     * a transport that must hand over everything at once (a draining server) passes
     * {@link Integer#MAX_VALUE}, and the outbox's capacity bounds the frame.
     */
    public ByteBuf frame(ByteBufAllocator alloc, List<Message> replies, Session session, int maxMessages) {
        if (session != null && session.acknowledgesBatches()) {
            return acknowledgedFrame(alloc, replies, session, maxMessages);
        }
        int queued = session == null ? 0 : session.queuedMessages();
        int hint = 64 + replies.size() * 160 + Math.min(queued, maxMessages) * ESTIMATED_MESSAGE_BYTES;
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
                record(session, session.drainInto(out, maxMessages, any), queued);
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
     * The frame of a session with acknowledged delivery (CometD's acknowledgement extension), where
     * messages leave only with a successful {@code /meta/connect} reply: {@code [other replies...,
     * batch..., connect reply]}, the reply last and carrying the batch's number in its {@code ext}, as
     * CometD orders it. Without a connect reply, the replies alone.
     */
    private ByteBuf acknowledgedFrame(ByteBufAllocator alloc, List<Message> replies, Session session, int maxMessages) {
        Message connectReply = connectReply(replies);
        int pending = connectReply == null ? 0 : session.queuedMessages() + session.unacknowledgedMessages();
        ByteBuf out = alloc.buffer(64 + replies.size() * 160 + Math.min(pending, maxMessages) * ESTIMATED_MESSAGE_BYTES);
        boolean ok = false;
        try {
            out.writeByte('[');
            boolean any = false;
            for (int i = 0; i < replies.size(); i++) {
                Message reply = replies.get(i);
                if (reply != connectReply) {
                    if (any) {
                        out.writeByte(',');
                    }
                    encoder.writeMessage(reply, out);
                    any = true;
                }
            }
            if (connectReply != null) {
                int n = session.drainBatchInto(out, maxMessages, any, connectReply);
                record(session, n, pending);
                if (any || n > 0) {
                    out.writeByte(',');
                }
                encoder.writeMessage(connectReply, out);
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

    /** The successful {@code /meta/connect} reply among {@code replies}, or {@code null}. */
    private static Message connectReply(List<Message> replies) {
        for (int i = replies.size() - 1; i >= 0; i--) {
            Message reply = replies.get(i);
            if (MetaChannels.CONNECT.equals(reply.channel()) && Boolean.TRUE.equals(reply.successful())) {
                return reply;
            }
        }
        return null;
    }

    /**
     * Builds {@code [queued messages...]} for a push (WebSocket), or returns {@code null} when nothing was
     * queued. The returned buffer is owned by the caller. Not for a session with acknowledged delivery,
     * whose messages go out only with connect replies.
     */
    public ByteBuf messagesFrame(ByteBufAllocator alloc, Session session) {
        int queued = session.queuedMessages();
        if (queued == 0) {
            return null;
        }
        ByteBuf out = alloc.buffer(2 + Math.min(queued, maxMessagesPerFrame) * ESTIMATED_MESSAGE_BYTES);
        boolean ok = false;
        try {
            out.writeByte('[');
            int n = session.drainInto(out, maxMessagesPerFrame, false);
            out.writeByte(']');
            if (n == 0) {
                return null;
            }
            record(session, n, queued);
            ok = true;
            return out;
        } finally {
            if (!ok) {
                out.release();
            }
        }
    }

    /**
     * As {@link #messagesFrame(ByteBufAllocator, Session)}, the frame written in {@code encoding} (a
     * compressed WebSocket's pre-compressed pieces, say) instead of plain JSON; null when nothing was queued.
     * The returned buffer is owned by the caller.
     */
    public ByteBuf messagesFrame(ByteBufAllocator alloc, Session session, FrameEncoding encoding) {
        int queued = session.queuedMessages();
        if (queued == 0) {
            return null;
        }
        ByteBuf out = alloc.buffer(16 + Math.min(queued, maxMessagesPerFrame) * ESTIMATED_MESSAGE_BYTES);
        boolean ok = false;
        try {
            encoding.open(out);
            int n = session.drainInto(out, maxMessagesPerFrame, encoding);
            if (n == 0) {
                return null;
            }
            encoding.close(out);
            record(session, n, queued);
            ok = true;
            return out;
        } finally {
            if (!ok) {
                out.release();
            }
        }
    }

    private void record(Session session, int drained, int queued) {
        if (drained > 0) {
            recorder.onFrame(drained, Math.max(drained, queued), session.drainedPublishNanos());
        }
    }
}
