package io.bayeuxd.transport;

/**
 * Fired down every connection's pipeline when the server starts draining: a held {@code /meta/connect}
 * is answered at once, a WebSocket hands over what is queued for it and closes with 1001 (going away),
 * and an idle HTTP connection closes. Delivered on the connection's event loop.
 */
public enum DrainEvent {
    INSTANCE
}
