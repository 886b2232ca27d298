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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
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
        String id = handshake();
        assertThat(bayeux("{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/news/*\"}")
                .get(0).get("successful").asBoolean()).isTrue();
        CompletableFuture<HttpResponse<String>> held = connect(id);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.broker().engine().session(id).target() != null);

        CompletableFuture<Message> inProcess = new CompletableFuture<>();
        LocalClient local = server.newLocalClient();
        assertThat(local.subscribe("/news/today", inProcess::complete).successful()).isTrue();

        HttpResponse<String> published = api("POST", "/api/publish", KEY, "{\"channel\":\"/news/today\",\"data\":{\"headline\":\"hi\"}}");
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
        String id = handshake();
        CompletableFuture<HttpResponse<String>> held = connect(id);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.broker().engine().session(id).target() != null);

        HttpResponse<String> ended = api("POST", "/api/disconnect", KEY, "{\"clientId\":\"" + id + "\"}");
        assertThat(ended.statusCode()).isEqualTo(200);
        JsonNode reply = JSON.readTree(held.get(10, TimeUnit.SECONDS).body()).get(0);
        assertThat(reply.get("channel").asText()).isEqualTo("/meta/connect");
        assertThat(reply.get("advice").get("reconnect").asText()).isEqualTo("handshake");
        assertThat(server.broker().engine().session(id)).isNull();

        HttpResponse<String> again = api("POST", "/api/disconnect", KEY, "{\"clientId\":\"" + id + "\"}");
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(again.body()).get("error").asText()).isNotEmpty();
    }

    @Test
    void channelsAndInfoDescribeThisNode() throws Exception {
        String id = handshake();
        bayeux("{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/chat/room\"}");

        HttpResponse<String> channels = api("GET", "/api/channels", KEY, null);
        assertThat(channels.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(channels.body())).isEqualTo(JSON.readTree("{\"channels\":[{\"channel\":\"/chat/room\",\"subscribers\":1}]}"));

        JsonNode info = JSON.readTree(api("GET", "/api/info", KEY, null).body());
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
            HttpResponse<String> refused = api("GET", "/api/info", key, null);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).doesNotContain(KEY);
        }
        assertThat(api("POST", "/api/publish", null, "{\"channel\":\"/x\",\"data\":1}").statusCode()).isEqualTo(401);
        assertThat(server.broker().publishedMessages()).isZero();
        assertThat(api("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
        assertThat(api("GET", "/metrics", null, null).statusCode()).isEqualTo(200);
        assertThat(api("GET", "/elsewhere", KEY, null).statusCode()).isEqualTo(404);
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
        String alice = handshake(token(secret, "alice"));
        String bob = handshake(token(secret, "bob"));
        for (String id : new String[] {alice, bob}) {
            assertThat(bayeux("{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/room\"}")
                    .get(0).get("successful").asBoolean()).isTrue();
        }

        JsonNode present = JSON.readTree(api("GET", "/api/presence?channel=/room", KEY, null).body());
        assertThat(present.get("channel").asText()).isEqualTo("/room");
        assertThat(present.get("clients")).extracting(c -> c.get("clientId").asText() + " " + c.get("user").asText())
                .containsExactly(alice + " alice", bob + " bob");
        assertThat(java.time.Instant.parse(present.get("clients").get(0).get("since").asText()).toEpochMilli())
                .isBetween(before, System.currentTimeMillis());
        assertThat(server.presence("/room")).hasSize(2);

        bayeux("{\"channel\":\"/meta/disconnect\",\"clientId\":\"" + bob + "\"}");
        assertThat(JSON.readTree(api("GET", "/api/presence?channel=/room", KEY, null).body()).get("clients"))
                .extracting(c -> c.get("user").asText()).containsExactly("alice");
        // Alice never connects: she expires, and leaves the channel.
        await().atMost(Duration.ofSeconds(15)).until(() ->
                JSON.readTree(api("GET", "/api/presence?channel=/room", KEY, null).body()).get("clients").isEmpty());
    }

    private static String token(String secret, String user) throws Exception {
        com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256),
                new com.nimbusds.jwt.JWTClaimsSet.Builder().subject(user)
                        .expirationTime(new java.util.Date(System.currentTimeMillis() + 600_000)).build());
        jwt.sign(new com.nimbusds.jose.crypto.MACSigner(secret));
        return jwt.serialize();
    }

    private String handshake(String token) throws Exception {
        JsonNode reply = bayeux("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"],"
                + "\"ext\":{\"token\":\"" + token + "\"}}");
        assertThat(reply.get(0).get("successful").asBoolean()).as("handshake %s", reply).isTrue();
        return reply.get(0).get("clientId").asText();
    }

    @Test
    void withoutAKeyThereIsNoApi() throws Exception {
        server.close();
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).managementPort(0).ioThreads(1).build()).start();
        HttpResponse<String> info = api("GET", "/api/info", KEY, null);
        assertThat(info.statusCode()).isEqualTo(404);
        assertThat(info.body().strip()).isEqualTo("Not found");
    }

    private String handshake() throws Exception {
        JsonNode reply = bayeux("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}");
        return reply.get(0).get("clientId").asText();
    }

    private CompletableFuture<HttpResponse<String>> connect(String id) {
        String body = "[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"long-polling\"}]";
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode bayeux(String message) throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[" + message + "]")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(200);
        return JSON.readTree(res.body());
    }

    private HttpResponse<String> api(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.managementPort() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
