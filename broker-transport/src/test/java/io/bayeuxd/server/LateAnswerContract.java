package io.bayeuxd.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What holds over real sockets for every step that may answer a message later (an asynchronous extension,
 * the auth webhook): a late answer holds only its own client, whose later messages keep their order, and a
 * long-polling client's other requests are answered meanwhile. A subclass starts the server with a step
 * that answers publishes on {@code /late/**} only once {@link #letLateGo} is called, and meta messages and
 * publishes on {@code /chat/**} at once.
 */
abstract class LateAnswerContract {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The server under test. */
    abstract BrokerServer server();

    /** From now on, answers on {@code /late/**} wait for {@link #letLateGo}. */
    abstract void holdLate();

    abstract void letLateGo();

    WsClient ws() {
        return new WsClient(HTTP, URI.create("ws://127.0.0.1:" + server().port() + "/"));
    }

    /** A WebSocket client handshaken, subscribed to {@code channel} when given, and connected. */
    static String join(WsClient ws, String channel) throws Exception {
        ws.send("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]");
        JsonNode hs = ws.nextOn("/meta/handshake");
        assertThat(hs.path("successful").asBoolean()).as(hs.toString()).isTrue();
        String id = hs.get("clientId").asText();
        if (channel != null) {
            ws.send(subscribe(id, channel));
            assertThat(ws.nextOn("/meta/subscribe").get("successful").asBoolean()).isTrue();
        }
        ws.send("[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"websocket\"}]");
        return id;
    }

    static String subscribe(String id, String channel) {
        return "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"" + channel + "\"}]";
    }

    static String publish(String id, String channel, String messageId) {
        return "[{\"channel\":\"" + channel + "\",\"clientId\":\"" + id + "\",\"data\":{\"n\":\"" + messageId + "\"},\"id\":\"" + messageId + "\"}]";
    }

    /** The next reply or message that is not a connect reply. */
    static JsonNode nextNotConnect(WsClient ws) throws InterruptedException {
        for (;;) {
            JsonNode m = ws.next();
            if (!"/meta/connect".equals(m.path("channel").asText())) {
                return m;
            }
        }
    }

    /** {@code other} (client {@code o}, subscribed to {@code /chat/**}) publishes and receives it: traffic goes on. */
    static void otherTrafficGoesOn(WsClient other, String o) throws InterruptedException {
        other.send(publish(o, "/chat/meanwhile", "m"));
        JsonNode meanwhile;
        do {
            meanwhile = other.nextOn("/chat/meanwhile");
        } while (!meanwhile.has("data"));
        assertThat(meanwhile.get("data").get("n").asText()).isEqualTo("m");
    }

    /** Posts {@code body} to the server's Bayeux path, as a long-polling client does. */
    CompletableFuture<HttpResponse<String>> post(String body) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server().port() + "/"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The reply to {@code body}, the first of the answer's array. */
    JsonNode postForReply(String body) throws Exception {
        return JSON.readTree(post(body).get(10, TimeUnit.SECONDS).body()).get(0);
    }

    @Test
    void aLateAnswerHoldsOnlyItsClientAndKeepsItsOrder() throws Exception {
        holdLate();
        try (WsClient watcher = ws(); WsClient waiting = ws(); WsClient other = ws()) {
            join(watcher, "/**");
            String w = join(waiting, null);
            String o = join(other, null);

            // Two frames of one client: the second passes at once but must not overtake the first.
            waiting.send(publish(w, "/late/a", "1"));
            waiting.send(publish(w, "/chat/b", "2"));

            // Meanwhile another client publishes and the watcher receives it.
            other.send(publish(o, "/chat/other", "3"));
            assertThat(nextNotConnect(other).get("successful").asBoolean()).isTrue();
            assertThat(watcher.nextOn("/chat/other").get("data").get("n").asText()).isEqualTo("3");
            assertThat(waiting.messages.stream().filter(m -> m.has("id"))).isEmpty();

            letLateGo();
            JsonNode first = nextNotConnect(waiting);
            JsonNode second = nextNotConnect(waiting);
            assertThat(first.get("id").asText()).isEqualTo("1");
            assertThat(first.get("successful").asBoolean()).isTrue();
            assertThat(second.get("id").asText()).isEqualTo("2");
            assertThat(watcher.nextOn("/late/a").get("data").get("n").asText()).isEqualTo("1");
            assertThat(watcher.nextOn("/chat/b").get("data").get("n").asText()).isEqualTo("2");
        }
    }

    @Test
    void aLongPollingRequestWaitsForItsLateAnswer() throws Exception {
        holdLate();
        String id = postForReply("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}")
                .get("clientId").asText();

        CompletableFuture<HttpResponse<String>> waiting = post(publish(id, "/late/poll", "p"));
        // Another request of the same client is answered meanwhile: HTTP requests are not one ordered stream.
        assertThat(postForReply(publish(id, "/chat/poll", "q")).get("successful").asBoolean()).isTrue();
        assertThat(waiting).isNotDone();
        letLateGo();
        assertThat(JSON.readTree(waiting.get(10, TimeUnit.SECONDS).body()).get(0).get("successful").asBoolean()).isTrue();
    }
}
