package io.bayeuxd.transport.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.broker.Broker;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.engine.MemoryEngine;
import io.bayeuxd.fanout.FrameWriter;
import io.bayeuxd.ops.BrokerMetrics;
import io.bayeuxd.ops.OpsHttpHandler;
import io.bayeuxd.ops.Readiness;
import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.transport.DrainEvent;
import io.bayeuxd.transport.Outbound;
import io.bayeuxd.transport.RawHttpResponse;
import io.bayeuxd.transport.TransportConfig;
import io.bayeuxd.transport.longpoll.PollingResponder;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.bayeuxd.transport.http.HttpTransportTest.json;
import static io.bayeuxd.transport.http.HttpTransportTest.read;
import static io.bayeuxd.transport.http.HttpTransportTest.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Long-polling while the server drains, through the real pipeline from the HTTP codec to the Bayeux
 * handler: a held connect is answered at once with everything queued and the connection closes after
 * its last response.
 */
class HttpDrainTest {
    private final MemoryEngine engine = new MemoryEngine(64);
    private final Broker broker = new Broker(BrokerConfig.builder().timeoutMs(5_000).build(), engine, new BayeuxEncoder(),
            ByteBufAllocator.DEFAULT, System::nanoTime);
    private final Readiness readiness = new Readiness();
    private final BrokerMetrics metrics = new BrokerMetrics(broker, readiness);
    // Two messages per response normally: a drain must hand over more than that.
    private final PollingResponder responder = new PollingResponder(broker, new FrameWriter(new BayeuxEncoder(), 2));
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        metrics.close();
        engine.close();
    }

    private EmbeddedChannel channel() {
        TransportConfig config = TransportConfig.defaults();
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(config.maxMessageBytes()),
                new OpsHttpHandler(readiness, metrics, config.maxPipelinedRequests()),
                new BayeuxHttpHandler(config, new BayeuxDecoder(), responder));
        ch.freezeTime();
        channels.add(ch);
        return ch;
    }

    private String subscribedClient(EmbeddedChannel ch, String channel) throws Exception {
        write(ch, json("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}"));
        String id = read(ch).json().get(0).get("clientId").asText();
        write(ch, json("{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"" + channel + "\"}"));
        assertThat(read(ch).json().get(0).get("successful").asBoolean()).isTrue();
        return id;
    }

    private static String connect(String id, String messageId) {
        return json("{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"long-polling\",\"id\":\"" + messageId + "\"}");
    }

    @Test
    void heldConnectIsAnsweredWithRetryAndEverythingQueuedThenTheConnectionCloses() throws Exception {
        EmbeddedChannel subscriber = channel();
        String id = subscribedClient(subscriber, "/news");
        write(subscriber, connect(id, "c"));
        assertThat(read(subscriber)).isNull();
        // Published while the subscriber's event loop has not yet run the wake-up: the messages wait queued.
        EmbeddedChannel publisher = channel();
        write(publisher, json("[" + "{\"channel\":\"/news\",\"data\":1},".repeat(4) + "{\"channel\":\"/news\",\"data\":1}]"));
        assertThat(engine.session(id).queuedMessages()).isEqualTo(5);

        subscriber.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);

        RawHttpResponse r = read(subscriber);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("connection", "close");
        JsonNode body = r.json();
        assertThat(body.get(0).get("channel").asText()).isEqualTo("/meta/connect");
        assertThat(body.get(0).get("successful").asBoolean()).isTrue();
        assertThat(body.get(0).get("advice").get("reconnect").asText()).isEqualTo("retry");
        assertThat(body).as("all five, though a response normally carries two").hasSize(6);
        assertThat(subscriber.isOpen()).isFalse();
        assertThat(engine.session(id).queuedMessages()).isZero();
        subscriber.runPendingTasks();
    }

    @Test
    void aConnectPipelinedBehindTheHeldOneIsNotHeldAndItsResponseClosesTheConnection() throws Exception {
        EmbeddedChannel ch = channel();
        String id = subscribedClient(ch, "/news");
        write(ch, connect(id, "first") + connect(id, "second"));
        assertThat(read(ch)).isNull();

        ch.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
        ch.runPendingTasks();

        String raw = Outbound.writtenText(ch);
        int first = raw.indexOf("\"id\":\"first\"");
        int second = raw.indexOf("\"id\":\"second\"");
        assertThat(first).isPositive();
        assertThat(second).isGreaterThan(first);
        assertThat(raw.indexOf("connection: close")).as("only the last response closes")
                .isGreaterThan(first).isLessThan(second);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void anIdleConnectionClosesAtOnce() throws Exception {
        EmbeddedChannel ch = channel();
        subscribedClient(ch, "/news");
        ch.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
        assertThat(read(ch)).isNull();
        assertThat(ch.isOpen()).isFalse();
    }
}
