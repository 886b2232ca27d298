package io.bayeuxd.transport.longpoll;

import io.bayeuxd.broker.RequestContext;
import io.bayeuxd.protocol.Message;

import java.util.List;
import java.util.function.Supplier;

/** Sends a polling request to the node of the cluster that holds its session, and brings the answer back. */
public interface PollForwarding {
    /** A node alone: nothing is forwarded. */
    PollForwarding NONE = (messages, context, reply, body, locally) -> null;

    /**
     * Forwards the request when another node holds its session, answering {@code reply} with that node's
     * answer; returns what the transport must keep until then. Returns {@code null} when the request is
     * for this node (the caller processes it). When the other node turns out to be gone, runs
     * {@code locally} instead, which answers as a node that does not know the client does.
     */
    HeldPoll forward(List<Message> messages, RequestContext context, PollReply reply, Supplier<byte[]> body, Runnable locally);
}
