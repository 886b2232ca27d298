package io.bayeuxd.broker;

import io.bayeuxd.protocol.Advice;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.protocol.MetaChannels;

/** The reply skeleton every handler starts from, as Faye builds it. */
final class Replies {
    private Replies() {
    }

    /** A reply echoing {@code id}, {@code clientId} and {@code channel}, successful unless it carries an error. */
    static Message to(Message request) {
        Message reply = new Message().id(request.id()).clientId(request.clientId()).channel(request.channel());
        return reply.error(request.error()).successful(request.error() == null);
    }

    static Message fail(Message reply, String error) {
        return reply.error(error).successful(false);
    }

    /** Handshake and connect replies carry advice: retry on success, handshake on failure. */
    static Message advise(Message reply, BrokerConfig config) {
        String channel = reply.channel();
        if (reply.advice() == null && (MetaChannels.HANDSHAKE.equals(channel) || MetaChannels.CONNECT.equals(channel))) {
            reply.advice(reply.error() == null ? config.retryAdvice() : Advice.HANDSHAKE);
        }
        return reply;
    }
}
