package io.bayeuxd.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.broker.LocalClient;
import io.bayeuxd.ops.Readiness;
import io.bayeuxd.protocol.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The drain of a running server over real sockets: a held long-poll is answered with
 * {@code reconnect: retry} and its connection closed, a probe pipelined behind it reads 503, a WebSocket
 * gets its messages and held connect reply and then a close frame with 1001, nothing queued is dropped,
 * the listener no longer accepts, and the drain ends well within its timeout.
 */
class BrokerServerDrainTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private BrokerServer server;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        // A connect is held for a minute: only the drain can answer it within the test.
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2).drainTimeoutMs(10_000)
                .broker(BrokerConfig.builder().timeoutMs(60_000).build()).build()).start();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonNode post(String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private String subscribedPollingClient(String channel) throws Exception {
        String id = post("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}")
                .get(0).get("clientId").asText();
        post("{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"" + channel + "\"}");
        return id;
    }

    private CompletableFuture<Boolean> drainInBackground() {
        return CompletableFuture.supplyAsync(server::drain);
    }

    @Test
    void heldLongPollIsAnsweredWithRetryAndAProbeBehindItReads503() throws Exception {
        String id = subscribedPollingClient("/drain/poll");
        String connect = "{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"long-polling\"}";
        try (Socket raw = new Socket("127.0.0.1", server.port())) {
            raw.setSoTimeout(15_000);
            OutputStream out = raw.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + connect.length()
                    + "\r\n\r\n" + connect + "GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.broker().engine().session(id).target() != null);

            CompletableFuture<Boolean> drained = drainInBackground();
            List<RawResponse> responses = RawResponse.readUntilClosed(raw.getInputStream());

            assertThat(responses).extracting(RawResponse::status).containsExactly(200, 503);
            JsonNode reply = JSON.readTree(responses.get(0).body()).get(0);
            assertThat(reply.get("channel").asText()).isEqualTo("/meta/connect");
            assertThat(reply.get("successful").asBoolean()).isTrue();
            assertThat(reply.get("advice").get("reconnect").asText()).isEqualTo("retry");
            assertThat(responses.get(1).body()).isEqualTo("draining\n");
            assertThat(responses.get(1).head()).containsIgnoringCase("connection: close");
            assertThat(drained.get(15, TimeUnit.SECONDS)).as("every connection closed before the timeout").isTrue();
        }
        assertThat(server.readiness().state()).isEqualTo(Readiness.State.DRAINING);
        assertThatThrownBy(() -> new Socket("127.0.0.1", server.port()).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void webSocketGetsItsMessagesAndHeldReplyThenCloses1001() throws Exception {
        int n = 20;
        try (WsClient ws = new WsClient(http, URI.create("ws://127.0.0.1:" + server.port() + "/"))) {
            ws.send("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]");
            String id = ws.nextOn("/meta/handshake").get("clientId").asText();
            ws.send("[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/drain/ws\"}]");
            ws.nextOn("/meta/subscribe");
            ws.send("[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"websocket\",\"id\":\"held\"}]");
            await().atMost(Duration.ofSeconds(10)).until(() -> server.broker().engine().session(id).target() != null);

            // Published from this thread right before the drain: some are pushed as usual, the rest are
            // handed over by the drain; either way each arrives before the close frame.
            LocalClient publisher = server.newLocalClient();
            for (int i = 0; i < n; i++) {
                assertThat(publisher.publish("/drain/ws", JsonValue.parse(Integer.toString(i))).successful()).isTrue();
            }
            CompletableFuture<Boolean> drained = drainInBackground();

            assertThat(ws.closed.get(15, TimeUnit.SECONDS)).isEqualTo(1001);
            List<JsonNode> received = new ArrayList<>(ws.messages);
            assertThat(received).filteredOn(m -> "/drain/ws".equals(m.path("channel").asText()))
                    .extracting(m -> m.get("data").asInt()).containsExactlyElementsOf(range(n));
            assertThat(received).filteredOn(m -> "/meta/connect".equals(m.path("channel").asText()))
                    .singleElement().satisfies(reply -> {
                        assertThat(reply.get("id").asText()).isEqualTo("held");
                        assertThat(reply.get("advice").get("reconnect").asText()).isEqualTo("retry");
                    });
            assertThat(drained.get(15, TimeUnit.SECONDS)).isTrue();
        }
        server.close();
        assertThat(server.broker().engine().droppedMessages()).isZero();
        assertThat(server.broker().engine().discardedMessages()).as("nothing was left queued").isZero();
    }

    @Test
    void idleConnectionsCloseAndASecondDrainReturnsAtOnce() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", server.port())) {
            raw.setSoTimeout(15_000);
            raw.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = raw.getInputStream();
            // Drain once the probe has been answered, so that the connection is idle.
            StringBuilder answer = new StringBuilder();
            while (!answer.toString().endsWith("\r\n\r\nok\n")) {
                int c = in.read();
                assertThat(c).as("the probe's answer, then more").isNotNegative();
                answer.append((char) c);
            }
            assertThat(answer.toString()).startsWith("HTTP/1.1 200");
            CompletableFuture<Boolean> drained = drainInBackground();
            assertThat(in.read()).as("closed by the server").isEqualTo(-1);
            assertThat(drained.get(15, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(server.drain()).as("already drained").isFalse();
    }

    @Test
    void drainTimeoutIsAFlagAndAnEnvironmentVariable() {
        BrokerMain main = new BrokerMain();
        new CommandLine(main).parseArgs("--drain-timeout", "3");
        assertThat(main.config().drainTimeoutMs()).isEqualTo(3_000);
        BrokerMain defaults = new BrokerMain();
        new CommandLine(defaults).parseArgs();
        long expected = System.getenv("BAYEUXD_DRAIN_TIMEOUT") == null ? 10_000
                : Long.parseLong(System.getenv("BAYEUXD_DRAIN_TIMEOUT")) * 1000;
        assertThat(defaults.config().drainTimeoutMs()).isEqualTo(expected);
        BrokerMain negative = new BrokerMain();
        new CommandLine(negative).parseArgs("--drain-timeout", "-1");
        assertThatThrownBy(negative::config).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Integer> range(int n) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        return all;
    }

    /** An HTTP/1.1 response read off a raw socket: status line and headers, and a Content-Length body. */
    record RawResponse(int status, String head, String body) {
        static List<RawResponse> readUntilClosed(InputStream in) throws Exception {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String rest = all.toString(StandardCharsets.UTF_8);
            List<RawResponse> responses = new ArrayList<>();
            while (!rest.isEmpty()) {
                int split = rest.indexOf("\r\n\r\n");
                String head = rest.substring(0, split);
                int length = 0;
                for (String line : head.split("\r\n")) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
                    }
                }
                responses.add(new RawResponse(Integer.parseInt(head.split(" ")[1]), head, rest.substring(split + 4, split + 4 + length)));
                rest = rest.substring(split + 4 + length);
            }
            return responses;
        }
    }
}
