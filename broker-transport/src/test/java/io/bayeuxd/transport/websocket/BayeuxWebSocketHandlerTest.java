package io.bayeuxd.transport.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.broker.Broker;
import io.bayeuxd.engine.MemoryEngine;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The WebSocket handler on an {@link EmbeddedChannel}: frames in, frames out, timers under test control. */
class BayeuxWebSocketHandlerTest {
    private final EmbeddedWebSockets sockets = new EmbeddedWebSockets();
    private final MemoryEngine engine = sockets.engine;
    private final Broker broker = sockets.broker;

    @AfterEach
    void close() {
        sockets.close();
    }

    private EmbeddedChannel socket() {
        return sockets.socket();
    }

    private static List<JsonNode> send(EmbeddedChannel ch, String json) throws Exception {
        return EmbeddedWebSockets.send(ch, json);
    }

    private static List<JsonNode> read(EmbeddedChannel ch) throws Exception {
        return EmbeddedWebSockets.read(ch);
    }

    private static String connectedClient(EmbeddedChannel ch, String channel) throws Exception {
        String id = send(ch, "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]")
                .get(0).get("clientId").asText();
        assertThat(send(ch, "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"" + channel + "\"}]")
                .get(0).get("successful").asBoolean()).isTrue();
        assertThat(send(ch, "[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"websocket\"}]")).isEmpty();
        return id;
    }

    @Test
    void messagesArePushedWhileTheConnectIsHeldUntilTheTimeout() throws Exception {
        EmbeddedChannel sub = socket();
        connectedClient(sub, "/feed");
        EmbeddedChannel pub = socket();
        assertThat(send(pub, "[{\"channel\":\"/feed\",\"data\":1},{\"channel\":\"/feed\",\"data\":2}]")).hasSize(2);

        sub.runPendingTasks();
        List<JsonNode> pushed = read(sub);
        assertThat(pushed).extracting(m -> m.get("data").asInt()).containsExactly(1, 2);

        sub.advanceTimeBy(5, TimeUnit.SECONDS);
        sub.runScheduledPendingTasks();
        List<JsonNode> connect = read(sub);
        assertThat(connect).hasSize(1);
        assertThat(connect.get(0).get("channel").asText()).isEqualTo("/meta/connect");
        assertThat(connect.get(0).get("successful").asBoolean()).isTrue();
    }

    @Test
    void messagesWaitWhileTheSocketIsUnwritableAndFlowWhenItDrains() throws Exception {
        EmbeddedChannel sub = socket();
        connectedClient(sub, "/slow");
        sub.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(1, 2));
        // Fill the outbound buffer without flushing so the channel turns unwritable.
        sub.write(Unpooled.wrappedBuffer(new byte[16]));
        assertThat(sub.isWritable()).isFalse();

        EmbeddedChannel pub = socket();
        send(pub, "[{\"channel\":\"/slow\",\"data\":\"a\"}]");
        sub.runPendingTasks();
        assertThat(countQueued()).as("held back while unwritable").isEqualTo(1);
        assertThat((Object) sub.readOutbound()).isNull();

        sub.flush();
        Object raw = sub.readOutbound();
        ((io.netty.buffer.ByteBuf) raw).release();
        sub.pipeline().fireChannelWritabilityChanged();
        sub.runPendingTasks();
        assertThat(read(sub)).extracting(m -> m.get("data").asText()).containsExactly("a");
    }

    @Test
    void repliesToAnUnwritableSocketCarryNoQueuedMessages() throws Exception {
        EmbeddedChannel sub = socket();
        String id = connectedClient(sub, "/held");
        sub.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(1, 2));
        sub.write(Unpooled.wrappedBuffer(new byte[16]));
        assertThat(sub.isWritable()).isFalse();
        send(socket(), "[{\"channel\":\"/held\",\"data\":\"queued\"}]");
        sub.runPendingTasks();
        assertThat(countQueued()).isEqualTo(1);

        sub.writeInbound(new TextWebSocketFrame("[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/other\"}]"));
        ((io.netty.buffer.ByteBuf) sub.readOutbound()).release();
        TextWebSocketFrame reply = sub.readOutbound();
        try {
            assertThat(reply.text()).contains("/meta/subscribe").doesNotContain("queued");
        } finally {
            reply.release();
        }
        sub.runPendingTasks();
        assertThat(read(sub)).extracting(m -> m.get("data").asText()).containsExactly("queued");
    }

    private int countQueued() {
        int n = 0;
        for (var s : engine.sessions()) {
            n += s.queuedMessages();
        }
        return n;
    }

    @Test
    void binaryFrameIsAnsweredWithClose1003() {
        EmbeddedChannel ch = socket();
        ch.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2})));
        Object out = ch.readOutbound();
        assertThat(out).isInstanceOf(CloseWebSocketFrame.class);
        CloseWebSocketFrame close = (CloseWebSocketFrame) out;
        assertThat(close.statusCode()).isEqualTo(1003);
        close.release();
    }

    @Test
    void garbageIsIgnoredAndKeepAliveIsEchoed() throws Exception {
        EmbeddedChannel ch = socket();
        assertThat(send(ch, "{nope")).isEmpty();
        ch.writeInbound(new TextWebSocketFrame("[]"));
        TextWebSocketFrame echo = ch.readOutbound();
        assertThat(echo.text()).isEqualTo("[]");
        echo.release();
        assertThat(ch.isActive()).isTrue();
    }

    @Test
    void closingTheSocketKeepsTheSessionsMessagesForItsNextConnection() throws Exception {
        EmbeddedChannel first = socket();
        String id = connectedClient(first, "/later");
        first.close();
        send(socket(), "[{\"channel\":\"/later\",\"data\":42}]");
        assertThat(engine.session(id).queuedMessages()).isEqualTo(1);

        EmbeddedChannel second = socket();
        List<JsonNode> got = new ArrayList<>(send(second, "[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id
                + "\",\"connectionType\":\"websocket\",\"advice\":{\"timeout\":0}}]"));
        second.runPendingTasks();
        got.addAll(read(second));
        assertThat(got).extracting(m -> m.path("channel").asText()).contains("/meta/connect", "/later");
    }
}
