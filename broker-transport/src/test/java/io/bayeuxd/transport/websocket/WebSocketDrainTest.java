package io.bayeuxd.transport.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bayeuxd.broker.Broker;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.broker.RequestContext;
import io.bayeuxd.engine.MemoryEngine;
import io.bayeuxd.fanout.FrameWriter;
import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.transport.DrainEvent;
import io.bayeuxd.transport.http.HttpRequestContext;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Bayeux WebSocket while the server drains, on an {@link EmbeddedChannel} whose event loop runs only
 * when told: messages queued but not yet pushed go out in one last frame with the held connect reply,
 * then the close frame with 1001, and nothing after it.
 */
class WebSocketDrainTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MemoryEngine engine = new MemoryEngine(64);
    private final Broker broker = new Broker(BrokerConfig.builder().timeoutMs(5_000).build(), engine, new BayeuxEncoder(),
            ByteBufAllocator.DEFAULT, System::nanoTime);
    private final BayeuxDecoder decoder = new BayeuxDecoder();
    private final RequestContext publisher = new HttpRequestContext("long-polling", null, new DefaultHttpHeaders());
    // Two messages per frame normally: a drain must hand over more than that.
    private final BayeuxWebSocketHandler handler = new BayeuxWebSocketHandler(broker, decoder, new FrameWriter(new BayeuxEncoder(), 2));
    private final EmbeddedChannel ch;

    WebSocketDrainTest() {
        handler.upgraded(new WebSocketServerHandshaker13("ws://localhost/", null, false, 65536),
                new HttpRequestContext("websocket", null, new DefaultHttpHeaders()), null);
        ch = new EmbeddedChannel(handler);
        ch.freezeTime();
    }

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
        engine.close();
    }

    private JsonNode send(String json) throws Exception {
        ch.writeInbound(new TextWebSocketFrame(json));
        TextWebSocketFrame out = ch.readOutbound();
        if (out == null) {
            return null;
        }
        try {
            return JSON.readTree(out.text());
        } finally {
            out.release();
        }
    }

    private void publish(int data) {
        broker.process(decoder.decode("{\"channel\":\"/news\",\"data\":" + data + "}"), publisher);
    }

    @Test
    void queuedMessagesAndTheHeldReplyGoOutInOneFrameThenCloseWith1001() throws Exception {
        String id = send("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]")
                .get(0).get("clientId").asText();
        send("[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/news\"}]");
        assertThat(send("[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"websocket\",\"id\":\"c\"}]"))
                .as("the connect reply is held").isNull();
        for (int i = 0; i < 5; i++) {
            publish(i);
        }
        assertThat(engine.session(id).queuedMessages()).as("the push has not run yet").isEqualTo(5);

        ch.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);

        TextWebSocketFrame last = ch.readOutbound();
        JsonNode frame = JSON.readTree(last.text());
        last.release();
        assertThat(frame.get(0).get("id").asText()).isEqualTo("c");
        assertThat(frame.get(0).get("successful").asBoolean()).isTrue();
        assertThat(frame.get(0).get("advice").get("reconnect").asText()).isEqualTo("retry");
        assertThat(frame).as("all five, though a frame normally carries two").hasSize(6);
        for (int i = 0; i < 5; i++) {
            assertThat(frame.get(i + 1).get("data").asInt()).isEqualTo(i);
        }
        CloseWebSocketFrame close = ch.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1001);
        close.release();
        assertThat(ch.isOpen()).isFalse();

        // The wake-up the publishes scheduled finds the socket detached; a later publish stays queued.
        ch.runPendingTasks();
        publish(5);
        ch.runPendingTasks();
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(engine.session(id).target()).isNull();
        assertThat(engine.session(id).queuedMessages()).isEqualTo(1);
    }

    @Test
    void aSocketWithNothingPendingJustClosesWith1001() throws Exception {
        send("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]");
        ch.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
        CloseWebSocketFrame close = ch.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1001);
        close.release();
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(ch.isOpen()).isFalse();
    }
}
