package io.bayeuxd.api;

/** Why a session ended, as {@link ServerListener#onDisconnect} is told. */
public enum DisconnectReason {
    /** The client sent {@code /meta/disconnect}. */
    CLIENT,
    /** The client sent no connect for twice the timeout. */
    EXPIRED,
    /** Its outbox was full and the slow-consumer policy is {@code disconnect}. */
    SLOW_CONSUMER,
    /** The server drained or closed while the session was still there. */
    DRAIN,
    /** Its principal's credentials expired ({@link ExpiringPrincipal}), as a JWT past its {@code exp}. */
    CREDENTIALS_EXPIRED,
    /** Ended through the server API ({@code POST /api/disconnect}, {@code Broker#endSession}). */
    API
}
