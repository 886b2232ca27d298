package io.bayeuxd.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.bench.loadgen.FakeLink;
import io.bayeuxd.bench.loadgen.ServerFrameParser;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SlowConsumerTest {

    private SoakHarness h;
    private EmbeddedChannel channel;
    private SlowConsumer consumer;
    private int closed;

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        h.close();
    }

    private void open(boolean keepConnecting) {
        open(keepConnecting, 0);
    }

    private void open(boolean keepConnecting, long chatterMs) {
        String[] options = {"--busy-rate", "100", "--slow", "1", "--slow-lifetime", "60", "--slow-chatter", String.valueOf(chatterMs)};
        h = new SoakHarness(keepConnecting ? SoakHarness.config(options)
                : SoakHarness.config(Stream.concat(Stream.of(options), Stream.of("--slow-silent")).toArray(String[]::new)));
        channel = new EmbeddedChannel();
        channel.freezeTime();
        consumer = new SlowConsumer(h.soak, new ServerFrameParser(), () -> closed++);
        channel.pipeline().addLast(consumer);
        channel.pipeline().fireChannelActive();
        channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
    }

    private JsonNode sent() throws Exception {
        TextWebSocketFrame frame = channel.readOutbound();
        try {
            return FakeLink.JSON.readTree(frame.text()).get(0);
        } finally {
            frame.release();
        }
    }

    private void receive(String json) {
        channel.writeInbound(new TextWebSocketFrame(Unpooled.copiedBuffer(json, StandardCharsets.UTF_8)));
    }

    private void stall() throws Exception {
        assertThat(sent().get("channel").asText()).isEqualTo("/meta/handshake");
        receive("[{\"channel\":\"/meta/handshake\",\"successful\":true,\"clientId\":\"slow1\"}]");
        JsonNode subscribe = sent();
        assertThat(subscribe.get("subscription").asText()).isEqualTo("/bench/" + h.config.busyChannel());
        receive("[{\"channel\":\"/meta/subscribe\",\"successful\":true}]");
        assertThat(sent().get("channel").asText()).isEqualTo("/meta/connect");
    }

    @Test
    void subscribesToTheBusyChannelThenStopsReading() throws Exception {
        open(false);
        stall();

        assertThat(consumer.state()).isEqualTo(SlowConsumer.State.STALLED);
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(h.stats.slowStalled.sum()).isEqualTo(1);
        channel.advanceTimeBy(30, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat((Object) channel.readOutbound()).as("silent").isNull();
    }

    @Test
    void keepsItsSessionAliveWithConnectsItNeverReadsTheAnswersTo() throws Exception {
        open(true);
        stall();

        channel.advanceTimeBy(h.config.brokerTimeoutMs() / 2, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        JsonNode connect = sent();
        assertThat(connect.get("channel").asText()).isEqualTo("/meta/connect");
        assertThat(connect.get("clientId").asText()).isEqualTo("slow1");
    }

    @Test
    void chattersWithSubscribesWhenAsked() throws Exception {
        open(false, 200);
        stall();

        channel.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        JsonNode subscribe = sent();
        assertThat(subscribe.get("channel").asText()).isEqualTo("/meta/subscribe");
        assertThat(subscribe.get("subscription").asText()).isEqualTo("/bench/" + h.config.busyChannel());
    }

    @Test
    void closesAtTheEndOfItsLifetime() throws Exception {
        open(true);
        stall();

        channel.advanceTimeBy(60, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(closed).isEqualTo(1);
        assertThat(h.stats.slowFailed.sum()).isZero();
    }

    @Test
    void aRefusedHandshakeIsAFailure() throws Exception {
        open(false);
        sent();
        receive("[{\"channel\":\"/meta/handshake\",\"successful\":false,\"error\":\"403::Handshake denied\"}]");

        assertThat(h.stats.slowFailed.sum()).isEqualTo(2); // the refusal, then the close before stalling
        assertThat(h.stats.lastSlowFailure.get()).contains("closed while HANDSHAKING");
        assertThat(channel.isOpen()).isFalse();
        assertThat(closed).isEqualTo(1);
    }
}
