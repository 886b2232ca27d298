package io.bayeuxd.transport.http;

import io.bayeuxd.broker.RequestContext;
import io.netty.handler.codec.http.HttpHeaders;

import java.net.SocketAddress;

/**
 * The request facts extensions may read: connection type, peer address and the request's headers
 * (for a WebSocket, those of the upgrade request).
 */
public final class HttpRequestContext implements RequestContext {
    private final String connectionType;
    private final SocketAddress remoteAddress;
    private final HttpHeaders headers;

    public HttpRequestContext(String connectionType, SocketAddress remoteAddress, HttpHeaders headers) {
        this.connectionType = connectionType;
        this.remoteAddress = remoteAddress;
        this.headers = headers;
    }

    @Override
    public String connectionType() {
        return connectionType;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public String header(String name) {
        return headers.get(name);
    }
}
