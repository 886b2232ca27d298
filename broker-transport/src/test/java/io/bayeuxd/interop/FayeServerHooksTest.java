package io.bayeuxd.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bayeuxd.api.AsyncExtension;
import io.bayeuxd.api.BayeuxMessage;
import io.bayeuxd.api.ExtensionContext;
import io.bayeuxd.api.ServerListener;
import io.bayeuxd.api.ServerSession;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.broker.LocalClient;
import io.bayeuxd.protocol.JsonValue;
import io.bayeuxd.protocol.MetaChannels;
import io.bayeuxd.server.BrokerServer;
import io.bayeuxd.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The real Faye Node client against the broker's server-side hooks ({@code interop/faye/server-hooks}): an
 * {@link AsyncExtension} that checks a token on another thread, the listener example of
 * {@code docs/api.md} publishing through the in-process client, and {@code --presence-channels} join and
 * leave events. Over WebSocket and long-polling; skipped like {@link FayeNodeClientTest} without Node.
 */
class FayeServerHooksTest {
    private static BrokerServer server;
    private static ExecutorService authService;

    /**
     * Checks {@code ext.token} of subscribes and publishes under {@code /checked/} on the "auth service"'s
     * thread, and stamps accepted publications.
     */
    private static final class TokenCheck implements AsyncExtension {
        @Override
        public CompletionStage<BayeuxMessage> incoming(BayeuxMessage message, ExtensionContext context) {
            String channel = MetaChannels.SUBSCRIBE.equals(message.channel()) && message.subscription() != null
                    && !message.subscription().isEmpty() ? message.subscription().get(0) : message.channel();
            if (!channel.startsWith("/checked/")) {
                return CompletableFuture.completedFuture(message);
            }
            return CompletableFuture.supplyAsync(() -> {
                JsonNode ext = message.ext() == null ? null : message.ext().tree();
                if (ext == null || !"letmein".equals(ext.path("token").asText(null))) {
                    return message.error("403:" + channel + ":Invalid token");
                }
                if (message.data() != null && message.data().tree() instanceof ObjectNode data) {
                    ObjectNode stamped = data.deepCopy();
                    stamped.put("checkedBy", "auth-service");
                    message.data(JsonValue.of(stamped));
                }
                return message;
            }, authService);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        NodeTestRun.assumeFayeSuite("Faye client server-hooks tests");
        authService = Executors.newSingleThreadExecutor();
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0)
                .broker(BrokerConfig.builder().timeoutMs(10_000).presenceChannels(List.of("/room/**")).build()).build()).start();
        server.addExtension(new TokenCheck());

        // The example of docs/api.md, as it is written there.
        LocalClient lobby = server.newLocalClient();
        server.addListener(new ServerListener() {
            @Override
            public void onSubscribe(ServerSession session, String channel) {
                if (channel.startsWith("/lobby/")) {
                    lobby.publish(channel, JsonValue.parse("{\"welcome\":\"" + session.clientId() + "\"}"));
                }
            }
        });
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (authService != null) {
            authService.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "long-polling"})
    void fayeClientSeesTheServersHooks(String transport) throws Exception {
        Map<String, String> env = Map.of(
                "BAYEUX_URL", "http://127.0.0.1:" + server.port() + "/",
                "BAYEUX_TRANSPORT", transport);
        NodeTestRun.assertPasses(NodeTestRun.FAYE_SUITE, "server-hooks/", env, Duration.ofMinutes(2),
                "Faye client against server hooks over " + transport);
    }
}
