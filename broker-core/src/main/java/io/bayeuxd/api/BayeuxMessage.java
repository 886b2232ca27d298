package io.bayeuxd.api;

import io.bayeuxd.protocol.Advice;
import io.bayeuxd.protocol.JsonValue;

import java.util.List;

/**
 * A Bayeux message as extensions and security policies see it: every field can be read, and only what a
 * Faye server extension legitimately changes can be set, {@code data}, {@code ext} and {@code error}
 * (which rejects the message). The fields the broker validated and routes by ({@code channel},
 * {@code clientId}, {@code id}, {@code connectionType}, {@code subscription}, ...) stay as the codec
 * decoded them. The lists returned are unmodifiable.
 *
 * <p>The broker's own message type implements this view, so passing a message to an extension costs no
 * copy. An extension returns the message it was given or {@code null}; see {@link Extension}.
 */
public interface BayeuxMessage {
    String channel();

    String clientId();

    /** The client's message {@code id}, echoed in the reply, or {@code null}. */
    JsonValue id();

    JsonValue data();

    JsonValue ext();

    String connectionType();

    /** A handshake's {@code supportedConnectionTypes}, or {@code null}. */
    List<String> supportedConnectionTypes();

    String version();

    String minimumVersion();

    /** A subscribe's or unsubscribe's channels, or {@code null}. */
    List<String> subscription();

    /** A reply's {@code successful}, or {@code null} on a request. */
    Boolean successful();

    /** The Bayeux error set on this message ({@code code:args:text}), or {@code null}. */
    String error();

    Advice advice();

    /** Replaces {@code data}, as an extension that stamps or rewrites a publication does. */
    BayeuxMessage data(JsonValue data);

    /** Replaces {@code ext}, as an extension that adds or strips credentials does. */
    BayeuxMessage ext(JsonValue ext);

    /**
     * Rejects the message with a Bayeux error such as {@code 403:/chat:Forbidden channel}
     * ({@link io.bayeuxd.protocol.BayeuxError}): an incoming one is answered with it and not handled.
     */
    BayeuxMessage error(String error);
}
