package io.bayeuxd.api;

import io.bayeuxd.protocol.Message;

/**
 * A hook on every message entering and leaving the broker, as Faye's server extensions are.
 *
 * <p>{@link #incoming} sees each message of a request before the broker acts on it; it may change the
 * message, or reject it by setting {@link Message#error(String)} (for example
 * {@code BayeuxError.channelForbidden(channel)}), in which case the broker answers with that error and
 * does nothing else. Returning {@code null} drops the message without an answer.
 *
 * <p>{@link #outgoing} sees every reply the broker sends and every published message once, before it is
 * encoded for all subscribers (the broker encodes a publication once, so there is no per-subscriber
 * outgoing step). Extensions run on the connection's event loop and must not block.
 */
public interface Extension {
    default Message incoming(Message message, ExtensionContext context) {
        return message;
    }

    default Message outgoing(Message message, ExtensionContext context) {
        return message;
    }
}
