package io.bayeuxd.api;

/**
 * A hook on every message entering and leaving the broker, as Faye's server extensions are.
 *
 * <p>{@link #incoming} sees each message of a request before the broker acts on it; it may change its
 * {@code data} or {@code ext}, or reject it by setting {@link BayeuxMessage#error(String)} (for example
 * {@code BayeuxError.channelForbidden(channel)}), in which case the broker answers with that error and
 * does nothing else. Returning {@code null} drops the message without an answer.
 *
 * <p>{@link #outgoing} sees every reply the broker sends and every published message once, before it is
 * encoded for all subscribers (the broker encodes a publication once, so there is no per-subscriber
 * outgoing step). Extensions run on the connection's event loop and must not block.
 *
 * <p>Both steps return the message they were given (changed through {@link BayeuxMessage}) or
 * {@code null}; returning any other object is a programming error, which fails the request as an
 * exception thrown by the extension does.
 */
public interface Extension {
    default BayeuxMessage incoming(BayeuxMessage message, ExtensionContext context) {
        return message;
    }

    default BayeuxMessage outgoing(BayeuxMessage message, ExtensionContext context) {
        return message;
    }
}
