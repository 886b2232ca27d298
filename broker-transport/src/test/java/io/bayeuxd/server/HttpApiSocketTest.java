package io.bayeuxd.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.broker.LocalClient;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.security.jwt.JwtKeys;
import io.bayeuxd.security.jwt.JwtSecurityPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP API over real sockets, with the JDK's {@link HttpClient} against a running {@link BrokerServer}:
 * a long-polling client on the traffic port receives what {@code /api/publish} sent on the management
 * port, and {@code /api/disconnect} ends its held connect with {@code reconnect: handshake}.
 */
class HttpApiSocketTest {
    private static final String KEY = "socket-test-key-0123456789";
    private static final ObjectMapper JSON = HttpCalls.JSON;

    private final HttpCalls calls = new HttpCalls(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    private BrokerServer server;

    @BeforeEach
    void start() throws Exception {
        // A connect is held for a minute: only a publication or the API's disconnect answers it within the test.
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).managementPort(0).ioThreads(2)
                .broker(BrokerConfig.builder().timeoutMs(60_000).build()).apiKey(KEY).build()).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aLongPollingSubscriberAndAnInProcessOneReceiveWhatTheApiPublished() throws Exception {
        String id = calls.handshake(server, null);
        assertThat(calls.bayeux(server, "{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/news/*\"}")
                .get(0).get("successful").asBoolean()).isTrue();
        CompletableFuture<HttpResponse<String>> held = calls.connect(server, id);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.broker().engine().session(id).target() != null);

        CompletableFuture<Message> inProcess = new CompletableFuture<>();
        LocalClient local = server.newLocalClient();
        assertThat(local.subscribe("/news/today", inProcess::complete).successful()).isTrue();

        HttpResponse<String> published = calls.api(server, "POST", "/api/publish", KEY, "{\"channel\":\"/news/today\",\"data\":{\"headline\":\"hi\"}}");
        assertThat(published.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(published.body())).isEqualTo(JSON.readTree("{\"published\":1}"));

