package io.bayeuxd.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.broker.BrokerConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A WebSocket subscriber that stops reading while others publish, with the default slow-consumer
 * policy: it is told (its session ends with {@code advice: {reconnect: "handshake"}}), the subscriber that
 * keeps reading loses nothing, and what the broker holds for the stalled one stays within its outbox.
 */
class SlowConsumerSocketTest {
    private static final int MESSAGES = 4_000;
    private static final int OUTBOX = 128;
    /** 4,000 of these (32 MB) are more than a stalled socket's kernel and Netty buffers can hold. */
    private static final String PAYLOAD = "x".repeat(8_000);

    @Test
    void aStalledSubscriberIsToldAndTheOthersLoseNothing() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (BrokerServer server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0)
                .broker(BrokerConfig.builder().outboxCapacity(OUTBOX).timeoutMs(10_000).build()).build()).start()) {
            URI ws = URI.create("ws://127.0.0.1:" + server.port() + "/");
            try (WsClient fast = new WsClient(http, ws); WsClient slow = new WsClient(http, ws)) {
                String fastId = join(fast);
                String slowId = join(slow);
                slow.pause();

                URI endpoint = URI.create("http://127.0.0.1:" + server.port() + "/");
                for (int i = 0; i < MESSAGES; i += 50) {
                    StringBuilder batch = new StringBuilder("[");
                    for (int j = i; j < i + 50; j++) {
                        batch.append(j > i ? "," : "").append("{\"channel\":\"/firehose\",\"data\":{\"n\":").append(j)
                                .append(",\"pad\":\"").append(PAYLOAD).append("\"}}");
                    }
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(batch.append(']').toString())).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).isEqualTo(200);
                    // Paced by the reading client, so that on a busy machine it is never the slow one.
                    for (int n = i; n < i + 50; n++) {
                        assertThat(fast.nextOn("/firehose").at("/data/n").asInt()).isEqualTo(n);
                    }
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> server.broker().disconnectedSlowConsumers() == 1);
                assertThat(server.broker().engine().session(slowId)).isNull();
                assertThat(server.broker().engine().session(fastId)).isNotNull();
                assertThat(server.broker().engine().droppedMessages()).isPositive();

                // Reading again, the stalled client finds its held connect answered with the advice to handshake.
                slow.resume();
                JsonNode told = slow.nextOn("/meta/connect");
                assertThat(told.at("/advice/reconnect").asText()).isEqualTo("handshake");
            }
        }
    }

    /** Handshake, subscribe to /firehose, then a connect that makes this socket the delivery target. */
    private static String join(WsClient ws) throws InterruptedException {
        ws.send("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]");
        String id = ws.nextOn("/meta/handshake").get("clientId").asText();
        ws.send("[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/firehose\"}]");
        assertThat(ws.nextOn("/meta/subscribe").get("successful").asBoolean()).isTrue();
        ws.send("[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"websocket\"}]");
        return id;
    }
}
