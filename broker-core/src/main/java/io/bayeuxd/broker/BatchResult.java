package io.bayeuxd.broker;

import io.bayeuxd.protocol.Message;
import io.bayeuxd.session.Session;

import java.util.ArrayList;
import java.util.List;

/**
 * The broker's answer to one request: the replies to send now, and at most one successful
 * {@code /meta/connect} whose reply the transport sends now or holds for {@link #holdMs()}.
 */
public final class BatchResult {
    private final List<Message> replies;
    private Message connectReply;
    private Session connectSession;
    private long holdMs;

    BatchResult(int expected) {
        this.replies = new ArrayList<>(expected);
    }

    void add(Message reply) {
        replies.add(reply);
    }

    void connect(Session session, Message reply, long holdMs) {
        if (connectReply != null) {
            // A second connect in one batch: answer the first at once, as its own reply.
            replies.add(connectReply);
        }
        this.connectSession = session;
        this.connectReply = reply;
        this.holdMs = holdMs;
    }

    void replaceConnectReply(Message reply) {
        this.connectReply = reply;
    }

    /** Replies other than the successful connect's, in the order of the request. */
    public List<Message> replies() {
        return replies;
    }

    /** The reply to a successful connect, or {@code null}. */
    public Message connectReply() {
        return connectReply;
    }

    /** The session that connected, or {@code null}. */
    public Session connectSession() {
        return connectSession;
    }

    /** How long the connect may be held when no message is waiting; 0 means answer now. */
    public long holdMs() {
        return holdMs;
    }
}
