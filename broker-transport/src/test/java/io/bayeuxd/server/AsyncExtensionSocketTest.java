package io.bayeuxd.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bayeuxd.api.AsyncExtension;
import io.bayeuxd.api.ExtensionContext;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.protocol.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An {@link AsyncExtension} over real sockets, answering every message on a thread of its own: at once,
 * late (when the test lets {@link #late} go), with an error of its own, or never (then the broker's
 * timeout answers). Meanwhile other clients' traffic goes on, and a client's later messages wait for its
 * earlier one's. No timing is asserted: "late" is held by a future the test completes.
 *
 * <p>The extension's rule, by channel of a publish: {@code /late/**} answers once {@link #late} completes,
 * {@code /never/**} does not answer, {@code /refused/**} answers with {@code 403:<channel>:Not allowed},
 * anything else (meta messages included) is passed on from another thread.
 */
class AsyncExtensionSocketTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_MS = 1_000;
    private static volatile CompletableFuture<Void> late = new CompletableFuture<>();
    private static ExecutorService service;
    private static BrokerServer server;
    private static HttpClient http;

    /** The extension under test: an "auth service" on its own threads. */
    private static final class ServiceExtension implements AsyncExtension {
        @Override
        public CompletionStage<Message> incoming(Message message, ExtensionContext context) {
            String channel = message.channel();
            if (channel.startsWith("/late/")) {
                return late.thenApplyAsync(v -> message, service);
            }
            if (channel.startsWith("/never/")) {
                return new CompletableFuture<>();
            }
            if (channel.startsWith("/refused/")) {
                return CompletableFuture.supplyAsync(() -> message.error("403:" + channel + ":Not allowed"), service);
            }
            return CompletableFuture.supplyAsync(() -> message, service);
        }

        @Override
        public long timeoutMs() {
            return TIMEOUT_MS;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        service = Executors.newFixedThreadPool(2);
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2)
                .broker(BrokerConfig.builder().timeoutMs(5_000).build()).build()).start();
        server.addExtension(new ServiceExtension());
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        late.complete(null);
        server.close();
        service.shutdownNow();
    }

    private static WsClient ws() {
        return new WsClient(http, URI.create("ws://127.0.0.1:" + server.port() + "/"));
    }

    /** A WebSocket client handshaken, subscribed to {@code channel} when given, and connected. */
    private static String join(WsClient ws, String channel) throws Exception {
        ws.send("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]");
        JsonNode hs = ws.nextOn("/meta/handshake");
        assertThat(hs.path("successful").asBoolean()).as(hs.toString()).isTrue();
        String id = hs.get("clientId").asText();
        if (channel != null) {
            ws.send("[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"" + channel + "\"}]");
            assertThat(ws.nextOn("/meta/subscribe").get("successful").asBoolean()).isTrue();
        }
        ws.send("[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"websocket\"}]");
        return id;
    }

    private static String publish(String id, String channel, String messageId) {
        return "[{\"channel\":\"" + channel + "\",\"clientId\":\"" + id + "\",\"data\":{\"n\":\"" + messageId + "\"},\"id\":\"" + messageId + "\"}]";
    }

    /** The next reply or message that is not a connect reply. */
    private static JsonNode nextNotConnect(WsClient ws) throws InterruptedException {
        for (;;) {
            JsonNode m = ws.next();
            if (!"/meta/connect".equals(m.path("channel").asText())) {
                return m;
            }
        }
    }

    @Test
    void aLateAnswerHoldsOnlyItsClientAndKeepsItsOrder() throws Exception {
        late = new CompletableFuture<>();
        try (WsClient watcher = ws(); WsClient waiting = ws(); WsClient other = ws()) {
            join(watcher, "/**");
            String w = join(waiting, null);
            String o = join(other, null);

            // Two frames of one client: the second passes at once but must not overtake the first.
            waiting.send(publish(w, "/late/a", "1"));
            waiting.send(publish(w, "/chat/b", "2"));

            other.send(publish(o, "/chat/other", "3"));
            assertThat(nextNotConnect(other).get("successful").asBoolean()).isTrue();
            assertThat(watcher.nextOn("/chat/other").get("data").get("n").asText()).isEqualTo("3");
            assertThat(waiting.messages.stream().filter(m -> m.has("id"))).isEmpty();

            late.complete(null);
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
    void anErrorOfItsOwnAndNoAnswerEachGetTheirBayeuxError() throws Exception {
        try (WsClient ws = ws(); WsClient other = ws()) {
            String id = join(ws, null);
            String o = join(other, "/chat/**");

            ws.send(publish(id, "/refused/x", "r"));
            JsonNode refused = nextNotConnect(ws);
            assertThat(refused.path("error").asText()).as(refused.toString()).isEqualTo("403:/refused/x:Not allowed");

            ws.send(publish(id, "/never/x", "n"));
            // Other traffic goes on while the extension does not answer.
            other.send(publish(o, "/chat/meanwhile", "m"));
            JsonNode meanwhile;
            do {
                meanwhile = other.nextOn("/chat/meanwhile");
            } while (!meanwhile.has("data"));
            assertThat(meanwhile.get("data").get("n").asText()).isEqualTo("m");
            JsonNode timedOut = nextNotConnect(ws);
            assertThat(timedOut.get("id").asText()).isEqualTo("n");
            assertThat(timedOut.get("successful").asBoolean()).isFalse();
            assertThat(timedOut.get("error").asText()).isEqualTo("500:/never/x:Extension timed out");

            // The session goes on after both.
            ws.send(publish(id, "/chat/after", "a"));
            assertThat(nextNotConnect(ws).get("successful").asBoolean()).isTrue();
        }
    }

    @Test
    void longPollingRequestsWaitForTheirExtensionToo() throws Exception {
        late = new CompletableFuture<>();
        String base = "http://127.0.0.1:" + server.port() + "/";
        java.util.function.Function<String, CompletableFuture<HttpResponse<String>>> post = body -> http.sendAsync(
                HttpRequest.newBuilder(URI.create(base)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        String id = JSON.readTree(post.apply("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}")
                .get(10, TimeUnit.SECONDS).body()).get(0).get("clientId").asText();

        CompletableFuture<HttpResponse<String>> waiting = post.apply(publish(id, "/late/poll", "p"));
        // Another request of the same client is answered meanwhile: HTTP requests are not one ordered stream.
        assertThat(JSON.readTree(post.apply(publish(id, "/chat/poll", "q")).get(10, TimeUnit.SECONDS).body()).get(0)
                .get("successful").asBoolean()).isTrue();
        assertThat(waiting).isNotDone();
        late.complete(null);
        assertThat(JSON.readTree(waiting.get(10, TimeUnit.SECONDS).body()).get(0).get("successful").asBoolean()).isTrue();

        JsonNode never = JSON.readTree(post.apply(publish(id, "/never/poll", "n")).get(10, TimeUnit.SECONDS).body()).get(0);
        assertThat(never.get("error").asText()).isEqualTo("500:/never/poll:Extension timed out");

        // A held connect passes the extension too, and is then held as usual: a publish releases it.
        assertThat(post.apply("[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/chat/held\"}]")
                .get(10, TimeUnit.SECONDS).body()).contains("\"successful\":true");
        CompletableFuture<HttpResponse<String>> connect = post.apply("[{\"channel\":\"/meta/connect\",\"clientId\":\""
                + id + "\",\"connectionType\":\"long-polling\"}]");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            post.apply(publish(id, "/chat/held", "h")).get(10, TimeUnit.SECONDS);
            assertThat(connect).isDone();
        });
        assertThat(connect.get().body()).contains("/chat/held").contains("\"successful\":true");
    }
}
