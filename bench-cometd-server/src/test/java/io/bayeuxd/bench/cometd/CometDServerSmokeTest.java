package io.bayeuxd.bench.cometd;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Starts the benchmark's CometD server on a free loopback port and handshakes with it over both transports. */
class CometDServerSmokeTest {

    private static final String HANDSHAKE = "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\","
            + "\"supportedConnectionTypes\":[\"%s\"],\"id\":\"1\"}]";

    private CometDServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        server = new CometDServer("127.0.0.1", 0, 5_000).start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void handshakesOverLongPolling() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + CometDServer.PATH))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(HANDSHAKE.formatted("long-polling")))
                .build();

        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"/meta/handshake\"", "\"successful\":true", "\"clientId\"");
        assertThat(server.bayeux().getSessions()).hasSize(1);
    }

    @Test
    void handshakesOverWebSocket() throws Exception {
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + CometDServer.PATH), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            reply.complete(text.toString());
                        }
                        webSocket.request(1);
                        return null;
                    }
                })
                .get(5, TimeUnit.SECONDS);
        try {
            socket.sendText(HANDSHAKE.formatted("websocket"), true).get(5, TimeUnit.SECONDS);

            assertThat(reply.get(5, TimeUnit.SECONDS)).contains("\"/meta/handshake\"", "\"successful\":true", "\"clientId\"");
        } finally {
            socket.abort();
        }
    }
}