        JsonNode delivered = JSON.readTree(held.get(10, TimeUnit.SECONDS).body());
        assertThat(delivered.findParents("data")).singleElement().satisfies(m -> {
            assertThat(m.get("channel").asText()).isEqualTo("/news/today");
            assertThat(m.get("data")).isEqualTo(JSON.readTree("{\"headline\":\"hi\"}"));
        });
        assertThat(inProcess.get(10, TimeUnit.SECONDS).data().tree()).isEqualTo(JSON.readTree("{\"headline\":\"hi\"}"));
        local.close();
    }

    @Test
    void disconnectAnswersTheHeldConnectWithHandshakeAdvice() throws Exception {
        String id = calls.handshake(server, null);
        CompletableFuture<HttpResponse<String>> held = calls.connect(server, id);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.broker().engine().session(id).target() != null);

        HttpResponse<String> ended = calls.api(server, "POST", "/api/disconnect", KEY, "{\"clientId\":\"" + id + "\"}");
        assertThat(ended.statusCode()).isEqualTo(200);
        JsonNode reply = JSON.readTree(held.get(10, TimeUnit.SECONDS).body()).get(0);
        assertThat(reply.get("channel").asText()).isEqualTo("/meta/connect");
        assertThat(reply.get("advice").get("reconnect").asText()).isEqualTo("handshake");
        assertThat(server.broker().engine().session(id)).isNull();

        HttpResponse<String> again = calls.api(server, "POST", "/api/disconnect", KEY, "{\"clientId\":\"" + id + "\"}");
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(again.body()).get("error").asText()).isNotEmpty();
    }

    @Test
    void channelsAndInfoDescribeThisNode() throws Exception {
        String id = calls.handshake(server, null);
        calls.bayeux(server, "{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/chat/room\"}");

        HttpResponse<String> channels = calls.api(server, "GET", "/api/channels", KEY, null);
        assertThat(channels.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(channels.body())).isEqualTo(JSON.readTree("{\"channels\":[{\"channel\":\"/chat/room\",\"subscribers\":1}]}"));

        JsonNode info = JSON.readTree(calls.api(server, "GET", "/api/info", KEY, null).body());
        assertThat(info.get("engine").asText()).isEqualTo("memory");
        assertThat(info.get("version").asText()).isNotBlank();
        assertThat(info.get("node").asText()).isNotBlank();
        assertThat(info.has("nodeToken")).as("a node alone has no cluster token").isFalse();
        assertThat(info.get("sessions").asInt()).as("the client and the API's own publisher").isEqualTo(2);
        assertThat(info.get("channels").asInt()).isEqualTo(1);
        assertThat(info.get("subscriptions").asInt()).isEqualTo(1);
        assertThat(info.get("connections").asInt()).as("this test's HTTP connection to the traffic port").isPositive();
    }

    @Test
    void everyCallNeedsTheKeyAndTheOtherManagementPathsStayOpen() throws Exception {
        for (String key : new String[] {null, "not-the-key-0123456789"}) {
            HttpResponse<String> refused = calls.api(server, "GET", "/api/info", key, null);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).doesNotContain(KEY);
        }
        assertThat(calls.api(server, "POST", "/api/publish", null, "{\"channel\":\"/x\",\"data\":1}").statusCode()).isEqualTo(401);
        assertThat(server.broker().publishedMessages()).isZero();
        assertThat(calls.api(server, "GET", "/healthz", null, null).statusCode()).isEqualTo(200);
        assertThat(calls.api(server, "GET", "/metrics", null, null).statusCode()).isEqualTo(200);
        assertThat(calls.api(server, "GET", "/elsewhere", KEY, null).statusCode()).isEqualTo(404);
    }

    @Test
    void presenceNamesEachClientsUserAndFollowsDisconnectsAndExpiry() throws Exception {
        server.close();
        // Users come from JWTs; a two-second timeout expires a silent client within about five.
        String secret = "presence-test-jwt-secret-0123456789";
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).managementPort(0).ioThreads(2).apiKey(KEY)
                .securityPolicy(new JwtSecurityPolicy(JwtKeys.secret(secret)))
                .broker(BrokerConfig.builder().timeoutMs(2_000).build()).build()).start();
        long before = System.currentTimeMillis();
        String alice = calls.handshake(server, HttpCalls.token(secret, "alice"));
        String bob = calls.handshake(server, HttpCalls.token(secret, "bob"));
        for (String id : new String[] {alice, bob}) {
            assertThat(calls.bayeux(server, "{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/room\"}")
                    .get(0).get("successful").asBoolean()).isTrue();
        }

        JsonNode present = JSON.readTree(calls.api(server, "GET", "/api/presence?channel=/room", KEY, null).body());
        assertThat(present.get("channel").asText()).isEqualTo("/room");
        assertThat(present.get("clients")).extracting(c -> c.get("clientId").asText() + " " + c.get("user").asText())
                .containsExactly(alice + " alice", bob + " bob");
        assertThat(java.time.Instant.parse(present.get("clients").get(0).get("since").asText()).toEpochMilli())
                .isBetween(before, System.currentTimeMillis());
        assertThat(server.presence("/room")).hasSize(2);

        calls.bayeux(server, "{\"channel\":\"/meta/disconnect\",\"clientId\":\"" + bob + "\"}");
        assertThat(JSON.readTree(calls.api(server, "GET", "/api/presence?channel=/room", KEY, null).body()).get("clients"))
                .extracting(c -> c.get("user").asText()).containsExactly("alice");
        // Alice never connects: she expires, and leaves the channel.
        await().atMost(Duration.ofSeconds(15)).until(() ->
                JSON.readTree(calls.api(server, "GET", "/api/presence?channel=/room", KEY, null).body()).get("clients").isEmpty());
    }

    @Test
    void withoutAKeyThereIsNoApi() throws Exception {
        server.close();
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).managementPort(0).ioThreads(1).build()).start();
        HttpResponse<String> info = calls.api(server, "GET", "/api/info", KEY, null);
        assertThat(info.statusCode()).isEqualTo(404);
        assertThat(info.body().strip()).isEqualTo("Not found");
    }
}
