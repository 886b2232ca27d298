package io.bayeuxd.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.engine.redis.RedisBus;
import io.bayeuxd.engine.redis.RedisServerProcess;
import io.bayeuxd.security.jwt.JwtKeys;
import io.bayeuxd.security.jwt.JwtSecurityPolicy;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP API of a cluster: three brokers on one real {@code redis-server}, long-polling sessions
 * (with a JWT's user) on each, and every API call made to one node with the JDK's {@link HttpClient}.
 * Presence, channels and info cover every node; a disconnect or an unsubscribe of another node's client
 * really acts there; a stopped node, and one that listens but never answers, give a correct or a partial
 * answer within the timeout.
 */
class ClusterHttpApiTest {
    private static final String KEY = "cluster-api-test-key-0123456789";
    private static final String SECRET = "cluster-api-test-jwt-secret-0123456789";
    private static final ObjectMapper JSON = HttpCalls.JSON;

    private final HttpCalls calls = new HttpCalls(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
    private RedisServerProcess redis;
    private final List<BrokerServer> nodes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(RedisServerProcess.isInstalled(), "redis-server is not installed: cluster API tests skipped");
        redis = RedisServerProcess.start();
        for (int i = 0; i < 3; i++) {
            // Connects are held for a minute: within a test only a delivery or the API answers one.
            nodes.add(new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).managementPort(0).ioThreads(2).apiKey(KEY)
                    .securityPolicy(new JwtSecurityPolicy(JwtKeys.secret(SECRET)))
                    .broker(BrokerConfig.builder().timeoutMs(60_000).build()).build(),
                    new RedisBus(redis.url(), "test:", 1_000)).start());
        }
    }

    @AfterEach
    void stop() throws Exception {
        nodes.forEach(BrokerServer::close);
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void presenceChannelsAndInfoCoverEveryNode() throws Exception {
        String alice = handshake(nodes.get(0), "alice");
        String bob = handshake(nodes.get(1), "bob");
        String carol = handshake(nodes.get(2), "carol");
        subscribe(nodes.get(0), alice, "/room");
        subscribe(nodes.get(1), bob, "/room");
        subscribe(nodes.get(2), carol, "/room");
        subscribe(nodes.get(2), carol, "/chat/*");

        for (BrokerServer asked : nodes) {
            JsonNode present = ok(calls.api(asked, "GET", "/api/presence?channel=/room", KEY, null));
            assertThat(present.get("channel").asText()).isEqualTo("/room");
            assertThat(present.get("clients")).extracting(c -> c.get("clientId").asText() + " " + c.get("user").asText())
                    .containsExactly(alice + " alice", bob + " bob", carol + " carol");
            assertThat(present.has("partial")).isFalse();

            assertThat(ok(calls.api(asked, "GET", "/api/channels", KEY, null))).isEqualTo(JSON.readTree(
                    "{\"channels\":[{\"channel\":\"/chat/*\",\"subscribers\":1},{\"channel\":\"/room\",\"subscribers\":3}]}"));
        }

        JsonNode info = ok(calls.api(nodes.get(1), "GET", "/api/info", KEY, null));
        assertThat(info.get("engine").asText()).isEqualTo("redis");
        assertThat(info.get("nodeToken").asText()).isEqualTo(nodes.get(1).broker().engine().bus().nodeToken());
        assertThat(info.get("nodes")).hasSize(3);
        assertThat(info.get("nodes").get(0).get("nodeToken").asText()).as("the answering node first").isEqualTo(info.get("nodeToken").asText());
        assertThat(info.get("nodes")).extracting(n -> n.get("nodeToken").asText()).containsExactlyInAnyOrderElementsOf(
                nodes.stream().map(n -> n.broker().engine().bus().nodeToken()).toList());
        // Each node: its client and the API's own in-process publisher.
        assertThat(info.get("sessions").asInt()).isEqualTo(6);
        assertThat(info.get("subscriptions").asInt()).isEqualTo(4);
        assertThat(info.get("channels").asInt()).as("each node's distinct channels, summed").isEqualTo(4);
    }

    @Test
    void disconnectingAClientOfAnotherNodeEndsItThere() throws Exception {
        BrokerServer home = nodes.get(1);
        String bob = handshake(home, "bob");
        CompletableFuture<HttpResponse<String>> held = calls.connect(home, bob);
        await().atMost(Duration.ofSeconds(10)).until(() -> home.broker().engine().session(bob).target() != null);

        HttpResponse<String> ended = calls.api(nodes.get(0), "POST", "/api/disconnect", KEY, "{\"clientId\":\"" + bob + "\"}");
        assertThat(ended.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ended.body())).isEqualTo(JSON.readTree("{\"disconnected\":\"" + bob + "\"}"));
        JsonNode reply = JSON.readTree(held.get(10, TimeUnit.SECONDS).body()).get(0);
        assertThat(reply.get("channel").asText()).isEqualTo("/meta/connect");
        assertThat(reply.get("advice").get("reconnect").asText()).isEqualTo("handshake");
        assertThat(home.broker().engine().session(bob)).isNull();
        // Its next request, wherever it lands, is told to handshake again.
        JsonNode again = calls.bayeux(nodes.get(2), "{\"channel\":\"/meta/connect\",\"clientId\":\"" + bob + "\",\"connectionType\":\"long-polling\"}").get(0);
        assertThat(again.get("error").asText()).startsWith("401:");
        assertThat(again.get("advice").get("reconnect").asText()).isEqualTo("handshake");

        HttpResponse<String> unknown = calls.api(nodes.get(0), "POST", "/api/disconnect", KEY, "{\"clientId\":\"" + bob + "\"}");
        assertThat(unknown.statusCode()).as("answered by the client's node, which no longer has it").isEqualTo(404);
    }

    @Test
    void disconnectingAUserEndsItsSessionsOnEveryNode() throws Exception {
        String onA = handshake(nodes.get(0), "alice");
        String onB = handshake(nodes.get(1), "alice");
        String onC = handshake(nodes.get(2), "alice");
        String bob = handshake(nodes.get(2), "bob");

        HttpResponse<String> ended = calls.api(nodes.get(1), "POST", "/api/disconnect", KEY, "{\"user\":\"alice\"}");
        assertThat(ended.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(ended.body());
        assertThat(body.get("user").asText()).isEqualTo("alice");
        assertThat(body.get("disconnected")).extracting(JsonNode::asText).containsExactlyInAnyOrder(onA, onB, onC);
        assertThat(nodes.get(0).broker().engine().session(onA)).isNull();
        assertThat(nodes.get(1).broker().engine().session(onB)).isNull();
        assertThat(nodes.get(2).broker().engine().session(onC)).isNull();
        assertThat(nodes.get(2).broker().engine().session(bob)).isNotNull();
    }

    @Test
    void unsubscribingAClientOfAnotherNodeStopsItsDeliveries() throws Exception {
        BrokerServer home = nodes.get(2);
        String carol = handshake(home, "carol");
        subscribe(home, carol, "/a");
        subscribe(home, carol, "/b");

        HttpResponse<String> unsubscribed = calls.api(nodes.get(0), "POST", "/api/unsubscribe", KEY,
                "{\"clientId\":\"" + carol + "\",\"channel\":\"/a\"}");
        assertThat(unsubscribed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(unsubscribed.body())).isEqualTo(JSON.readTree("{\"unsubscribed\":\"" + carol + "\",\"channel\":\"/a\"}"));
        assertThat(calls.api(nodes.get(0), "POST", "/api/unsubscribe", KEY, "{\"clientId\":\"" + carol + "\",\"channel\":\"/a\"}").statusCode())
                .as("not subscribed any more, says its node").isEqualTo(404);

        CompletableFuture<HttpResponse<String>> held = calls.connect(home, carol);
        await().atMost(Duration.ofSeconds(10)).until(() -> home.broker().engine().session(carol).target() != null);
        // One publisher, in order: had /a still reached carol, it would come first, in this very answer.
        assertThat(calls.api(nodes.get(0), "POST", "/api/publish", KEY, "[{\"channel\":\"/a\",\"data\":1},{\"channel\":\"/b\",\"data\":2}]")
                .statusCode()).isEqualTo(200);
        JsonNode delivered = JSON.readTree(held.get(10, TimeUnit.SECONDS).body());
        assertThat(delivered.findParents("data")).extracting(m -> m.get("channel").asText()).containsExactly("/b");
    }

    @Test
    void aStoppedNodeIsLeftOutAndASilentOneMakesThePartialAnswerWithinTheTimeout() throws Exception {
        String alice = handshake(nodes.get(0), "alice");
        String carol = handshake(nodes.get(2), "carol");
        subscribe(nodes.get(0), alice, "/room");
        subscribe(nodes.get(2), carol, "/room");
        nodes.remove(2).close();

        JsonNode present = ok(calls.api(nodes.get(1), "GET", "/api/presence?channel=/room", KEY, null));
        assertThat(present.get("clients")).extracting(c -> c.get("clientId").asText()).containsExactly(alice);
        assertThat(present.has("partial")).as("a stopped node no longer listens: nobody is missing").isFalse();
        HttpResponse<String> gone = calls.api(nodes.get(1), "POST", "/api/disconnect", KEY, "{\"clientId\":\"" + carol + "\"}");
        assertThat(gone.statusCode()).as("a client of a node that is gone is unknown").isEqualTo(404);

        // A listener on the nodes' channel that never answers: a node that is stuck.
        RedisClient client = RedisClient.create(redis.url());
        try (StatefulRedisPubSubConnection<String, String> stuck = client.connectPubSub()) {
            stuck.sync().subscribe("test:nodes");
            JsonNode partial = ok(calls.api(nodes.get(1), "GET", "/api/presence?channel=/room", KEY, null));
            assertThat(partial.get("clients")).extracting(c -> c.get("clientId").asText()).containsExactly(alice);
            assertThat(partial.get("partial").asBoolean()).isTrue();
            assertThat(partial.get("missingNodes").asInt()).isEqualTo(1);
            JsonNode info = ok(calls.api(nodes.get(0), "GET", "/api/info", KEY, null));
            assertThat(info.get("nodes")).hasSize(2);
            assertThat(info.get("partial").asBoolean()).isTrue();

            // And a client whose node listens but never answers: 504, not a hang.
            stuck.sync().subscribe("test:node:zzzzzzz");
            HttpResponse<String> late = calls.api(nodes.get(0), "POST", "/api/unsubscribe", KEY,
                    "{\"clientId\":\"zzzzzzz" + "a".repeat(24) + "\",\"channel\":\"/room\"}");
            assertThat(late.statusCode()).as("%s", late.body()).isEqualTo(504);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void whileRedisIsUnreachableANodeAnswersForItselfAndSaysSo() throws Exception {
        String alice = handshake(nodes.get(0), "alice");
        String bob = handshake(nodes.get(1), "bob");
        subscribe(nodes.get(0), alice, "/room");
        subscribe(nodes.get(1), bob, "/room");
        redis.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> !nodes.get(0).broker().engine().isClusterHealthy());

        JsonNode present = ok(calls.api(nodes.get(0), "GET", "/api/presence?channel=/room", KEY, null));
        assertThat(present.get("clients")).extracting(c -> c.get("clientId").asText()).containsExactly(alice);
        assertThat(present.get("partial").asBoolean()).isTrue();
        assertThat(present.has("missingNodes")).as("how many nodes there are, Redis alone could say").isFalse();
        HttpResponse<String> elsewhere = calls.api(nodes.get(0), "POST", "/api/disconnect", KEY, "{\"clientId\":\"" + bob + "\"}");
        assertThat(elsewhere.statusCode()).as("%s", elsewhere.body()).isEqualTo(503);
        assertThat(nodes.get(1).broker().engine().session(bob)).as("not ended").isNotNull();
        assertThat(calls.api(nodes.get(0), "POST", "/api/disconnect", KEY, "{\"clientId\":\"" + alice + "\"}").statusCode())
                .as("a client of the node asked").isEqualTo(200);
    }

    @Test
    void aNodeAloneAnswersForItselfWithoutClusterFields() throws Exception {
        BrokerServer alone = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).managementPort(0).ioThreads(1).apiKey(KEY)
                .securityPolicy(new JwtSecurityPolicy(JwtKeys.secret(SECRET))).build()).start();
        try {
            String dave = handshake(alone, "dave");
            subscribe(alone, dave, "/room");
            JsonNode present = ok(calls.api(alone, "GET", "/api/presence?channel=/room", KEY, null));
            assertThat(present.get("clients")).extracting(c -> c.get("clientId").asText()).containsExactly(dave);
            JsonNode info = ok(calls.api(alone, "GET", "/api/info", KEY, null));
            assertThat(info.has("nodes")).isFalse();
            assertThat(info.has("partial")).isFalse();
        } finally {
            alone.close();
        }
    }

    private JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as("%s", response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private String handshake(BrokerServer node, String user) throws Exception {
        return calls.handshake(node, HttpCalls.token(SECRET, user));
    }

    private void subscribe(BrokerServer node, String clientId, String channel) throws Exception {
        JsonNode reply = calls.bayeux(node, "{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + clientId + "\",\"subscription\":\"" + channel + "\"}");
        assertThat(reply.get(0).get("successful").asBoolean()).as("subscribe %s", reply).isTrue();
    }
}
