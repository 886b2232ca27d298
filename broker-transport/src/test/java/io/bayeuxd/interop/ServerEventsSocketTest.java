package io.bayeuxd.interop;

import io.bayeuxd.api.DisconnectReason;
import io.bayeuxd.api.ServerListener;
import io.bayeuxd.api.ServerSession;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.protocol.JsonValue;
import io.bayeuxd.server.BrokerServer;
import io.bayeuxd.server.ServerConfig;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.client.ClientSessionChannel;
import org.cometd.client.BayeuxClient;
import org.cometd.client.http.jetty.JettyHttpClientTransport;
import org.cometd.client.transport.ClientTransport;
import org.cometd.client.websocket.jakarta.WebSocketTransport;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.component.LifeCycle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Server events over real sockets, with the CometD Java client: their order and the reason of each
 * disconnect, and listeners that sleep or throw delay no client's messages.
 */
class ServerEventsSocketTest {
    private static final String KEY = "events-test-key-0123456789";
    private static final Duration BOUND = Duration.ofSeconds(15);

    private final Recorder recorder = new Recorder();
    private final java.net.http.HttpClient jdkHttp = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<BayeuxClient> clients = new CopyOnWriteArrayList<>();
    private BrokerServer server;
    private HttpClient httpClient;
    private WebSocketContainer wsContainer;

