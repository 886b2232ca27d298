package io.bayeuxd.server;

import io.bayeuxd.api.BayeuxMessage;
import io.bayeuxd.api.Extension;
import io.bayeuxd.api.ExtensionContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Extensions read the request's headers over a real socket: a polling request's own, and for a
 * WebSocket the upgrade request's, at every message of the connection's life.
 */
class RequestHeadersTest {
    /** What an extension saw: channel, connection type, X-Client header, Sec-WebSocket-Key header. */
    record Seen(String channel, String connectionType, String client, String key) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private BrokerServer server;

    @BeforeEach
    void start() throws Exception {
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).build()).start();
        server.addExtension(new Extension() {
            @Override
            public BayeuxMessage incoming(BayeuxMessage message, ExtensionContext context) {
                seen.add(new Seen(message.channel(), context.connectionType(), context.header("x-client"),
                        context.header("Sec-WebSocket-Key")));
                return message;
            }
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aWebSocketsMessagesCarryTheUpgradeRequestsHeaders() throws Exception {
        try (WsClient ws = new WsClient(http, URI.create("ws://127.0.0.1:" + server.port() + "/"), "X-Client", "socket-7")) {
            ws.send("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]");
            String id = ws.nextOn("/meta/handshake").get("clientId").asText();
            ws.send("[{\"channel\":\"/h/a\",\"clientId\":\"" + id + "\",\"data\":1}]");
            assertThat(ws.nextOn("/h/a").get("successful").asBoolean()).isTrue();
        }
        assertThat(seen).containsExactly(new Seen("/meta/handshake", "websocket", "socket-7", null),
                new Seen("/h/a", "websocket", "socket-7", null));
    }

    @Test
    void aPollingRequestCarriesItsOwnHeaders() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .header("Content-Type", "application/json").header("X-Client", "poll-3")
                .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"/h/b\",\"data\":1}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(seen).containsExactly(new Seen("/h/b", "long-polling", "poll-3", null));
    }
}
