package io.bayeuxd.broker;

import io.bayeuxd.protocol.Message;
import io.bayeuxd.session.Session;

import java.util.ArrayList;
import java.util.List;

/**
 * The broker's answer to one request: the replies to send now, and at most one successful
 * {@code /meta/connect} whose reply the transport sends now or holds for {@link #holdMs()}.
 *
 * <p>With an {@link io.bayeuxd.api.AsyncExtension} or an {@link io.bayeuxd.api.AsyncSecurityPolicy} the
 * answer may not be complete when {@link Broker#process} returns: then {@link #isDecided()} is false, and
 * the transport continues in {@link #whenDecided}, which runs on the event loop given to {@code process}.
 * It holds the connection's later requests until then, so that a client's messages keep their order.
 */
public final class BatchResult {
    private final List<Message> replies;
    private Message connectReply;
    private Session connectSession;
    private long holdMs;
    /** Written only on the asynchronous path; the synchronous one pays a volatile read. */
    private volatile boolean waiting;
    private Runnable onDecided;
    /** The broker's, run once every message is handled, before {@link #onDecided}; on the request's loop. */
    private Runnable whenHandled;

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

    void waitForDecision() {
        waiting = true;
    }

    /** Runs {@code then} once every message is handled (the broker lets go of what it held for the request). */
    void whenHandled(Runnable then) {
        whenHandled = then;
    }

    /** Runs what {@link #whenHandled} gave, once: when every message is handled, or when handling one failed. */
    void handled() {
        Runnable handled = whenHandled;
        if (handled != null) {
            whenHandled = null;
            handled.run();
        }
    }

    /** Every message is handled: runs what waits for it. */
    void decided() {
        handled();
        if (!waiting) {
            return;
        }
        Runnable then;
        synchronized (this) {
            waiting = false;
            then = onDecided;
            onDecided = null;
        }
        if (then != null) {
            then.run();
        }
    }

    /** False while a message of the request waits for an asynchronous extension or security policy. */
    public boolean isDecided() {
        return !waiting;
    }

    /**
     * Runs {@code then} once every message is handled: at once when it is, else on the event loop given to
     * {@link Broker#process(java.util.List, RequestContext, io.netty.util.concurrent.EventExecutor)}.
     */
    public void whenDecided(Runnable then) {
        synchronized (this) {
            if (waiting) {
                onDecided = then;
                return;
            }
        }
        then.run();
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