    @BeforeEach
    void start() throws Exception {
        // A one-second connect timeout: a client silent for two seconds expires, swept within a third.
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).managementPort(0).apiKey(KEY).ioThreads(2)
                .broker(BrokerConfig.builder().timeoutMs(1_000).build()).build()).start();
        httpClient = new HttpClient();
        httpClient.start();
        wsContainer = ContainerProvider.getWebSocketContainer();
    }

    @AfterEach
    void stop() throws Exception {
        for (BayeuxClient client : clients) {
            client.disconnect(2_000);
        }
        server.close();
        LifeCycle.stop(wsContainer);
        httpClient.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "long-polling"})
    void aClientsEventsComeInOrder(String transport) throws Exception {
        server.addListener(recorder);
        BayeuxClient client = connected(transport);
        String id = client.getId();
        String channel = "/events/" + transport;
        CompletableFuture<Message> subscribed = new CompletableFuture<>();
        CompletableFuture<Message> received = new CompletableFuture<>();
        ClientSessionChannel.MessageListener listener = (ch, m) -> received.complete(m);
        client.getChannel(channel).subscribe(listener, subscribed::complete);
        assertThat(subscribed.get(10, TimeUnit.SECONDS).isSuccessful()).isTrue();
        client.getChannel(channel).publish(Map.of("n", 1));
        received.get(10, TimeUnit.SECONDS);
        CompletableFuture<Message> unsubscribed = new CompletableFuture<>();
        client.getChannel(channel).unsubscribe(listener, unsubscribed::complete);
        assertThat(unsubscribed.get(10, TimeUnit.SECONDS).isSuccessful()).isTrue();
        assertThat(client.disconnect(5_000)).isTrue();

        await().atMost(BOUND).untilAsserted(() -> assertThat(recorder.of(id)).containsExactly(
                "handshake", "connect " + transport + " null", "subscribe " + channel, "publish " + channel + " {\"n\":1}",
                "unsubscribe " + channel, "disconnect CLIENT"));
    }

    @Test
    void sessionsTheServerEndsSayWhy() throws Exception {
        server.addListener(recorder);
        String silent = rawHandshake();
        BayeuxClient kicked = connected("long-polling");
        BayeuxClient drained = connected("websocket");
        subscribe(drained, "/drained/room");
        // Read now: a CometD client the server ended handshakes again, with a new id.
        String kickedId = kicked.getId();
        String drainedId = drained.getId();

        HttpResponse<String> ended = jdkHttp.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.managementPort()
                        + "/api/disconnect")).header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"clientId\":\"" + kickedId + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ended.statusCode()).isEqualTo(200);
        await().atMost(BOUND).untilAsserted(() -> {
            assertThat(recorder.of(kickedId)).endsWith("disconnect API");
            assertThat(recorder.of(silent)).containsExactly("handshake", "disconnect EXPIRED");
        });
        kicked.disconnect(1_000);

        server.drain(5_000);
        server.close();
        assertThat(recorder.of(drainedId)).endsWith("subscribe /drained/room", "unsubscribe /drained/room", "disconnect DRAIN");
    }

    @Test
    void listenersThatSleepOrThrowDelayNoDelivery() throws Exception {
        server.addListener(new ServerListener() {
            @Override
            public void onPublish(ServerSession session, String channel, JsonValue data) {
                throw new IllegalStateException("a listener bug");
            }
        });
        server.addListener(new ServerListener() {
            // Each event keeps the listeners' thread for a second: 20 publishes alone would take 20 s.
            @Override
            public void onPublish(ServerSession session, String channel, JsonValue data) {
                sleep();
            }

            @Override
            public void onSubscribe(ServerSession session, String channel) {
                sleep();
            }

            private void sleep() {
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        BayeuxClient subscriber = connected("websocket");
        BayeuxClient publisher = connected("long-polling");
        List<Object> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Message> subscribed = new CompletableFuture<>();
        subscriber.getChannel("/busy").subscribe((ch, m) -> received.add(m.getDataAsMap().get("n")), subscribed::complete);
        assertThat(subscribed.get(10, TimeUnit.SECONDS).isSuccessful()).isTrue();
        for (int i = 0; i < 20; i++) {
            publisher.getChannel("/busy").publish(Map.of("n", i));
        }
        // Far less than the listeners need: the clients do not wait for them.
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 20);
        BayeuxClient late = connected("websocket");
        assertThat(late.isConnected()).isTrue();
        await().atMost(BOUND).until(() -> server.broker().listenerFailures() >= 1);
    }

    private BayeuxClient connected(String transport) {
        ClientTransport t = transport.equals("websocket") ? new WebSocketTransport(null, null, wsContainer)
                : new JettyHttpClientTransport(null, httpClient);
        BayeuxClient client = new BayeuxClient("http://127.0.0.1:" + server.port() + "/", t);
        clients.add(client);
        client.handshake();
        assertThat(client.waitFor(10_000, BayeuxClient.State.CONNECTED)).isTrue();
        return client;
    }

    private static void subscribe(BayeuxClient client, String channel) throws Exception {
        CompletableFuture<Message> subscribed = new CompletableFuture<>();
        client.getChannel(channel).subscribe((ch, m) -> { }, subscribed::complete);
        assertThat(subscribed.get(10, TimeUnit.SECONDS).isSuccessful()).isTrue();
    }

    /** A handshake over HTTP, with no connect after it: the session expires. */
    private String rawHandshake() throws Exception {
        HttpResponse<String> res = jdkHttp.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}]"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(res.body()).get(0).get("clientId").asText();
    }

    /** Each event as a line, by client id. */
    static final class Recorder implements ServerListener {
        private final List<String[]> events = new CopyOnWriteArrayList<>();

        List<String> of(String clientId) {
            return events.stream().filter(e -> e[0].equals(clientId)).map(e -> e[1]).toList();
        }

        private void add(ServerSession session, String event) {
            events.add(new String[] {session == null ? "" : session.clientId(), event});
        }

        @Override
        public void onHandshake(ServerSession session) {
            add(session, "handshake");
        }

        @Override
        public void onConnect(ServerSession session, String connectionType, String previousConnectionType) {
            add(session, "connect " + connectionType + " " + previousConnectionType);
        }

        @Override
        public void onSubscribe(ServerSession session, String channel) {
            add(session, "subscribe " + channel);
        }

        @Override
        public void onUnsubscribe(ServerSession session, String channel) {
            add(session, "unsubscribe " + channel);
        }

        @Override
        public void onPublish(ServerSession session, String channel, JsonValue data) {
            add(session, "publish " + channel + " " + data);
        }

        @Override
        public void onDisconnect(ServerSession session, DisconnectReason reason) {
            add(session, "disconnect " + reason);
        }
    }
}
