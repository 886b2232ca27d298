package io.bayeuxd.transport.longpoll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bayeuxd.broker.Broker;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.engine.MemoryEngine;
import io.bayeuxd.fanout.FrameWriter;
import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.transport.http.HttpRequestContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CometD's acknowledgement extension over long-polling, with the polling responder answering into a
 * recorder on an {@link EmbeddedChannel}'s event loop: a batch is kept until acknowledged, and one that
 * was answered into a dropped connection goes out again before anything new.
 */
class AcknowledgedPollingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EmbeddedChannel loop = new EmbeddedChannel();
    private final MemoryEngine engine = new MemoryEngine(1024);
    private final Broker broker = new Broker(BrokerConfig.builder().timeoutMs(5_000).build(), engine, new BayeuxEncoder(),
            ByteBufAllocator.DEFAULT, System::nanoTime);
    private final PollingResponder responder = new PollingResponder(broker, new FrameWriter(new BayeuxEncoder(), 100));
    private final BayeuxDecoder decoder = new BayeuxDecoder();
    private final HttpRequestContext context = new HttpRequestContext("long-polling", null, new DefaultHttpHeaders());

    @AfterEach
    void close() {
        engine.close();
        loop.finishAndReleaseAll();
    }

    /** One request's answer, as JSON, once it is sent. */
    private final class Answer implements PollReply {
        List<JsonNode> messages;

        @Override
        public EventExecutor executor() {
            return loop.eventLoop();
        }

        @Override
        public ByteBufAllocator alloc() {
            return ByteBufAllocator.DEFAULT;
        }

        @Override
        public void send(ByteBuf json) {
            try {
                messages = new ArrayList<>();
                JSON.readTree(json.toString(StandardCharsets.UTF_8)).forEach(messages::add);
            } catch (Exception e) {
                throw new AssertionError(e);
            } finally {
                json.release();
            }
        }

        @Override
        public void abandoned() {
        }
    }

    private Answer request(String json) {
        Answer answer = new Answer();
        responder.handle(decoder.decode(json), context, answer);
        loop.runPendingTasks();
        return answer;
    }

    private static String connect(String id, long ack) {
        return "[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"long-polling\",\"ext\":{\"ack\":" + ack + "}}]";
    }

    private static List<String> summary(Answer answer) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : answer.messages) {
            out.add(m.get("channel").asText().equals("/meta/connect")
                    ? "connect:" + m.path("ext").path("ack").asText("none") : m.get("data").asText());
        }
        return out;
    }

    @Test
    void aBatchAnsweredIntoADroppedConnectionGoesOutAgainFirst() {
        Answer handshake = request("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"],"
                + "\"ext\":{\"ack\":true}}]");
        assertThat(handshake.messages.get(0).get("ext").get("ack").asBoolean()).isTrue();
        String id = handshake.messages.get(0).get("clientId").asText();
        request("[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/feed\"}]");

        Answer held = request(connect(id, 0));
        assertThat(held.messages).isNull();
        request("[{\"channel\":\"/feed\",\"data\":\"a\"},{\"channel\":\"/feed\",\"data\":\"b\"}]");
        assertThat(summary(held)).containsExactly("a", "b", "connect:1");

        // That answer never reached the client; it polls again acknowledging nothing newer than 0.
        request("[{\"channel\":\"/feed\",\"data\":\"c\"}]");
        assertThat(summary(request(connect(id, 0)))).containsExactly("a", "b", "c", "connect:2");

        Answer next = request(connect(id, 2));
        assertThat(next.messages).as("held: everything was acknowledged").isNull();
        assertThat(engine.session(id).unacknowledgedMessages()).isZero();
        request("[{\"channel\":\"/feed\",\"data\":\"d\"}]");
        assertThat(summary(next)).containsExactly("d", "connect:3");
    }
}
