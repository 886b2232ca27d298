package io.bayeuxd.transport.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.broker.LocalClient;
import io.bayeuxd.engine.redis.RedisBus;
import io.bayeuxd.engine.redis.RedisServerProcess;
import io.bayeuxd.protocol.JsonValue;
import io.bayeuxd.server.BrokerServer;
import io.bayeuxd.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code /meta/subscribe} reply counts: once a client of node A has it, a publication node B makes
 * right after reaches the client, because A answers only when Redis has confirmed its SUBSCRIBE (two
 * brokers on a real {@code redis-server}). Each round subscribes to a channel no session of A had, so
 * A has to SUBSCRIBE anew, and B publishes the moment the reply is in.
 */
class SubscribeConfirmedTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROUNDS = 200;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TwoNodes nodes;
    private BrokerServer a;
    private BrokerServer b;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(RedisServerProcess.isInstalled(), "redis-server is not installed: cluster subscribe tests skipped");
        nodes = TwoNodes.start(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2)
                .broker(BrokerConfig.builder().timeoutMs(5_000).build()).build());
        a = nodes.a;
        b = nodes.b;
    }

    @AfterEach
    void stop() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void aPublicationOfAnotherNodeRightAfterTheSubscribeReplyArrives() throws Exception {
        String id = post(a, "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}]")
                .get(0).get("clientId").asText();
        LocalClient publisher = b.newLocalClient();
        for (int round = 0; round < ROUNDS; round++) {
            String channel = "/race/" + round;
            JsonNode reply = post(a, "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"" + channel + "\"}]").get(0);
            assertThat(reply.get("successful").asBoolean()).as("%s", reply).isTrue();
            assertThat(publisher.publish(channel, JsonValue.parse("{\"round\":" + round + "}")).successful()).isTrue();

            // Connects that answer at once, until the publication is there; one that never comes fails the round.
            List<JsonNode> received = new ArrayList<>();
            int expected = round;
            await("round " + round + "'s publication").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> {
                post(a, "[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"long-polling\","
                        + "\"advice\":{\"timeout\":0}}]").findParents("data").forEach(received::add);
                return !received.isEmpty();
            });
            assertThat(received).singleElement().satisfies(m -> {
                assertThat(m.get("channel").asText()).isEqualTo(channel);
                assertThat(m.get("data").get("round").asInt()).isEqualTo(expected);
            });
            // Leaves A listening on nothing of this round's, so the next round starts from the same state.
            post(a, "[{\"channel\":\"/meta/unsubscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"" + channel + "\"}]");
        }
        publisher.close();
    }

    @Test
    void aBatchOfSubscribesIsConfirmedWholeAndHoldsNothingAfterwards() throws Exception {
        String id = post(a, "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}]")
                .get(0).get("clientId").asText();
        int n = 50;
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"channel\":\"/meta/subscribe\",\"clientId\":\"").append(id)
                    .append("\",\"subscription\":\"/batch/").append(i).append("\"}");
        }
        JsonNode replies = post(a, batch.append("]").toString());
        assertThat(replies).hasSize(n).allSatisfy(r -> assertThat(r.get("successful").asBoolean()).as("%s", r).isTrue());

        LocalClient publisher = b.newLocalClient();
        for (int i = 0; i < n; i++) {
            assertThat(publisher.publish("/batch/" + i, JsonValue.parse(Integer.toString(i))).successful()).isTrue();
        }
        List<JsonNode> received = new ArrayList<>();
        await("every publication of node B").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> {
            post(a, "[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"long-polling\","
                    + "\"advice\":{\"timeout\":0}}]").findParents("data").forEach(received::add);
            return received.size() >= n;
        });
        assertThat(received).extracting(m -> m.get("data").asInt()).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, n).boxed().toList());
        publisher.close();

        // What the node listened on for the request is let go: unsubscribed, it listens on none of them.
        StringBuilder unsubscribe = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            unsubscribe.append(i == 0 ? "" : ",").append("{\"channel\":\"/meta/unsubscribe\",\"clientId\":\"").append(id)
                    .append("\",\"subscription\":\"/batch/").append(i).append("\"}");
        }
        post(a, unsubscribe.append("]").toString());
        assertThat(((RedisBus) a.broker().engine().bus()).listenedChannels()).isZero();
    }

    @Test
    void whileRedisIsDownASubscribeIsAnsweredAndDeliversThisNodesPublications() throws Exception {
        String id = post(a, "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}]")
                .get(0).get("clientId").asText();
        nodes.redis.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> !a.broker().engine().isClusterHealthy());

        JsonNode reply = post(a, "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/down\"}]").get(0);
        assertThat(reply.get("successful").asBoolean()).as("%s", reply).isTrue();
        LocalClient local = a.newLocalClient();
        local.publish("/down", JsonValue.parse("1"));
        JsonNode delivered = post(a, "[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"long-polling\","
                + "\"advice\":{\"timeout\":0}}]");
        assertThat(delivered.findParents("data")).extracting(m -> m.get("channel").asText()).containsExactly("/down");
        local.close();
    }

    private JsonNode post(BrokerServer node, String body) throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(200);
        return JSON.readTree(res.body());
    }
}
