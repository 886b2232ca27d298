package io.bayeuxd.interop;

import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.broker.LocalClient;
import io.bayeuxd.protocol.JsonValue;
import io.bayeuxd.server.BrokerServer;
import io.bayeuxd.server.ServerConfig;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;
import org.cometd.bayeux.Message;
import org.cometd.client.BayeuxClient;
import org.cometd.client.ext.AckExtension;
import org.cometd.client.http.jetty.JettyHttpClientTransport;
import org.cometd.client.transport.ClientTransport;
import org.cometd.client.websocket.jakarta.WebSocketTransport;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.component.LifeCycle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The CometD 9 Java client with its {@link AckExtension}, reaching the broker through a proxy that the
 * test cuts several times while a numbered sequence is published (every other cut first throws away the
 * broker's next response, so a batch is certainly lost): every message arrives, first arrivals in order,
 * within one session, over WebSocket and over long-polling.
 *
 * <p>Duplicates: the client acknowledges the latest batch it received, and the broker sends again what
 * it kept only when the acknowledgement it sees is older than its latest batch. With one connect
 * outstanding that happens only for the batch in flight when a connection is cut (answered into a
 * connection the client had already given up, or received after the broker saw an older
 * acknowledgement), so each cut can duplicate at most one batch: {@link #MAX_PER_BATCH} messages.
 */
class AcknowledgedCometdClientTest {
    private static final Logger log = LoggerFactory.getLogger(AcknowledgedCometdClientTest.class);
    private static final int TOTAL = 500;
    private static final int CUTS = 5;
    private static final int MAX_PER_BATCH = 20;
    private static final String CHANNEL = "/ack/sequence";

    private BrokerServer server;
    private CuttingProxy proxy;
    private HttpClient httpClient;
    private WebSocketContainer wsContainer;

    @BeforeEach
    void start() throws Exception {
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0)
                .broker(BrokerConfig.builder().timeoutMs(3_000).maxMessagesPerFrame(MAX_PER_BATCH).build()).build()).start();
        proxy = new CuttingProxy(server.port());
        httpClient = new HttpClient();
        httpClient.start();
        wsContainer = ContainerProvider.getWebSocketContainer();
    }

    @AfterEach
    void stop() throws Exception {
        LifeCycle.stop(wsContainer);
        httpClient.stop();
        proxy.close();
        server.close();
    }

    private ClientTransport transport(String name) {
        return name.equals("websocket") ? new WebSocketTransport(null, null, wsContainer) : new JettyHttpClientTransport(null, httpClient);
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "long-polling"})
    void everyMessageArrivesInOrderAcrossCutConnections(String transportName) throws Exception {
        BayeuxClient subscriber = new BayeuxClient("http://127.0.0.1:" + proxy.port() + "/", transport(transportName));
        subscriber.setBackOffStrategy(new BayeuxClient.BackOffStrategy.Constant(100));
        subscriber.addExtension(new AckExtension());
        Queue<Integer> received = new ConcurrentLinkedQueue<>();
        LocalClient publisher = server.newLocalClient();
        Thread publishing = null;
        try {
            subscriber.handshake();
            assertThat(subscriber.waitFor(10_000, BayeuxClient.State.CONNECTED)).isTrue();
            String clientId = subscriber.getId();
            assertThat(server.broker().engine().session(clientId).acknowledgesBatches()).isTrue();
            CompletableFuture<Message> subscribed = new CompletableFuture<>();
            subscriber.getChannel(CHANNEL).subscribe((ch, m) -> received.add(((Number) m.getDataAsMap().get("n")).intValue()),
                    subscribed::complete);
            assertThat(subscribed.get(10, TimeUnit.SECONDS).isSuccessful()).isTrue();

            publishing = new Thread(() -> {
                for (int i = 0; i < TOTAL; i++) {
                    publisher.publish(CHANNEL, JsonValue.parse("{\"n\":" + i + "}"));
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(3));   // pacing, so that cuts fall mid-stream
                }
            }, "ack-publisher");
            publishing.start();
            for (int cut = 1; cut <= CUTS; cut++) {
                int threshold = cut * TOTAL / (CUTS + 1);
                await("first arrivals past " + threshold).atMost(Duration.ofSeconds(30)).until(() -> distinct(received) >= threshold);
                if (cut % 2 == 0) {
                    proxy.cut();
                } else {
                    proxy.loseNextResponseAndCut().get(30, TimeUnit.SECONDS);
                }
            }
            Thread p = publishing;
            await("the publisher done").atMost(Duration.ofSeconds(30)).until(() -> !p.isAlive());
            await("every message").atMost(Duration.ofSeconds(60)).until(() -> distinct(received) == TOTAL);

            List<Integer> firstArrivals = new ArrayList<>();
            Set<Integer> seen = new HashSet<>();
            for (int n : received) {
                if (seen.add(n)) {
                    firstArrivals.add(n);
                }
            }
            assertThat(firstArrivals).containsExactlyElementsOf(IntStream.range(0, TOTAL).boxed().toList());
            int duplicates = received.size() - TOTAL;
            log.info("{}: {} messages across {} cuts, {} duplicates, {} sent again by the broker", transportName, TOTAL, CUTS,
                    duplicates, server.broker().resentMessages());
            assertThat(duplicates).isLessThanOrEqualTo(CUTS * MAX_PER_BATCH);
            // The publisher was mid-stream at each lost response, so some batch was lost and sent again.
            assertThat(server.broker().resentMessages()).isPositive();
            assertThat(subscriber.getId()).as("one session throughout").isEqualTo(clientId);
        } finally {
            if (publishing != null) {
                publishing.join(10_000);
            }
            publisher.close();
            subscriber.disconnect(5_000);
        }
    }

    private static int distinct(Queue<Integer> received) {
        return new HashSet<>(received).size();
    }
}
