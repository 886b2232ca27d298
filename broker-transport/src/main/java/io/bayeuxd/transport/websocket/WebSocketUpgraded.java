package io.bayeuxd.transport.websocket;

/**
 * Fired from the head of the pipeline once the WebSocket handshake response has been written, so that
 * handlers in front of the upgrade (the connection meter, the operations endpoint) learn that the
 * connection now carries WebSocket frames.
 */
public enum WebSocketUpgraded {
    INSTANCE
}
