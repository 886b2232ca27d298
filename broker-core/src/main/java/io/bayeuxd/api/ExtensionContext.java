package io.bayeuxd.api;

import java.net.SocketAddress;

/**
 * What an {@link Extension} may know about the request a message came with.
 */
public interface ExtensionContext {
    /** The transport's connection type, e.g. {@code websocket} or {@code long-polling}; {@code in-process} for local clients. */
    String connectionType();

    /** The peer address of the connection, or {@code null} for in-process clients. */
    SocketAddress remoteAddress();

    /** A request header (the HTTP request or the WebSocket upgrade request), or {@code null}. */
    String header(String name);
}
