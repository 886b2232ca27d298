package io.bayeuxd.transport.websocket;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks the {@code permessage-deflate} offer (RFC 7692) of an upgrade request that the broker accepts, with
 * Netty's {@link PerMessageDeflateServerExtensionHandshaker}; used by {@link WebSocketUpgradeHandler} before
 * the handshake, which then writes {@link #responseHeader} and installs the extension's encoder and decoder.
 *
 * <p>Why not Netty's {@code WebSocketServerCompressionHandler}: it would sit in every connection's pipeline
 * from the first byte, while only an upgrade needs it, and the upgrade here happens behind the aggregator
 * after the request has passed where it would sit.
 *
 * <p>The broker always answers {@code server_no_context_takeover}, which RFC 7692 section 7.1.1.1 lets a
 * server add to an offer that lacks it: each outgoing message is compressed on its own, so Netty's encoder
 * ends its deflater (about 256 KB of zlib state at window 15, memory level 8) after every frame instead of
 * keeping one per connection for the connection's life. That keeps an idle compressed socket as small as
 * an uncompressed one on the way out, and it is what lets {@link DeflatedFrames} compress a publication once
 * and share the compressed bytes with every compressed subscriber. The shared copies are made at window 15,
 * so offers that ask for a smaller server window are declined as well. The client's direction keeps its context (the client
 * chose it): one inflater of about 40 KB per socket that has sent a compressed frame.
 */
final class DeflateNegotiation {
    static final String PERMESSAGE_DEFLATE = "permessage-deflate";
    private static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    private static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";

    private final PerMessageDeflateServerExtensionHandshaker handshaker;

    /**
     * @param maxMessageBytes the most one decompressed frame may grow to; a client frame that inflates past
     *                        it fails before more memory is taken (a message over the limit closes with 1009)
     */
    DeflateNegotiation(int maxMessageBytes) {
        // Level 6 as Faye's extension and zlib use; no server window smaller than 15 (a smaller one would
        // need JZlib, which is not on the class path: such offers are declined, a client's fallback taken);
        // server no-context-takeover allowed, since every offer is made to ask for it.
        this.handshaker = new PerMessageDeflateServerExtensionHandshaker(6, false,
                PerMessageDeflateServerExtensionHandshaker.MAX_WINDOW_SIZE, true, false, maxMessageBytes);
    }

    /**
     * The extension accepted from the request's {@code Sec-WebSocket-Extensions}: the first
     * {@code permessage-deflate} offer Netty accepts, with {@code server_no_context_takeover} added; null when
     * the client offers none the broker accepts.
     */
    WebSocketServerExtension accept(HttpHeaders requestHeaders) {
        String header = requestHeaders.get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
        if (header == null) {
            return null;
        }
        List<WebSocketExtensionData> offers;
        try {
            offers = WebSocketExtensionUtil.extractExtensions(header);
        } catch (RuntimeException e) {
            return null;
        }
        for (WebSocketExtensionData offer : offers) {
            if (!PERMESSAGE_DEFLATE.equals(offer.name()) || offer.parameters().containsKey(SERVER_MAX_WINDOW_BITS)) {
                continue;
            }
            Map<String, String> parameters = new LinkedHashMap<>(offer.parameters());
            parameters.put(SERVER_NO_CONTEXT_TAKEOVER, null);
            WebSocketServerExtension accepted;
            try {
                accepted = handshaker.handshakeExtension(new WebSocketExtensionData(offer.name(), parameters));
            } catch (RuntimeException e) {
                // A parameter value Netty cannot read (client_max_window_bits=x): decline this offer.
                accepted = null;
            }
            if (accepted != null) {
                return accepted;
            }
        }
        return null;
    }

    /** The {@code Sec-WebSocket-Extensions} value that tells the client what was accepted. */
    static String responseHeader(WebSocketServerExtension accepted) {
        WebSocketExtensionData data = accepted.newReponseData();
        StringBuilder value = new StringBuilder(data.name());
        for (Map.Entry<String, String> parameter : data.parameters().entrySet()) {
            value.append("; ").append(parameter.getKey());
            if (parameter.getValue() != null) {
                value.append('=').append(parameter.getValue());
            }
        }
        return value.toString();
    }
}
