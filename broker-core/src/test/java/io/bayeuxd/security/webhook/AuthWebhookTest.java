package io.bayeuxd.security.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bayeuxd.api.AsyncSecurityPolicy.Decision;
import io.bayeuxd.api.SecurityPolicy.HandshakeDecision;
import io.bayeuxd.api.ServerSession;
import io.bayeuxd.protocol.JsonValue;
import io.bayeuxd.protocol.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The webhook against a real HTTP server on 127.0.0.1 (the JDK's): what it sends, how it reads the
 * answers, its cache and its circuit breaker, on a fake clock.
 */
class AuthWebhookTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer backend;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    /** The status and body the backend answers with. */
    private final AtomicReference<Object[]> answer = new AtomicReference<>(new Object[] {200, "{\"allow\":true}"});
    private final AtomicLong clock = new AtomicLong();
    private AuthWebhook webhook;

    @BeforeEach
    void start() throws IOException {
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        backend.setExecutor(Executors.newCachedThreadPool());
        backend.createContext("/auth", this::serve);
        backend.start();
        URI uri = URI.create("http://127.0.0.1:" + backend.getAddress().getPort() + "/auth");
        webhook = new AuthWebhook(uri, new AuthWebhook.Options(5_000, 3_000, 100, 3, 10_000), HttpClient.newHttpClient(), clock::get);
    }

    @AfterEach
    void stop() {
        backend.stop(0);
    }

    private void serve(HttpExchange exchange) throws IOException {
        requests.add(JSON.readTree(exchange.getRequestBody()));
        Object[] a = answer.get();
        byte[] body = ((String) a[1]).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders((Integer) a[0], body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static ServerSession session(String clientId, String user) {
        return new ServerSession() {
            public String clientId() { return clientId; }
            public boolean isLocal() { return false; }
            public JsonValue handshakeExt() { return null; }
            public Object principal() { return new io.bayeuxd.security.Principal(user, java.util.Set.of()); }
        };
    }

    private Decision subscribe(String clientId, String channel) {
        Message m = new Message().channel("/meta/subscribe").ext(JsonValue.parse("{\"room\":1}"));
        return webhook.canSubscribe(session(clientId, "alice"), channel, m, null).toCompletableFuture().join();
    }

    @Test
    void sendsTheOperationWithItsClientChannelExtAndUser() {
        HandshakeDecision hs = webhook.canHandshake(new Message().ext(JsonValue.parse("{\"token\":\"t1\"}")), null)
                .toCompletableFuture().join();
        assertThat(subscribe("c1", "/chat/a")).isEqualTo(Decision.ALLOW);
        Message publish = new Message().channel("/chat/a");
        webhook.canPublish(null, "/chat/a", publish, null).toCompletableFuture().join();

        assertThat(hs.allowed()).isTrue();
        assertThat(requests.get(0).toString()).isEqualTo(
                "{\"operation\":\"handshake\",\"clientId\":null,\"channel\":null,\"ext\":{\"token\":\"t1\"},\"user\":null}");
        assertThat(requests.get(1).toString()).isEqualTo(
                "{\"operation\":\"subscribe\",\"clientId\":\"c1\",\"channel\":\"/chat/a\",\"ext\":{\"room\":1},\"user\":\"alice\"}");
        assertThat(requests.get(2).toString()).isEqualTo(
                "{\"operation\":\"publish\",\"clientId\":null,\"channel\":\"/chat/a\",\"ext\":null,\"user\":null}");
    }

    @Test
    void readsDenialsErrorsAndTheHandshakesUser() {
        answer.set(new Object[] {200, "{\"allow\":true,\"user\":\"bob\"}"});
        HandshakeDecision hs = webhook.canHandshake(new Message(), null).toCompletableFuture().join();
        assertThat(((java.security.Principal) hs.principal()).getName()).isEqualTo("bob");

        answer.set(new Object[] {200, "{\"allow\":false,\"error\":\"Not a member\"}"});
        assertThat(subscribe("c1", "/a").error()).isEqualTo("403:/a:Not a member");
        answer.set(new Object[] {200, "{\"allow\":false,\"error\":\"401::Invalid token\"}"});
        assertThat(webhook.canHandshake(new Message().ext(JsonValue.parse("{\"t\":2}")), null).toCompletableFuture().join().error())
                .isEqualTo("401::Invalid token");
        answer.set(new Object[] {403, ""});
        assertThat(subscribe("c1", "/b")).isEqualTo(Decision.DENY);

        answer.set(new Object[] {500, "oops"});
        assertThatThrownBy(() -> subscribe("c1", "/c")).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(AuthWebhook.BackendUnavailable.class);
        answer.set(new Object[] {200, "{\"ok\":true}"});
        assertThatThrownBy(() -> subscribe("c1", "/d")).hasCauseInstanceOf(AuthWebhook.BackendUnavailable.class);
    }

    @Test
    void answersAreKeptForAFewSecondsPerQuestionButFailuresAreNot() {
        assertThat(subscribe("c1", "/a")).isEqualTo(Decision.ALLOW);
        assertThat(subscribe("c1", "/a")).isEqualTo(Decision.ALLOW);
        assertThat(requests).hasSize(1);
        // Another question: another request.
        subscribe("c2", "/a");
        assertThat(requests).hasSize(2);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(3));
        subscribe("c1", "/a");
        assertThat(requests).hasSize(3);

        answer.set(new Object[] {500, ""});
        assertThatThrownBy(() -> subscribe("c3", "/a")).hasCauseInstanceOf(AuthWebhook.BackendUnavailable.class);
        answer.set(new Object[] {200, "{\"allow\":true}"});
        assertThat(subscribe("c3", "/a")).isEqualTo(Decision.ALLOW);
        assertThat(requests).hasSize(5);
    }

    @Test
    void theCacheIsBounded() {
        webhook = new AuthWebhook(URI.create("http://127.0.0.1:" + backend.getAddress().getPort() + "/auth"),
                new AuthWebhook.Options(5_000, 3_000, 10, 3, 10_000), HttpClient.newHttpClient(), clock::get);
        for (int i = 0; i < 25; i++) {
            subscribe("c" + i, "/a");
            assertThat(webhook.cached()).isLessThanOrEqualTo(10);
        }
    }

    @Test
    void afterFailuresInARowTheBreakerDeniesWithoutAskingForACoolDown() {
        answer.set(new Object[] {500, ""});
        for (int i = 0; i < 3; i++) {
            String channel = "/fail/" + i;
            assertThatThrownBy(() -> subscribe("c1", channel)).hasCauseInstanceOf(AuthWebhook.BackendUnavailable.class);
        }
        assertThat(webhook.breakerOpen()).isTrue();
        answer.set(new Object[] {200, "{\"allow\":true}"});
        assertThatThrownBy(() -> subscribe("c1", "/open")).hasCauseInstanceOf(AuthWebhook.BackendUnavailable.class);
        assertThat(requests).hasSize(3);

        clock.addAndGet(TimeUnit.SECONDS.toNanos(10));
        assertThat(subscribe("c1", "/open")).isEqualTo(Decision.ALLOW);
        assertThat(webhook.breakerOpen()).isFalse();
        assertThat(requests).hasSize(4);
    }

    @Test
    void aBackendThatDoesNotAnswerInTimeFailsWithATimeout() throws IOException {
        backend.createContext("/silent", exchange -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        AuthWebhook silent = new AuthWebhook(URI.create("http://127.0.0.1:" + backend.getAddress().getPort() + "/silent"),
                AuthWebhook.Options.DEFAULTS.withTimeoutMs(200));
        assertThatThrownBy(() -> silent.canPublish(null, "/a", new Message(), null).toCompletableFuture().join())
                .hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
        assertThat(silent.decisionTimeoutMs()).isGreaterThan(200);
    }
}
