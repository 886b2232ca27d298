package io.bayeuxd.transport.websocket;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link DeflateNegotiation} accepts: the compressed copies every socket shares are made at window 15,
 * so an offer that limits the server's window is declined and the client's next offer taken; every accepted
 * offer is answered with {@code server_no_context_takeover}, as the sharing needs.
 */
class DeflateNegotiationTest {
    private final DeflateNegotiation negotiation = new DeflateNegotiation(1 << 20);

    @Test
    void aBrowsersOfferIsAcceptedWithoutContextTakeoverOnTheServersSide() {
        WebSocketServerExtension accepted = negotiation.accept(offer("permessage-deflate; client_max_window_bits"));
        assertThat(accepted).isNotNull();
        assertThat(DeflateNegotiation.responseHeader(accepted)).startsWith("permessage-deflate")
                .contains("server_no_context_takeover").doesNotContain("server_max_window_bits");
    }

    @Test
    void anOfferThatLimitsTheServersWindowIsDeclinedAndTheNextOneTaken() {
        assertThat(negotiation.accept(offer("permessage-deflate; server_max_window_bits=10"))).isNull();
        assertThat(negotiation.accept(offer("permessage-deflate; server_max_window_bits=15"))).isNull();
        WebSocketServerExtension fallback = negotiation.accept(offer("permessage-deflate; server_max_window_bits=10, permessage-deflate"));
        assertThat(fallback).isNotNull();
        assertThat(DeflateNegotiation.responseHeader(fallback)).doesNotContain("server_max_window_bits");
    }

    private static HttpHeaders offer(String extensions) {
        return new DefaultHttpHeaders().set(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, extensions);
    }
}
