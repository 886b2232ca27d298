package io.bayeuxd.interop;

import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.server.BrokerServer;
import io.bayeuxd.server.ServerConfig;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;
import org.cometd.bayeux.Message;
import org.cometd.client.BayeuxClient;
import org.cometd.client.http.jetty.JettyHttpClientTransport;
import org.cometd.client.transport.ClientTransport;
import org.cometd.client.websocket.jakarta.WebSocketTransport;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.component.LifeCycle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The CometD 9 Java client (Jetty 12) against this broker over WebSocket and long-polling. */
class CometdClientTest {
    private static BrokerServer server;
    private static HttpClient httpClient;
    private static WebSocketContainer wsContainer;

    @BeforeAll
    static void start() throws Exception {
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0)
                .broker(BrokerConfig.builder().timeoutMs(5_000).build()).build()).start();
        httpClient = new HttpClient();
        httpClient.start();
        wsContainer = ContainerProvider.getWebSocketContainer();
    }

    @AfterAll
    static void stop() throws Exception {
        LifeCycle.stop(wsContainer);
        httpClient.stop();
        server.close();
    }

    private ClientTransport transport(String name) {
        return name.equals("websocket") ? new WebSocketTransport(null, null, wsContainer) : new JettyHttpClientTransport(null, httpClient);
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "long-polling"})
    void handshakeSubscribePublishReceive(String transportName) throws Exception {
        String url = "http://127.0.0.1:" + server.port() + "/";
        BayeuxClient subscriber = new BayeuxClient(url, transport(transportName));
        BayeuxClient publisher = new BayeuxClient(url, transport(transportName));
        try {
            subscriber.handshake();
            publisher.handshake();
            assertThat(subscriber.waitFor(10_000, BayeuxClient.State.CONNECTED)).isTrue();
            assertThat(publisher.waitFor(10_000, BayeuxClient.State.CONNECTED)).isTrue();
            assertThat(subscriber.getTransport().getName()).isEqualTo(transportName);

            String channel = "/cometd/" + transportName.replace('-', '_');
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            CompletableFuture<Message> subscribed = new CompletableFuture<>();
            subscriber.getChannel(channel).subscribe((ch, m) -> received.add(m), subscribed::complete);
            assertThat(subscribed.get(10, TimeUnit.SECONDS).isSuccessful()).isTrue();

            CompletableFuture<Message> published = new CompletableFuture<>();
            publisher.getChannel(channel).publish(Map.of("text", "hello from cometd", "n", 42), published::complete);
            assertThat(published.get(10, TimeUnit.SECONDS).isSuccessful()).isTrue();

            Message m = received.poll(10, TimeUnit.SECONDS);
            assertThat(m).isNotNull();
            assertThat(m.getChannel()).isEqualTo(channel);
            Map<String, Object> data = m.getDataAsMap();
            assertThat(data).containsEntry("text", "hello from cometd");
            assertThat(((Number) data.get("n")).intValue()).isEqualTo(42);
        } finally {
            subscriber.disconnect(5_000);
            publisher.disconnect(5_000);
        }
        assertThat(server.broker().engine().session(subscriber.getId())).isNull();
    }
}
