package io.bayeuxd.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.broker.LocalClient;
import io.bayeuxd.engine.redis.RedisServerProcess;
import io.bayeuxd.protocol.Message;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code --presence-channels} on two nodes of one real Redis: a client that joins and leaves a channel on
 * one node is announced to a subscriber of the events channel on the other, since the events take the
 * normal publish path.
 */
class JoinLeaveClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aJoinOnOneNodeReachesASubscriberOnTheOther() throws Exception {
        Assumptions.assumeTrue(RedisServerProcess.isInstalled(), "redis-server is not installed");
        try (RedisBrokers cluster = RedisBrokers.start(2, BrokerConfig.builder().timeoutMs(5_000)
                .presenceChannels(List.of("/room/**")).build());
             LocalClient watcher = cluster.nodes.get(0).newLocalClient()) {
            List<String> events = new CopyOnWriteArrayList<>();
            assertThat(watcher.subscribe("/presence/room/**", (Message m) -> events.add(
                    m.channel() + " " + m.data().tree().path("action").asText() + " " + m.data().tree().path("clientId").asText()))
                    .successful()).isTrue();

            HttpClient http = HttpClient.newHttpClient();
            String other = RedisBrokers.url(cluster.nodes.get(1));
            String id = post(http, other, "{\"channel\":\"/meta/handshake\",\"version\":\"1.0\","
                    + "\"supportedConnectionTypes\":[\"long-polling\"]}").get("clientId").asText();
            assertThat(post(http, other, "{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id
                    + "\",\"subscription\":\"/room/a\"}").get("successful").asBoolean()).isTrue();
            assertThat(post(http, other, "{\"channel\":\"/meta/disconnect\",\"clientId\":\"" + id + "\"}")
                    .get("successful").asBoolean()).isTrue();

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(events).containsExactly(
                    "/presence/room/a join " + id, "/presence/room/a leave " + id));
        }
    }

    private static JsonNode post(HttpClient http, String url, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).get(0);
    }
}
