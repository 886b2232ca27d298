package io.bayeuxd.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.api.BayeuxMessage;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.engine.redis.RedisBus;
import io.bayeuxd.engine.redis.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Subscribes that wait for Redis on a WebSocket, as Faye's client sends them after a handshake: one frame
 * each, all at once, every channel new to the node (a broker on a real {@code redis-server}). Every one is
 * answered, in order, and the socket stays open.
 */
class ClusterSubscribeSocketTest {
    private static final int CHANNELS = 200;

    private final HttpClient http = HttpClient.newHttpClient();
    private RedisServerProcess redis;
    private BrokerServer node;
    private WsClient ws;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(RedisServerProcess.isInstalled(), "redis-server is not installed: cluster socket tests skipped");
        redis = RedisServerProcess.start();
        node = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2)
                .broker(BrokerConfig.builder().timeoutMs(10_000).maxSubscriptionsPerSession(1_000).build()).build(),
                new RedisBus(redis.url(), "test:", 1_000)).start();
    }

    @AfterEach
    void stop() throws Exception {
        if (ws != null) {
            ws.close();
        }
        if (node != null) {
            node.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void manySubscribeFramesSentAtOnceAreEachAnsweredInOrder() throws Exception {
        ws = new WsClient(http, URI.create("ws://127.0.0.1:" + node.port() + "/"));
        ws.send("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]");
        String id = ws.nextOn("/meta/handshake").get("clientId").asText();
        StringBuilder frames = new StringBuilder();
        for (int i = 0; i < CHANNELS; i++) {
            ws.send("[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/many/" + i + "\"}]");
        }
        List<String> answered = new ArrayList<>();
        while (answered.size() < CHANNELS) {
            JsonNode reply = ws.nextOn("/meta/subscribe");
            assertThat(reply.get("successful").asBoolean()).as("%s", reply).isTrue();
            answered.add(reply.get("subscription").asText());
        }
        for (int i = 0; i < CHANNELS; i++) {
            assertThat(answered.get(i)).isEqualTo("/many/" + i);
        }
        assertThat(ws.closed).isNotDone();
    }

    @Test
    void whatWaitsBehindADecisionIsBoundedInBytes() throws Exception {
        // A policy that never answers a subscribe: everything the client sends after it waits.
        CompletableFuture<io.bayeuxd.api.AsyncSecurityPolicy.Decision> never = new CompletableFuture<>();
        BrokerServer undecided = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .asyncSecurityPolicy(new io.bayeuxd.api.AsyncSecurityPolicy() {
                    @Override
                    public CompletionStage<Decision> canSubscribe(io.bayeuxd.api.ServerSession session, String channel,
                                                                  BayeuxMessage message, io.bayeuxd.api.ExtensionContext context) {
                        return never;
                    }

                    @Override
                    public long decisionTimeoutMs() {
                        return 60_000;
                    }
                }).build()).start();
        try (WsClient client = new WsClient(http, URI.create("ws://127.0.0.1:" + undecided.port() + "/"))) {
            client.send("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]");
            String id = client.nextOn("/meta/handshake").get("clientId").asText();
            client.send("[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/waits\"}]");
            // Publications of 63 KiB each (with their JSON, 16 stay under 1 MiB): the 17th passes it, and the socket closes.
            String data = "\"" + "x".repeat(63 * 1024) + "\"";
            for (int i = 0; i < 16; i++) {
                client.send("[{\"channel\":\"/big\",\"clientId\":\"" + id + "\",\"data\":" + data + "}]");
            }
            assertThat(client.closed).as("1 MiB may wait").isNotDone();
            client.send("[{\"channel\":\"/big\",\"clientId\":\"" + id + "\",\"data\":" + data + "}]");
            assertThat(client.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
        } finally {
            undecided.close();
        }
    }
}
