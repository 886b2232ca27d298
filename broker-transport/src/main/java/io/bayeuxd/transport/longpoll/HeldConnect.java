package io.bayeuxd.transport.longpoll;

import io.bayeuxd.protocol.Advice;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.session.DeliveryTarget;
import io.bayeuxd.session.Session;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code /meta/connect} held open on a polling request: the session's delivery target until a message
 * arrives, the hold times out, the session ends, or the client goes away. Whichever comes first answers
 * (or abandons) it exactly once; everything runs on the request's event loop. The request may be this
 * node's own or one that another node forwarded for a session held here: {@link PollReply} says where
 * the answer goes.
 */
final class HeldConnect implements DeliveryTarget, HeldPoll {
    private final PollingResponder responder;
    private final PollReply request;
    private final List<Message> replies;
    private final Session session;
    private ScheduledFuture<?> timeout;
    private boolean done;

    HeldConnect(PollingResponder responder, PollReply request, List<Message> replies, Session session) {
        this.responder = responder;
        this.request = request;
        this.replies = replies;
        this.session = session;
    }

    void hold(long holdMs) {
        DeliveryTarget previous = session.target();
        if (previous instanceof HeldConnect older) {
            // The client gave up on its previous poll; answer it so only one connect is held.
            older.executor().execute(older::answerEmpty);
        }
        timeout = executor().schedule(this::answer, holdMs, TimeUnit.MILLISECONDS);
        session.attach(this);
    }

    @Override
    public EventExecutor executor() {
        return request.executor();
    }

    @Override
    public void onMessages(Session s) {
        answer();
    }

    @Override
    public void onSessionClosed(Session s) {
        Message connectReply = replies.get(replies.size() - 1);
        connectReply.advice(new Advice(s.reconnectAdviceOnClose(), null, null));
        answer();
    }

    /** Answers with the replies and everything queued for the session. */
    void answer() {
        if (finish()) {
            responder.respond(request, replies, session);
            session.touch(responder.nanoTime());
        }
    }

    /**
     * The server is draining: answer now with everything queued for the session, not just one frame's
     * worth, so the client has it all before it reconnects elsewhere. The reply's advice is Faye's
     * {@code reconnect: retry}.
     */
    @Override
    public void drain() {
        if (finish()) {
            responder.respond(request, replies, session, Integer.MAX_VALUE);
            session.touch(responder.nanoTime());
        }
    }

    private void answerEmpty() {
        if (finish()) {
            responder.respond(request, replies, null);
        }
    }

    /** The connection closed first: stop being the session's target; queued messages wait for the next connect. */
    @Override
    public void abandon() {
        if (finish()) {
            request.abandoned();
        }
    }

    private boolean finish() {
        if (done) {
            return false;
        }
        done = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        session.detach(this);
        return true;
    }
}
