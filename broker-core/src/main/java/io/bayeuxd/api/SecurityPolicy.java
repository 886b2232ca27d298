package io.bayeuxd.api;

/**
 * Decides who may handshake, subscribe and publish. Called on the request's event loop for every such
 * message after the incoming extensions; must not block. A denied handshake is answered
 * {@code 403::Handshake denied} (or the decision's own {@link HandshakeDecision#deny(String) error}) with
 * {@code advice.reconnect: "none"}; a denied subscribe or publish
 * {@code 403:<channel>:Forbidden channel}. Every denial is counted.
 */
public interface SecurityPolicy {
    /** Allows everything, as Faye does without extensions. */
    SecurityPolicy ALLOW_ALL = new SecurityPolicy() {
    };

    /**
     * May this handshake create a session? A policy may return a principal for the session through
     * {@link HandshakeDecision#allow(Object)}.
     */
    default HandshakeDecision canHandshake(BayeuxMessage handshake, ExtensionContext context) {
        return HandshakeDecision.ALLOW;
    }

    /** May {@code session} subscribe to {@code channel} (a name or a pattern)? */
    default boolean canSubscribe(ServerSession session, String channel, BayeuxMessage message, ExtensionContext context) {
        return true;
    }

    /** May this message be published to {@code channel}? {@code session} is {@code null} for a publish without handshake. */
    default boolean canPublish(ServerSession session, String channel, BayeuxMessage message, ExtensionContext context) {
        return true;
    }

    /**
     * The answer to a handshake: allowed (with an optional principal) or denied, with the Bayeux error
     * to answer ({@code null}: {@code 403::Handshake denied}).
     */
    record HandshakeDecision(boolean allowed, Object principal, String error) {
        public static final HandshakeDecision ALLOW = new HandshakeDecision(true, null, null);
        public static final HandshakeDecision DENY = new HandshakeDecision(false, null, null);

        public HandshakeDecision(boolean allowed, Object principal) {
            this(allowed, principal, null);
        }

        public static HandshakeDecision allow(Object principal) {
            return new HandshakeDecision(true, principal, null);
        }

        /**
         * Denied with {@code error}, a Bayeux error string such as {@code 401::Invalid token}
         * ({@code BayeuxError.format}).
         */
        public static HandshakeDecision deny(String error) {
            return new HandshakeDecision(false, null, error);
        }
    }
}
