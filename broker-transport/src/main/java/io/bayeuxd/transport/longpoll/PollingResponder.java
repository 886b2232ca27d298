package io.bayeuxd.transport.longpoll;

import io.bayeuxd.broker.BatchResult;
import io.bayeuxd.broker.Broker;
import io.bayeuxd.fanout.FrameWriter;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.session.Session;
import io.bayeuxd.broker.RequestContext;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Long-polling and callback-polling: answers a request's messages at once, or holds its
 * {@code /meta/connect} until a message arrives for the client or the timeout passes
 * ({@link HeldConnect}). One instance serves all connections. A request whose session another node
 * of the cluster holds goes to that node ({@link PollForwarding}) and its answer comes back.
 */
public final class PollingResponder {
    private final Broker broker;
    private final FrameWriter frames;
    private volatile PollForwarding forwarding = PollForwarding.NONE;

    public PollingResponder(Broker broker, FrameWriter frames) {
        this.broker = broker;
        this.frames = frames;
    }

    /** The broker the requests go to. */
    public Broker broker() {
        return broker;
    }

    /** The frame writer of the HTTP transports (EventSource streams share it). */
    public FrameWriter frames() {
        return frames;
    }

    /** Where requests for sessions of other nodes go ({@link PollForwarding#NONE} for a node alone). */
    public PollForwarding forwarding() {
        return forwarding;
    }

    /** Sends requests for sessions of other nodes there; installed once, before traffic, in a cluster. */
    public void forwarding(PollForwarding forwarding) {
        this.forwarding = forwarding;
    }

    /**
     * Processes the messages here, or forwards them to the node that holds their session, and either
     * responds or holds. Returns what is held, which the caller must {@linkplain HeldPoll#abandon()
     * abandon} if the connection closes first, or {@code null}.
     *
     * @param body the request's JSON text, read only when the request is forwarded
     */
    public HeldPoll handle(List<Message> messages, PollRequest request, Supplier<byte[]> body) {
        HttpPollReply reply = new HttpPollReply(request);
        HeldPoll forwarded = forwarding.forward(messages, request.context(), reply, body, () -> handle(messages, request.context(), reply));
        return forwarded != null ? forwarded : handle(messages, request.context(), reply);
    }

    /** {@link #handle(List, PollRequest, Supplier)} for a request that is never forwarded. */
    public HeldPoll handle(List<Message> messages, PollRequest request) {
        return handle(messages, request.context(), new HttpPollReply(request));
    }

    /**
     * Processes the messages on this node and answers through {@code request}, now or when the connect is
     * released, or once an asynchronous extension or security policy answered. Returns what the caller must abandon
     * if the connection closes first, or {@code null}.
     */
    public HeldPoll handle(List<Message> messages, RequestContext context, PollReply request) {
        BatchResult result = broker.process(messages, context, request.executor());
        if (!result.isDecided()) {
            DecidingPoll deciding = new DecidingPoll(request);
            result.whenDecided(() -> deciding.decided(deciding.isAbandoned() ? null : answer(result, request)));
            return deciding;
        }
        return answer(result, request);
    }

    private HeldConnect answer(BatchResult result, PollReply request) {
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
    void respond(PollReply request, List<Message> replies, Session session) {
        respond(request, replies, session, frames.maxMessagesPerFrame());
    }

    /** As {@link #respond(PollReply, List, Session)}, taking up to {@code maxMessages} queued messages. */
    void respond(PollReply request, List<Message> replies, Session session, int maxMessages) {
        request.send(frames.frame(request.alloc(), replies, session, maxMessages));
    }

    long nanoTime() {
        return broker.nanoTime();
    }
}
