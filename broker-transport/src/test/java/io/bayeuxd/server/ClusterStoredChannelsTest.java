package io.bayeuxd.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.engine.redis.RedisBus;
import io.bayeuxd.engine.redis.RedisServerProcess;
import io.bayeuxd.storage.StorageRules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * History and storage channels across nodes on one real Redis: every node numbers a channel's messages
 * the same way, any node serves a recovery or a page's records, and a node that starts later reads back
 * what the cluster keeps.
 */
class ClusterStoredChannelsTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> open = new ArrayList<>();
    private RedisServerProcess redis;

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServerProcess.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        redis.close();
    }

    private BrokerServer node() throws InterruptedException {
        BrokerServer node = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0)
                .broker(BrokerConfig.builder().timeoutMs(10_000)
                        .storage(StorageRules.of(List.of("/chat/**=50"), List.of("/data"), 1000, 1 << 20, 1000)).build())
                .build(), new RedisBus(redis.url(), "bayeuxd:", 100_000)).start();
        open.add(node);
        return node;
    }

    @Test
    void anyNodeRecoversWhatAnyNodePublishedAndALateNodeReadsItBack() throws Exception {
        BrokerServer a = node();
        BrokerServer b = node();
        WsClient onA = client(a);
        join(onA, "/chat/a");
        for (int i = 1; i <= 5; i++) {
            publish(a, "/chat/a", Integer.toString(i));
        }
        List<JsonNode> seenOnA = take(onA, "/chat/a", 5);
        assertThat(seenOnA).extracting(m -> m.at("/ext/position").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L);
        String epoch = seenOnA.get(0).at("/ext/epoch").asText();

        // B applies what Redis numbered on its own thread: a client that came to B a moment earlier would
        // be ahead of it, and get the rest live. Here B has caught up first.
        WsClient probe = client(b);
        String probeId = join(probe, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> subscribeReply(probe, probeId, "/chat/a", 5, epoch)
                .at("/ext/position").asLong() == 5);
        WsClient onB = client(b);
        JsonNode recovered = subscribeReply(onB, join(onB, null), "/chat/a", 2, epoch);
        assertThat(recovered.at("/ext/recovered").asBoolean()).as(recovered.toString()).isTrue();
        assertThat(recovered.at("/ext/position").asLong()).isEqualTo(5);
        assertThat(take(onB, "/chat/a", 3)).extracting(m -> m.get("data").asInt()).containsExactly(3, 4, 5);

        // Published on B: numbered 6 on both nodes.
        publish(b, "/chat/a", "6");
        assertThat(take(onA, "/chat/a", 1).get(0).at("/ext/position").asLong()).isEqualTo(6);
        assertThat(take(onB, "/chat/a", 1).get(0).at("/ext/position").asLong()).isEqualTo(6);

        // A record saved through A, seen by a page on B (so B has it), updated through B; then a page on B
        // opened afterwards.
        WsClient watcher = client(b);
        join(watcher, "/data");
        take(watcher, "/data", 1);   // the reset of an empty channel
        publish(a, "/data", "{\"operation\":\"insert\",\"data\":{\"id\":7,\"title\":\"seven\"},\"clientId\":\"p\"}");
        assertThat(take(watcher, "/data", 1).get(0).at("/data/operation").asText()).isEqualTo("insert");
        publish(b, "/data", "{\"operation\":\"update\",\"data\":{\"id\":7,\"done\":true},\"clientId\":\"p\"}");
        assertThat(take(watcher, "/data", 1).get(0).at("/data/operation").asText()).isEqualTo("update");
        WsClient page = client(b);
        join(page, "/data");
        assertThat(take(page, "/data", 1).get(0).at("/data/operation").asText()).isEqualTo("reset");
        JsonNode record = take(page, "/data", 1).get(0);
        assertThat(record.at("/data/data/title").asText()).isEqualTo("seven");
        assertThat(record.at("/data/data/done").asBoolean()).isTrue();

        // A node started now reads back what the cluster keeps.
        BrokerServer late = node();
        WsClient onLate = client(late);
        JsonNode back = subscribeReply(onLate, join(onLate, null), "/chat/a", 4, epoch);
        assertThat(back.at("/ext/recovered").asBoolean()).as(back.toString()).isTrue();
        assertThat(take(onLate, "/chat/a", 2)).extracting(m -> m.get("data").asInt()).containsExactly(5, 6);
        WsClient latePage = client(late);
        join(latePage, "/data");
        assertThat(take(latePage, "/data", 2).get(1).at("/data/data/title").asText()).isEqualTo("seven");
    }

    @Test
    void publishersOnTwoNodesAreNumberedInOneOrderThatEveryNodeDelivers() throws Exception {
        BrokerServer a = node();
        BrokerServer b = node();
        WsClient onA = client(a);
        WsClient onB = client(b);
        join(onA, "/chat/x");
        join(onB, "/chat/x");
        int each = 100;
        CompletableFuture<Void> fromA = CompletableFuture.runAsync(() -> publishMany(a, "a", each));
        CompletableFuture<Void> fromB = CompletableFuture.runAsync(() -> publishMany(b, "b", each));
        CompletableFuture.allOf(fromA, fromB).get();
        List<String> seenOnA = take(onA, "/chat/x", 2 * each).stream()
                .map(m -> m.at("/ext/position").asLong() + "=" + m.get("data").asText()).toList();
        List<String> seenOnB = take(onB, "/chat/x", 2 * each).stream()
                .map(m -> m.at("/ext/position").asLong() + "=" + m.get("data").asText()).toList();
        assertThat(seenOnA).isEqualTo(seenOnB);
        for (int i = 0; i < seenOnA.size(); i++) {
            assertThat(seenOnA.get(i)).startsWith((i + 1) + "=");
        }
    }

    private void publishMany(BrokerServer node, String tag, int n) {
        for (int i = 0; i < n; i++) {
            publish(node, "/chat/x", "\"" + tag + i + "\"");
        }
    }

    private WsClient client(BrokerServer node) {
        WsClient ws = new WsClient(http, URI.create("ws://127.0.0.1:" + node.port() + "/"));
        open.add(ws);
        return ws;
    }

    /** Handshakes, optionally subscribes, and connects (this socket becomes the delivery target); returns the client id. */
    private static String join(WsClient ws, String channel) throws InterruptedException {
        ws.send("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]");
        String id = ws.nextOn("/meta/handshake").get("clientId").asText();
        ws.send("[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"websocket\"}]");
        if (channel != null) {
            ws.send("[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"" + channel + "\"}]");
            assertThat(ws.nextOn("/meta/subscribe").get("successful").asBoolean()).isTrue();
        }
        return id;
    }

    private static JsonNode subscribeReply(WsClient ws, String id, String channel, long position, String epoch)
            throws InterruptedException {
        ws.send("[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"" + channel
                + "\",\"ext\":{\"recover\":{\"position\":" + position + ",\"epoch\":\"" + epoch + "\"}}}]");
        return ws.nextOn("/meta/subscribe");
    }

    /** The next {@code n} messages on {@code channel}. */
    private static List<JsonNode> take(WsClient ws, String channel, int n) throws InterruptedException {
        List<JsonNode> got = new ArrayList<>();
        while (got.size() < n) {
            got.add(ws.nextOn(channel));
        }
        return got;
    }

    private void publish(BrokerServer node, String channel, String data) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("[{\"channel\":\"" + channel + "\",\"data\":" + data + "}]"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).contains("\"successful\":true");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
