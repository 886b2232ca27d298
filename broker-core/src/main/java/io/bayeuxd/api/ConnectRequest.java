package io.bayeuxd.api;

import io.bayeuxd.protocol.Advice;
import io.bayeuxd.protocol.JsonValue;

/**
 * What a client sent with the {@code /meta/connect} a {@link ServerListener#onConnect(ServerSession, ConnectRequest)}
 * is told about, as Faye hands its hooks the whole message.
 *
 * @param connectionType         the connection type it came over, e.g. {@code websocket}
 * @param previousConnectionType the one of the connect before, {@code null} for the session's first
 * @param advice                 the client's {@code advice} ({@code timeout} at most), or {@code null}
 * @param ext                    the client's {@code ext}, as sent, or {@code null}
 */
public record ConnectRequest(String connectionType, String previousConnectionType, Advice advice, JsonValue ext) {
}
