package io.bayeuxd.transport.longpoll;

import io.bayeuxd.broker.BatchResult;
import io.bayeuxd.broker.Broker;
import io.bayeuxd.fanout.FrameWriter;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.session.Session;
import io.bayeuxd.transport.http.HttpResponses;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Long-polling and callback-polling: answers a request's messages at once, or holds its
 * {@code /meta/connect} until a message arrives for the client or the timeout passes
 * ({@link HeldConnect}). One instance serves all connections.
 */
public final class PollingResponder {
    private static final byte[] JSONP_PREFIX = "/**/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JSONP_SUFFIX = ");".getBytes(StandardCharsets.US_ASCII);

    private final Broker broker;
    private final FrameWriter frames;

    public PollingResponder(Broker broker, FrameWriter frames) {
        this.broker = broker;
        this.frames = frames;
    }

    /**
     * Processes the messages and either responds or holds. Returns the held connect, which the caller
     * must {@linkplain HeldConnect#abandon() abandon} if the connection closes first, or {@code null}.
     */
    public HeldConnect handle(List<Message> messages, PollRequest request) {
        BatchResult result = broker.process(messages, request.context());
        Message connectReply = result.connectReply();
        if (connectReply == null) {
            respond(request, result.replies(), null);
            return null;
        }
        List<Message> replies = new ArrayList<>(result.replies().size() + 1);
        replies.addAll(result.replies());
        replies.add(connectReply);
        Session session = result.connectSession();
        if (result.holdMs() == 0 || session.hasQueuedMessages() || session.isClosed()) {
            respond(request, replies, session);
            session.touch(broker.nanoTime());
            return null;
        }
        HeldConnect held = new HeldConnect(this, request, replies, session);
        held.hold(result.holdMs());
        return held;
    }

    /** Writes {@code [replies..., queued messages of session...]} as the response, one frame's worth of them. */
    void respond(PollRequest request, List<Message> replies, Session session) {
        respond(request, replies, session, frames.maxMessagesPerFrame());
    }

    /** As {@link #respond(PollRequest, List, Session)}, taking up to {@code maxMessages} queued messages. */
    void respond(PollRequest request, List<Message> replies, Session session, int maxMessages) {
        ByteBuf json = frames.frame(request.ctx().alloc(), replies, session, maxMessages);
        ByteBuf body = request.jsonpCallback() == null ? json : wrapJsonp(request, json);
        ChannelFutureListener done = f -> request.onDone().run();
        HttpResponses.sendBayeux(request.ctx(), body, request.jsonpCallback() != null, request.origin(), request.keepAlive(), done);
    }

    long nanoTime() {
        return broker.nanoTime();
    }

    /** {@code /**}{@code /callback(json);}: the comment guards against content sniffing, as Faye does. Releases {@code json}. */
    private static ByteBuf wrapJsonp(PollRequest request, ByteBuf json) {
        String callback = request.jsonpCallback();
        try {
            ByteBuf body = request.ctx().alloc().buffer(json.readableBytes() + callback.length() + 8);
            body.writeBytes(JSONP_PREFIX).writeCharSequence(callback, StandardCharsets.US_ASCII);
            body.writeByte('(').writeBytes(json).writeBytes(JSONP_SUFFIX);
            return body;
        } finally {
            json.release();
        }
    }
}
