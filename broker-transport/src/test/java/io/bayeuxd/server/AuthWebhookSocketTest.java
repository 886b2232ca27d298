package io.bayeuxd.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.security.webhook.AuthWebhook;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;
import org.cometd.bayeux.Message;
import org.cometd.client.BayeuxClient;
import org.cometd.client.http.jetty.JettyHttpClientTransport;
import org.cometd.client.transport.ClientTransport;
import org.cometd.client.websocket.jakarta.WebSocketTransport;
import org.eclipse.jetty.util.component.LifeCycle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code --auth-webhook} over real sockets: the broker asks a backend on 127.0.0.1 (the JDK's HTTP server)
 * that answers at once, late, with an error, or never. Each gets its Bayeux error, other clients' traffic
 * goes on while a decision is awaited, and a client's later messages wait for its earlier one's
 * ({@link LateAnswerContract}). No timing is asserted: "late" and "never" are held by latches the test lets go.
 *
 * <p>The backend's rule, by channel: {@code /late/**} answers when {@link #late} is let go,
 * {@code /error/**} answers 500, {@code /never/**} does not answer, {@code /denied/**} denies with an
 * error, anything else is allowed; a handshake with {@code ext.token == "bad"} is denied
 * {@code 401::Invalid token}.
 */
class AuthWebhookSocketTest extends LateAnswerContract {
    private static HttpServer backend;
    private static ExecutorService backendThreads;
    private static final CountDownLatch never = new CountDownLatch(1);
    private static volatile CountDownLatch late = new CountDownLatch(1);
    private static BrokerServer server;
    private static org.eclipse.jetty.client.HttpClient jettyClient;
    private static WebSocketContainer wsContainer;

    @BeforeAll
    static void start() throws Exception {
        backendThreads = Executors.newCachedThreadPool();
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        backend.setExecutor(backendThreads);
        backend.createContext("/auth", AuthWebhookSocketTest::decide);
        backend.start();
        URI hook = URI.create("http://127.0.0.1:" + backend.getAddress().getPort() + "/auth");
        // The breaker would open after the error and silence tests: a threshold no test reaches.
        AuthWebhook webhook = new AuthWebhook(hook, new AuthWebhook.Options(1_000, 5_000, 1_000, 1_000, 10_000));
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2)
                .broker(BrokerConfig.builder().timeoutMs(5_000).build())
                .asyncSecurityPolicy(webhook)
                .build()).start();
        jettyClient = new org.eclipse.jetty.client.HttpClient();
        jettyClient.start();
        wsContainer = ContainerProvider.getWebSocketContainer();
    }

    @AfterAll
    static void stop() throws Exception {
        never.countDown();
        late.countDown();
        LifeCycle.stop(wsContainer);
        jettyClient.stop();
        server.close();
        backend.stop(0);
        backendThreads.shutdownNow();
    }

    private static void decide(HttpExchange exchange) throws IOException {
        JsonNode q = JSON.readTree(exchange.getRequestBody());
        String channel = q.path("channel").asText("");
        int status = 200;
        String body = "{\"allow\":true}";
        try {
            if (q.path("operation").asText().equals("handshake") && "bad".equals(q.path("ext").path("token").asText(null))) {
                body = "{\"allow\":false,\"error\":\"401::Invalid token\"}";
            } else if (channel.startsWith("/late/")) {
                late.await(30, TimeUnit.SECONDS);
            } else if (channel.startsWith("/never/")) {
                never.await(30, TimeUnit.SECONDS);
            } else if (channel.startsWith("/error/")) {
                status = 500;
                body = "backend broken";
            } else if (channel.startsWith("/denied/")) {
                body = "{\"allow\":false,\"error\":\"Not a member\"}";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try {
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } finally {
            exchange.close();
        }
    }

    @Override
    BrokerServer server() {
        return server;
    }

    @Override
    void holdLate() {
        late = new CountDownLatch(1);
    }

    @Override
    void letLateGo() {
        late.countDown();
    }

    @Test
    void anErrorADenialAndNoAnswerEachGetTheirBayeuxError() throws Exception {
        try (WsClient ws = ws(); WsClient other = ws()) {
            String id = join(ws, null);
            String o = join(other, "/chat/**");

            ws.send(subscribe(id, "/error/x"));
            assertThat(ws.nextOn("/meta/subscribe").get("error").asText()).isEqualTo("403:/error/x:Authorization unavailable");
            ws.send(publish(id, "/denied/x", "d"));
            JsonNode denied = nextNotConnect(ws);
            assertThat(denied.path("error").asText()).as(denied.toString()).isEqualTo("403:/denied/x:Not a member");

            ws.send(publish(id, "/never/x", "n"));
            // Other traffic goes on while the webhook does not answer.
            otherTrafficGoesOn(other, o);
            JsonNode timedOut = nextNotConnect(ws);
            assertThat(timedOut.get("id").asText()).isEqualTo("n");
            assertThat(timedOut.get("error").asText()).isEqualTo("403:/never/x:Authorization timed out");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.broker().undecidedOperations() >= 2);
    }

    private ClientTransport transport(String name) {
        return name.equals("websocket") ? new WebSocketTransport(null, null, wsContainer) : new JettyHttpClientTransport(null, jettyClient);
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "long-polling"})
    void theCometdClientIsAllowedAndDeniedThroughTheWebhook(String transportName) throws Exception {
        String url = "http://127.0.0.1:" + server.port() + "/";
        BayeuxClient good = new BayeuxClient(url, transport(transportName));
        BayeuxClient bad = new BayeuxClient(url, transport(transportName));
        try {
            good.handshake(Map.of(Message.EXT_FIELD, Map.of("token", "good")));
            assertThat(good.waitFor(10_000, BayeuxClient.State.CONNECTED)).isTrue();

            CompletableFuture<Message> denied = new CompletableFuture<>();
            good.getChannel("/denied/room").subscribe((c, m) -> { }, denied::complete);
            assertThat(denied.get(10, TimeUnit.SECONDS).isSuccessful()).isFalse();
            CompletableFuture<Message> subscribed = new CompletableFuture<>();
            CompletableFuture<Message> received = new CompletableFuture<>();
            good.getChannel("/chat/room").subscribe((c, m) -> received.complete(m), subscribed::complete);
            assertThat(subscribed.get(10, TimeUnit.SECONDS).isSuccessful()).isTrue();
            good.getChannel("/chat/room").publish(Map.of("text", "hi"));
            assertThat(received.get(10, TimeUnit.SECONDS).getDataAsMap()).containsEntry("text", "hi");

            CompletableFuture<Message> refused = new CompletableFuture<>();
            bad.handshake(Map.of(Message.EXT_FIELD, Map.of("token", "bad")), refused::complete);
            Message reply = refused.get(10, TimeUnit.SECONDS);
            assertThat(reply.isSuccessful()).isFalse();
            assertThat(reply.get(Message.ERROR_FIELD)).isEqualTo("401::Invalid token");
        } finally {
            good.disconnect(5_000);
            bad.disconnect(5_000);
        }
    }
}
