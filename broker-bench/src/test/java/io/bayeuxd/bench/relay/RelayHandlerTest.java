package io.bayeuxd.bench.relay;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives {@link RelayHandler} through {@link EmbeddedChannel}s sharing one {@link RelayRoutes}. */
class RelayHandlerTest {

    private static final long TIMEOUT_MS = 1_000;

    private final RelayRoutes routes = new RelayRoutes();
    private final AtomicLong clientIds = new AtomicLong();
    private final EmbeddedChannel subscriber = socket();
    private final EmbeddedChannel publisher = socket();

    @AfterEach
    void close() {
        subscriber.finishAndReleaseAll();
        publisher.finishAndReleaseAll();
    }

    @Test
    void handshakeGivesEachSocketItsOwnClientId() {
        String first = request(subscriber, "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"id\":\"1\"}]");
        String second = request(publisher, "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"id\":\"1\"}]");

        assertThat(first).contains("\"successful\":true", "\"clientId\":\"relay1\"", "\"id\":\"1\"");
        assertThat(second).contains("\"clientId\":\"relay2\"");
    }

    @Test
    void forwardsAPublishVerbatimToTheSubscribersOfItsChannelOnly() {
        EmbeddedChannel other = socket();
        assertThat(request(subscriber, "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"relay1\",\"subscription\":\"/bench/0\",\"id\":\"2\"}]"))
                .contains("\"successful\":true", "\"subscription\":\"/bench/0\"");
        request(other, "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"relay3\",\"subscription\":\"/bench/1\",\"id\":\"2\"}]");
        String publish = "[{\"channel\":\"/bench/0\",\"clientId\":\"relay2\",\"data\":{\"ts\":5,\"seq\":0,\"pad\":\"x\"},\"id\":\"9\"}]";

        // fireChannelRead, not writeInbound: EmbeddedChannel would end the read batch at once.
        publisher.pipeline().fireChannelRead(new TextWebSocketFrame(publish));
        assertThat((Object) subscriber.readOutbound()).as("not flushed before the end of the read batch").isNull();
        publisher.pipeline().fireChannelReadComplete();
        String ack = readText(publisher);

        assertThat(ack).isEqualTo("[{\"channel\":\"/bench/0\",\"successful\":true,\"id\":\"9\"}]");
        assertThat(readText(subscriber)).isEqualTo(publish);
        assertThat((Object) other.readOutbound()).isNull();
        other.finishAndReleaseAll();
    }

    @Test
    void holdsAConnectForTheTimeout() {
        subscriber.writeInbound(new TextWebSocketFrame("[{\"channel\":\"/meta/connect\",\"clientId\":\"relay1\",\"id\":\"3\"}]"));
        assertThat((Object) subscriber.readOutbound()).isNull();

        subscriber.advanceTimeBy(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        subscriber.runScheduledPendingTasks();

        assertThat(readText(subscriber)).contains("\"/meta/connect\"", "\"successful\":true", "\"id\":\"3\"");
    }

    @Test
    void unsubscribeStopsForwardingAndDisconnectCloses() {
        request(subscriber, "[{\"channel\":\"/meta/subscribe\",\"subscription\":\"/bench/0\"}]");
        request(subscriber, "[{\"channel\":\"/meta/unsubscribe\",\"subscription\":\"/bench/0\"}]");
        assertThat(routes.subscribers("/bench/0")).isZero();

        assertThat(request(subscriber, "[{\"channel\":\"/meta/disconnect\",\"id\":\"4\"}]")).contains("\"successful\":true");
        assertThat(subscriber.isOpen()).isFalse();
    }

    @Test
    void ignoresFramesWithoutAChannel() {
        subscriber.writeInbound(new TextWebSocketFrame("hello"));

        assertThat((Object) subscriber.readOutbound()).isNull();
    }

    @Test
    void closesTheSocketOnAnIoError() {
        subscriber.pipeline().fireExceptionCaught(new java.io.IOException("Connection reset by peer"));

        assertThat(subscriber.isOpen()).isFalse();
    }

    private EmbeddedChannel socket() {
        return new EmbeddedChannel(new RelayHandler(routes, clientIds, TIMEOUT_MS));
    }

    private static String request(EmbeddedChannel socket, String json) {
        socket.writeInbound(new TextWebSocketFrame(json));
        return readText(socket);
    }

    private static String readText(EmbeddedChannel socket) {
        TextWebSocketFrame frame = socket.readOutbound();
        assertThat(frame).isNotNull();
        try {
            return frame.text();
        } finally {
            frame.release();
        }
    }
}
