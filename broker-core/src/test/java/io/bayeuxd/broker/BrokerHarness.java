package io.bayeuxd.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.bayeuxd.engine.MemoryEngine;
import io.bayeuxd.fanout.FrameWriter;
import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.session.DeliveryTarget;
import io.bayeuxd.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.EventExecutor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A broker with the in-memory engine and a fake clock, driven with JSON strings as a transport would,
 * and delivery targets on an {@link EmbeddedChannel}'s event loop so that tests run tasks explicitly.
 */
final class BrokerHarness implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final MemoryEngine engine;
    final Broker broker;
    final BayeuxDecoder decoder = new BayeuxDecoder();
    final FrameWriter frames = new FrameWriter(new BayeuxEncoder(), 100);
    final EmbeddedChannel loop = new EmbeddedChannel();
    final RequestContext context = new RequestContext() {
        @Override
        public String connectionType() {
            return "long-polling";
        }

        @Override
        public SocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 4000);
        }

        @Override
        public String header(String name) {
            return headers.get(name);
        }
    };
    Map<String, String> headers = Map.of();

    BrokerHarness(BrokerConfig config) {
        engine = new MemoryEngine(config.outboxCapacity());
        broker = new Broker(config, engine, new BayeuxEncoder(), ByteBufAllocator.DEFAULT, clock::get);
    }

    BrokerHarness() {
        this(BrokerConfig.defaults());
    }

    BatchResult process(String json) {
        return broker.process(decoder.decode(json), context);
    }

    /** The replies of one request as a JSON array (the held connect reply last, if any). */
    ArrayNode send(String json) {
        BatchResult result = process(json);
        List<Message> replies = new ArrayList<>(result.replies());
        if (result.connectReply() != null) {
            replies.add(result.connectReply());
        }
        return toJson(frames.frame(ByteBufAllocator.DEFAULT, replies, null));
    }

    JsonNode sendOne(String json) {
        ArrayNode replies = send(json);
        if (replies.size() != 1) {
            throw new AssertionError("expected one reply, got " + replies);
        }
        return replies.get(0);
    }

    String handshake() {
        JsonNode reply = sendOne("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}");
        return reply.get("clientId").asText();
    }

    JsonNode subscribe(String clientId, String channel) {
        return sendOne("{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + clientId + "\",\"subscription\":\"" + channel + "\"}");
    }

    /** A new client subscribed to {@code channel}; fails unless the subscription succeeded. */
    String subscriber(String channel) {
        String clientId = handshake();
        JsonNode reply = subscribe(clientId, channel);
        if (!reply.path("successful").asBoolean()) {
            throw new AssertionError("subscribing to " + channel + " failed: " + reply);
        }
        return clientId;
    }

    JsonNode unsubscribe(String clientId, String channel) {
        return sendOne("{\"channel\":\"/meta/unsubscribe\",\"clientId\":\"" + clientId + "\",\"subscription\":\"" + channel + "\"}");
    }

    /** A long-polling connect, as the broker answers it: held or not. */
    BatchResult connect(String clientId) {
        return process("{\"channel\":\"/meta/connect\",\"clientId\":\"" + clientId + "\",\"connectionType\":\"long-polling\"}");
    }

    JsonNode disconnect(String clientId) {
        return sendOne("{\"channel\":\"/meta/disconnect\",\"clientId\":\"" + clientId + "\"}");
    }

    JsonNode publish(String clientId, String channel, String data) {
        return sendOne("{\"channel\":\"" + channel + "\",\"clientId\":\"" + clientId + "\",\"data\":" + data + "}");
    }

    /** Attaches a target that collects delivered messages; runs on the embedded loop. */
    Collector collect(String clientId) {
        Collector c = new Collector();
        engine.session(clientId).attach(c);
        return c;
    }

    static ArrayNode toJson(ByteBuf frame) {
        try {
            return (ArrayNode) JSON.readTree(frame.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        } finally {
            frame.release();
        }
    }

    @Override
    public void close() {
        engine.close();
        broker.close();
        loop.finishAndReleaseAll();
    }

    /** A delivery target that drains into a list of JSON messages. */
    final class Collector implements DeliveryTarget {
        final List<JsonNode> received = new ArrayList<>();
        int closedCalls;

        @Override
        public EventExecutor executor() {
            return loop.eventLoop();
        }

        @Override
        public void onMessages(Session session) {
            ByteBuf frame = frames.messagesFrame(ByteBufAllocator.DEFAULT, session);
            if (frame != null) {
                toJson(frame).forEach(received::add);
            }
        }

        @Override
        public void onSessionClosed(Session session) {
            closedCalls++;
        }

        List<JsonNode> drain() {
            loop.runPendingTasks();
            return received;
        }
    }
}
