package io.bayeuxd.transport.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.engine.redis.RedisServerProcess;
import io.bayeuxd.server.BrokerServer;
import io.bayeuxd.server.ServerConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests that reach another node than their session's, as plain HTTP (what a round-robin balancer
 * does), with two brokers on a real {@code redis-server}: what is forwarded, what a closed connection
 * leaves for the next connect, and what a client of a node that is gone is told.
 */
class ClusterPollingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TwoNodes nodes;
    private BrokerServer a;
    private BrokerServer b;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(RedisServerProcess.isInstalled(), "redis-server is not installed: cluster polling tests skipped");
        nodes = TwoNodes.start(ServerConfig.builder().host("127.0.0.1").port(0)
                .broker(BrokerConfig.builder().timeoutMs(3_000).build()).build());
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
    void aSessionOfOneNodeIsServedThroughTheOther() throws Exception {
        String id = handshake(a);
        JsonNode subscribed = post(b, "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/news\"}]").get(0);
        assertThat(subscribed.get("successful").asBoolean()).isTrue();
        CompletableFuture<JsonNode> held = postAsync(b, connect(id));
        awaitHeldOn(a, id);
        assertThat(post(b, "[{\"channel\":\"/news\",\"data\":{\"n\":1}}]").get(0).get("successful").asBoolean()).isTrue();

        JsonNode answer = held.get(5, TimeUnit.SECONDS);
        assertThat(answer.get(0).get("channel").asText()).isEqualTo("/meta/connect");
        assertThat(answer.get(0).get("successful").asBoolean()).isTrue();
        assertThat(answer.get(1).get("data").get("n").asInt()).isEqualTo(1);
        assertThat(b.clusterPolling().forwardedRequests()).isEqualTo(2);
        assertThat(a.clusterPolling().servedRequests()).isEqualTo(2);
        assertThat(a.broker().engine().sessionCount()).isEqualTo(1);
        assertThat(b.broker().engine().sessionCount()).isZero();
    }

    @Test
    void aConnectWhoseConnectionClosesLeavesItsMessagesForTheNextConnect() throws Exception {
        String id = handshake(a);
        post(a, "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/news\"}]");
        try (Socket socket = new Socket("127.0.0.1", b.port())) {
            byte[] body = connect(id).getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            awaitHeldOn(a, id);
        }
        // The closed connection is noticed on B, which tells A: A no longer holds a connect for it.
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> a.broker().engine().session(id).target() == null);
        post(a, "[{\"channel\":\"/news\",\"data\":{\"n\":2}}]");
        JsonNode answer = post(b, connect(id));
        assertThat(answer.get(1).get("data").get("n").asInt()).isEqualTo(2);
    }

    @Test
    void aClientOfANodeThatIsGoneIsToldToHandshakeAtOnce() throws Exception {
        String id = handshake(a);
        a.close();
        long start = System.nanoTime();
        JsonNode reply = post(b, connect(id)).get(0);
        assertThat(reply.get("successful").asBoolean()).isFalse();
        assertThat(reply.get("error").asText()).isEqualTo("401:" + id + ":Unknown client");
        assertThat(reply.get("advice").get("reconnect").asText()).isEqualTo("handshake");
        // Answered because nobody listened for node A, not after the wait for a live node's answer (the
        // 3 s connect timeout and a 10 s margin); the bound leaves a loaded machine plenty of room.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aCallbackPollingConnectThroughTheOtherNodeIsAnsweredInItsCallback() throws Exception {
        String id = handshake(a);
        post(a, "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/news\"}]");
        post(a, "[{\"channel\":\"/news\",\"data\":{\"n\":3}}]");
        String message = java.net.URLEncoder.encode(
                "[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"callback-polling\"}]", StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.port() + "/?jsonp=cb&message=" + message))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(r.body()).startsWith("/**/cb([").endsWith("]);");
        JsonNode answer = JSON.readTree(r.body().substring("/**/cb(".length(), r.body().length() - 2));
        assertThat(answer.get(0).get("successful").asBoolean()).isTrue();
        assertThat(answer.get(1).get("data").get("n").asInt()).isEqualTo(3);
        assertThat(b.clusterPolling().forwardedRequests()).isEqualTo(1);
    }

    private static String connect(String id) {
        return "[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"long-polling\"}]";
    }

    private void awaitHeldOn(BrokerServer node, String id) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> node.broker().engine().session(id).target() != null);
    }

    private String handshake(BrokerServer node) throws Exception {
        return post(node, "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}]")
                .get(0).get("clientId").asText();
    }

    private JsonNode post(BrokerServer node, String body) throws Exception {
        return postAsync(node, body).get(10, TimeUnit.SECONDS);
    }

    private CompletableFuture<JsonNode> postAsync(BrokerServer node, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            try {
                return JSON.readTree(r.body());
            } catch (Exception e) {
                throw new IllegalStateException(r.statusCode() + " " + r.body(), e);
            }
        });
    }
}
