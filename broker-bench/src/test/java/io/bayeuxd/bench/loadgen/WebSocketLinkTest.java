package io.bayeuxd.bench.loadgen;

import io.bayeuxd.bench.loadgen.LongPollLinkTest.RecordingListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives {@link WebSocketLink} alone: the upgrade is simulated by the protocol handler's event. */
class WebSocketLinkTest {

    private final RecordingListener listener = new RecordingListener();
    private final WebSocketLink link = new WebSocketLink(listener);
    private final EmbeddedChannel channel = new EmbeddedChannel(link);

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Test
    void isUpOnlyAfterTheUpgrade() {
        assertThat(link.isUp()).isFalse();
        ByteBuf early = frame("[{}]");
        assertThat(link.send(early)).isFalse();
        assertThat(early.refCnt()).isZero();

        channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);

        assertThat(link.isUp()).isTrue();
        assertThat(listener.ups).isEqualTo(1);
    }

    @Test
    void sendsEachFrameAsOneTextMessageOnFlush() {
        channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);

        link.send(frame("[{\"channel\":\"/bench/0\"}]"));
        link.send(frame("[{\"channel\":\"/bench/1\"}]"));
        link.flush();

        TextWebSocketFrame first = channel.readOutbound();
        TextWebSocketFrame second = channel.readOutbound();
        try {
            assertThat(first.text()).isEqualTo("[{\"channel\":\"/bench/0\"}]");
            assertThat(second.text()).isEqualTo("[{\"channel\":\"/bench/1\"}]");
        } finally {
            first.release();
            second.release();
        }
    }

    @Test
    void handsTextMessagesToTheListenerAndReleasesThem() {
        channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
        TextWebSocketFrame incoming = new TextWebSocketFrame("[{\"channel\":\"/meta/connect\",\"successful\":true}]");

        channel.writeInbound(incoming);

        assertThat(listener.frames).containsExactly("[{\"channel\":\"/meta/connect\",\"successful\":true}]");
        assertThat(incoming.refCnt()).isZero();
    }

    @Test
    void anUpgradeTimeoutTakesTheLinkDownOnce() {
        channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT);
        link.close();

        assertThat(listener.downs).containsExactly("websocket upgrade timed out");
    }

    @Test
    void anExceptionClosesTheLinkWithItsCauseAsTheReason() {
        channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);

        channel.pipeline().fireExceptionCaught(new IllegalStateException("bad frame"));

        assertThat(listener.downs).singleElement().asString().contains("bad frame");
        assertThat(link.isUp()).isFalse();
    }

    private static ByteBuf frame(String json) {
        return Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
    }
}
