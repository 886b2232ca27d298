package io.bayeuxd.transport.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.broker.Broker;
import io.bayeuxd.engine.MemoryEngine;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CometD's acknowledgement extension over a WebSocket on {@link EmbeddedChannel}s: messages leave only
 * with connect replies, numbered, and a batch the client did not acknowledge goes out again first.
 */
class AcknowledgedWebSocketTest {
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

    private static String connect(String id, long ack) {
        return "[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"websocket\",\"ext\":{\"ack\":" + ack + "}}]";
    }

    /** What a frame carried: the data of each message, then "connect:<batch>" for the connect reply. */
    private static List<String> summary(List<JsonNode> frame) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : frame) {
            out.add(m.get("channel").asText().equals("/meta/connect")
                    ? "connect:" + m.path("ext").path("ack").asText("none") : m.get("data").asText());
        }
        return out;
    }

    @Test
    void messagesLeaveOnlyWithConnectRepliesAndAnUnacknowledgedBatchGoesOutAgain() throws Exception {
        EmbeddedChannel sub = socket();
        JsonNode handshake = send(sub, "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"],"
                + "\"ext\":{\"ack\":true}}]").get(0);
        assertThat(handshake.get("ext").get("ack").asBoolean()).isTrue();
        String id = handshake.get("clientId").asText();
        send(sub, "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/feed\"}]");
        // CometD's first connect asks for no hold.
        assertThat(summary(send(sub, "[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id
                + "\",\"connectionType\":\"websocket\",\"advice\":{\"timeout\":0},\"ext\":{\"ack\":0}}]"))).containsExactly("connect:1");
        assertThat(send(sub, connect(id, 1))).as("held").isEmpty();

        EmbeddedChannel pub = socket();
        send(pub, "[{\"channel\":\"/feed\",\"data\":\"a\"},{\"channel\":\"/feed\",\"data\":\"b\"}]");
        sub.runPendingTasks();
        assertThat(summary(read(sub))).containsExactly("a", "b", "connect:2");

        send(pub, "[{\"channel\":\"/feed\",\"data\":\"c\"}]");
        sub.runPendingTasks();
        assertThat(read(sub)).as("no connect held: nothing is pushed").isEmpty();
        assertThat(engine.session(id).queuedMessages()).isEqualTo(1);

        // The reply of batch 2 was lost: the client acknowledges 1 again, and gets a, b before c.
        assertThat(summary(send(sub, connect(id, 1)))).containsExactly("a", "b", "c", "connect:3");
        assertThat(send(sub, connect(id, 3))).isEmpty();
        assertThat(engine.session(id).unacknowledgedMessages()).isZero();

        // A held connect that times out carries an empty batch.
        sub.advanceTimeBy(5, TimeUnit.SECONDS);
        sub.runScheduledPendingTasks();
        assertThat(summary(read(sub))).containsExactly("connect:4");
    }

    @Test
    void aSessionWithoutTheExtensionIsPushedToAsBefore() throws Exception {
        EmbeddedChannel sub = socket();
        JsonNode handshake = send(sub, "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]").get(0);
        assertThat(handshake.has("ext")).isFalse();
        String id = handshake.get("clientId").asText();
        send(sub, "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/feed\"}]");
        assertThat(send(sub, connect(id, 0))).isEmpty();

        send(socket(), "[{\"channel\":\"/feed\",\"data\":\"a\"}]");
        sub.runPendingTasks();
        assertThat(summary(read(sub))).containsExactly("a");
    }

    @Test
    void aClosedSocketLeavesTheBatchKeptForTheNextOne() throws Exception {
        EmbeddedChannel first = socket();
        String id = send(first, "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"],"
                + "\"ext\":{\"ack\":true}}]").get(0).get("clientId").asText();
        send(first, "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/feed\"}]");
        assertThat(send(first, connect(id, 0))).isEmpty();
        send(socket(), "[{\"channel\":\"/feed\",\"data\":\"a\"}]");
        first.runPendingTasks();
        // Written, but say the connection dropped before the client read it.
        assertThat(summary(read(first))).containsExactly("a", "connect:1");
        first.close();

        EmbeddedChannel second = socket();
        assertThat(summary(send(second, connect(id, 0)))).containsExactly("a", "connect:2");
    }
}
