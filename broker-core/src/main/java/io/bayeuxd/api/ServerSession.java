package io.bayeuxd.api;

import io.bayeuxd.protocol.JsonValue;

/**
 * What policies and extensions may know about a connected client.
 */
public interface ServerSession {
    String clientId();

    /** True for in-process clients of the server itself. */
    boolean isLocal();

    /** The {@code ext} the client sent with its handshake (its credentials), or {@code null}. */
    JsonValue handshakeExt();

    /** The identity a {@link SecurityPolicy} attached at handshake, or {@code null}. */
    Object principal();

    /**
     * The user of the session: the name of its principal when that is a {@link java.security.Principal}
     * (as the rules and JWT policies attach), else {@code null}.
     */
    default String user() {
        return principal() instanceof java.security.Principal p ? p.getName() : null;
    }
}
