package io.bayeuxd.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bayeuxd.broker.BrokerConfig;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faye's EventSource transport over a real socket: the stream of a session carries its messages as
 * {@code data:} events, its connects are answered at once with Faye's advice, a multi-line message is
 * continued line by line, and an unknown client id gets 404.
 */
class EventSourceSocketTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aSessionsMessagesComeDownItsEventStream() throws Exception {
        try (BrokerServer server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0)
                .broker(BrokerConfig.builder().timeoutMs(10_000).build()).build()).start()) {
            JsonNode handshake = post(server, "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\","
                    + "\"supportedConnectionTypes\":[\"eventsource\",\"long-polling\"]}]").get(0);
            assertThat(handshake.get("supportedConnectionTypes").toString()).contains("eventsource");
            String id = handshake.get("clientId").asText();

            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET //" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                        + "Origin: http://127.0.0.1:" + server.port() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
                String header;
                boolean eventStream = false;
                while (!(header = in.readLine()).isEmpty()) {
                    eventStream |= header.equalsIgnoreCase("content-type: text/event-stream");
                }
                assertThat(eventStream).isTrue();
                assertThat(in.readLine()).isEqualTo("retry: 5000");
                assertThat(in.readLine()).isEmpty();

                JsonNode connect = post(server, "[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id
                        + "\",\"connectionType\":\"eventsource\"}]").get(0);
                assertThat(connect.get("successful").asBoolean()).isTrue();
                assertThat(connect.at("/advice/interval").asLong()).isEqualTo(10_000);
                assertThat(connect.at("/advice/timeout").asLong()).isZero();
                assertThat(post(server, "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id
                        + "\",\"subscription\":\"/news\"}]").get(0).get("successful").asBoolean()).isTrue();

                post(server, "[{\"channel\":\"/news\",\"data\":{\"n\":1}}]");
                String event = in.readLine();
                assertThat(event).startsWith("data: ");
                assertThat(JSON.readTree(event.substring(6)).get(0).at("/data/n").asInt()).isEqualTo(1);
                assertThat(in.readLine()).isEmpty();

                // A line break inside the data (JSON whitespace) continues the event's data field.
                post(server, "[{\"channel\":\"/news\",\"data\":{\n\"n\":2}}]");
                StringBuilder joined = new StringBuilder();
                String line;
                while (!(line = in.readLine()).isEmpty()) {
                    assertThat(line).startsWith("data: ");
                    joined.append(line.substring(6)).append('\n');
                }
                assertThat(JSON.readTree(joined.toString()).get(0).at("/data/n").asInt()).isEqualTo(2);
            }
        }
    }

    @Test
    void anUnknownClientGets404() throws Exception {
        try (BrokerServer server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).build()).start()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "//nobody"))
                    .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(404);
        }
    }

    private JsonNode post(BrokerServer server, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
