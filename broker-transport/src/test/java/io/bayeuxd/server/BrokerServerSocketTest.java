package io.bayeuxd.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.transport.HostileInputs;
import io.bayeuxd.transport.TransportConfig;
import io.bayeuxd.transport.WebSocketWire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The running server over real sockets: WebSocket and long-polling clients talking to each other, and
 * bad input on the wire answered as documented while other clients carry on.
 */
class BrokerServerSocketTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static BrokerServer server;
    private static HttpClient http;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2)
                .broker(BrokerConfig.builder().timeoutMs(3_000).build())
                .transport(TransportConfig.builder().maxMessageBytes(64 * 1024).build())
                .build()).start();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        base = "http://127.0.0.1:" + server.port() + "/";
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode postJson(String body) throws Exception {
        HttpResponse<String> r = post(body);
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static String handshakeOverHttp() throws Exception {
        return postJson("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}")
                .get(0).get("clientId").asText();
    }

    private static WsClient ws() {
        return new WsClient(http, URI.create("ws://127.0.0.1:" + server.port() + "/"));
    }

    private static String handshakeOverWs(WsClient ws, String channel) throws Exception {
        ws.send("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]");
        String id = ws.nextOn("/meta/handshake").get("clientId").asText();
        ws.send("[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"" + channel + "\"}]");
        assertThat(ws.nextOn("/meta/subscribe").get("successful").asBoolean()).isTrue();
        ws.send("[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"websocket\"}]");
        return id;
    }

    @Test
    void webSocketSubscriberReceivesLongPollingPublish() throws Exception {
        try (WsClient ws = ws()) {
            handshakeOverWs(ws, "/sock/news");
            JsonNode reply = postJson("{\"channel\":\"/sock/news\",\"data\":{\"hello\":\"world\"}}");
            assertThat(reply.get(0).get("successful").asBoolean()).isTrue();
            JsonNode m = ws.nextOn("/sock/news");
            assertThat(m.get("data").get("hello").asText()).isEqualTo("world");
            // The held connect is answered at the timeout.
            JsonNode connect = ws.nextOn("/meta/connect");
            assertThat(connect.get("successful").asBoolean()).isTrue();
        }
    }

    @Test
    void longPollingSubscriberReceivesWebSocketPublish() throws Exception {
        String id = handshakeOverHttp();
        postJson("{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/poll/*\"}");
        var held = http.sendAsync(HttpRequest.newBuilder(URI.create(base)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"/meta/connect\",\"clientId\":\"" + id
                        + "\",\"connectionType\":\"long-polling\"}")).build(), HttpResponse.BodyHandlers.ofString());
        try (WsClient ws = ws()) {
            // The poll may not have arrived yet; either way the message must reach it or wait for it.
            ws.send("[{\"channel\":\"/poll/a\",\"data\":\"ping\",\"id\":\"w1\"}]");
            assertThat(ws.nextOn("/poll/a").get("successful").asBoolean()).isTrue();
        }
        JsonNode body = JSON.readTree(held.get(10, TimeUnit.SECONDS).body());
        assertThat(body.get(0).get("channel").asText()).isEqualTo("/meta/connect");
        assertThat(body.get(1).get("data").asText()).isEqualTo("ping");
    }

    @Test
    void keepAliveEmptyArrayIsEchoed() throws Exception {
        try (WsClient ws = ws()) {
            ws.send("[]");
            JsonNode m = ws.next();
            assertThat(m.isArray()).isTrue();
            assertThat(m.isEmpty()).isTrue();
        }
    }

    @Test
    void badWebSocketTextIsIgnoredAndTheSocketStaysUsable() throws Exception {
        try (WsClient ws = ws()) {
            ws.send("{not json");
            ws.send("\"just a string\"");
            ws.send("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]");
            assertThat(ws.next().get("channel").asText()).isEqualTo("/meta/handshake");
        }
    }

    @Test
    void binaryFrameClosesWith1003() throws Exception {
        try (WsClient ws = ws()) {
            ws.socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
            assertThat(ws.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1003);
        }
    }

    @Test
    void oversizeWebSocketMessageClosesWith1009() throws Exception {
        try (WsClient ws = ws()) {
            ws.send("[{\"channel\":\"/big\",\"data\":\"" + "x".repeat(70 * 1024) + "\"}]");
            assertThat(ws.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1009);
        }
    }

    @Test
    void messageErrorsComeBackAsBayeuxErrors() throws Exception {
        JsonNode replies = postJson("[{\"data\":1},{\"channel\":\"/meta/connect\",\"clientId\":\"nobody\",\"connectionType\":\"long-polling\"},"
                + "{\"channel\":\"/wild/*\",\"data\":1}]");
        assertThat(replies.get(0).get("error").asText()).isEqualTo("405::Invalid channel");
        assertThat(replies.get(1).get("error").asText()).isEqualTo("401:nobody:Unknown client");
        assertThat(replies.get(2).get("error").asText()).isEqualTo("405:/wild/*:Invalid channel");
    }

    @Test
    void garbageAndOversizeBodiesAreRejectedOverHttp() throws Exception {
        assertThat(post("{oops").statusCode()).isEqualTo(400);
        assertThat(post("\"str\"").body()).isEqualTo("Bad request");
        assertThat(post("[" + "{},".repeat(30_000) + "{}]").statusCode()).isEqualTo(413);
        assertThat(handshakeOverHttp()).hasSize(31);
    }

    @Test
    void halfSentRequestDoesNotDisturbOthers() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", server.port())) {
            OutputStream out = raw.getOutputStream();
            out.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n[{\"chan"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(handshakeOverHttp()).hasSize(31);
        }
        assertThat(handshakeOverHttp()).hasSize(31);
    }

    @Test
    void keepAliveConnectionServesSeveralRequests() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", server.port())) {
            raw.setSoTimeout(10_000);
            OutputStream out = raw.getOutputStream();
            String body = "{\"channel\":\"/ka\",\"data\":1}";
            String req = "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
            out.write((req + req).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = raw.getInputStream();
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[4096];
            while (count(got.toString(), "HTTP/1.1 200") < 2) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                got.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            }
            assertThat(count(got.toString(), "HTTP/1.1 200")).isEqualTo(2);
        }
    }

    @Test
    void framesSentWithTheUpgradeRequestAreAnswered() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", server.port())) {
            raw.setSoTimeout(10_000);
            raw.setTcpNoDelay(true);
            OutputStream out = raw.getOutputStream();
            // One write: the upgrade request and a handshake, without waiting for the 101.
            out.write(HostileInputs.concat(WebSocketWire.upgradeRequest("/"), WebSocketWire.text(
                    "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]")));
            out.flush();
            InputStream in = raw.getInputStream();
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[4096];
            while (!got.toString().contains("\"successful\":true")) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
            assertThat(got.toString()).startsWith("HTTP/1.1 101").contains("\"channel\":\"/meta/handshake\"", "\"successful\":true");
        }
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
