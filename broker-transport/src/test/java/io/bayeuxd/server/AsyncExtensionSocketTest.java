package io.bayeuxd.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.api.AsyncExtension;
import io.bayeuxd.api.BayeuxMessage;
import io.bayeuxd.api.ExtensionContext;
import io.bayeuxd.broker.BrokerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
 * earlier one's ({@link LateAnswerContract}). No timing is asserted: "late" is held by a future the test
 * completes.
 *
 * <p>The extension's rule, by channel of a publish: {@code /late/**} answers once {@link #late} completes,
 * {@code /never/**} does not answer, {@code /refused/**} answers with {@code 403:<channel>:Not allowed},
 * anything else (meta messages included) is passed on from another thread.
 */
class AsyncExtensionSocketTest extends LateAnswerContract {
    private static final long TIMEOUT_MS = 1_000;
    private static volatile CompletableFuture<Void> late = new CompletableFuture<>();
    private static ExecutorService service;
    private static BrokerServer server;

    /** The extension under test: an "auth service" on its own threads. */
    private static final class ServiceExtension implements AsyncExtension {
        @Override
        public CompletionStage<BayeuxMessage> incoming(BayeuxMessage message, ExtensionContext context) {
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
    }

    @AfterAll
    static void stop() {
        late.complete(null);
        server.close();
        service.shutdownNow();
    }

    @Override
    BrokerServer server() {
        return server;
    }

    @Override
    void holdLate() {
        late = new CompletableFuture<>();
    }

    @Override
    void letLateGo() {
        late.complete(null);
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
            otherTrafficGoesOn(other, o);
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
    void aLongPollingRequestTimesOutAndAHeldConnectPassesTheExtensionToo() throws Exception {
        String id = postForReply("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}")
                .get("clientId").asText();

        JsonNode never = postForReply(publish(id, "/never/poll", "n"));
        assertThat(never.get("error").asText()).isEqualTo("500:/never/poll:Extension timed out");

        // A held connect passes the extension too, and is then held as usual: a publish releases it.
        assertThat(post("[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/chat/held\"}]")
                .get(10, TimeUnit.SECONDS).body()).contains("\"successful\":true");
        CompletableFuture<HttpResponse<String>> connect = post("[{\"channel\":\"/meta/connect\",\"clientId\":\""
                + id + "\",\"connectionType\":\"long-polling\"}]");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            post(publish(id, "/chat/held", "h")).get(10, TimeUnit.SECONDS);
            assertThat(connect).isDone();
        });
        assertThat(connect.get().body()).contains("/chat/held").contains("\"successful\":true");
    }
}
