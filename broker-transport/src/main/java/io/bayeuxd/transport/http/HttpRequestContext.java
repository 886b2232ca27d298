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
    /** A request's own headers, read while it is processed; or null. */
    private final HttpHeaders headers;
    /** Or the upgrade request's headers, kept for the life of a WebSocket. */
    private final HeaderCopy kept;

    /** For one polling request: {@code headers} are read in place, so the context must not outlive the request. */
    public HttpRequestContext(String connectionType, SocketAddress remoteAddress, HttpHeaders headers) {
        this(connectionType, remoteAddress, headers, null);
    }

    /** For a WebSocket: the upgrade request's headers, kept in a compact copy. */
    public HttpRequestContext(String connectionType, SocketAddress remoteAddress, HeaderCopy kept) {
        this(connectionType, remoteAddress, null, kept);
    }

    private HttpRequestContext(String connectionType, SocketAddress remoteAddress, HttpHeaders headers, HeaderCopy kept) {
        this.connectionType = connectionType;
        this.remoteAddress = remoteAddress;
        this.headers = headers;
        this.kept = kept;
    }

    @Override
    public String connectionType() {
        return connectionType;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** The request's headers in their compact form, to carry them to another node with the request. */
    public HeaderCopy headerCopy() {
        return kept != null ? kept : HeaderCopy.of(headers);
    }

    @Override
    public String header(String name) {
        return headers != null ? headers.get(name) : kept.get(name);
    }
}
