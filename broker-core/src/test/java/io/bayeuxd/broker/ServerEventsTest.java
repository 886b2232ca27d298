package io.bayeuxd.broker;

import io.bayeuxd.api.ConnectRequest;
import io.bayeuxd.api.DisconnectReason;
import io.bayeuxd.api.ServerListener;
import io.bayeuxd.api.ServerSession;
import io.bayeuxd.protocol.JsonValue;
import io.bayeuxd.session.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Server events through the broker's handlers, and the queue that keeps listeners off the event loops. */
class ServerEventsTest {
    private final BrokerHarness h = new BrokerHarness(BrokerConfig.builder().outboxCapacity(4)
            .slowConsumerPolicy(BrokerConfig.SlowConsumerPolicy.DISCONNECT).build());
    private final Recorder recorder = new Recorder();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void aSessionsEventsComeInOrder() {
        h.broker.addListener(recorder);
        String id = h.handshake();
        h.connect(id);
        h.connect(id);
        h.subscribe(id, "/a");
        h.subscribe(id, "/a");
        h.publish(id, "/a", "{\"n\":1}");
        h.publish(null, "/a", "2");
        h.unsubscribe(id, "/a");
        h.unsubscribe(id, "/a");
        h.subscribe(id, "/b/**");
        h.disconnect(id);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(recorder.events).containsExactly(
                "handshake " + id,
                "connect " + id + " long-polling null",
                "subscribe " + id + " /a",
                "publish " + id + " /a {\"n\":1}",
                "publish null /a 2",
                "unsubscribe " + id + " /a",
                "subscribe " + id + " /b/**",
                "unsubscribe " + id + " /b/**",
                "disconnect " + id + " CLIENT"));
    }

    @Test
    void aChangeOfConnectionTypeIsAConnectEvent() {
        h.broker.addListener(recorder);
        String id = h.handshake();
        h.connect(id);
        h.sendOne("{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"callback-polling\"}");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(recorder.events).containsExactly(
                "handshake " + id, "connect " + id + " long-polling null", "connect " + id + " callback-polling long-polling"));
    }

    @Test
    void aConnectEventCarriesTheConnectsAdviceAndExt() {
        List<ConnectRequest> connects = new CopyOnWriteArrayList<>();
        // The Recorder overrides the older three-argument onConnect: both kinds are called.
        h.broker.addListener(recorder);
        h.broker.addListener(new ServerListener() {
            @Override
            public void onConnect(ServerSession session, ConnectRequest connect) {
                connects.add(connect);
            }
        });
        String id = h.handshake();
        h.process("{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"long-polling\","
                + "\"advice\":{\"timeout\":0},\"ext\":{\"device\":\"phone\"}}");
        h.sendOne("{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"callback-polling\"}");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(connects).hasSize(2));
        ConnectRequest first = connects.get(0);
        assertThat(first.connectionType()).isEqualTo("long-polling");
        assertThat(first.previousConnectionType()).isNull();
        assertThat(first.advice().timeoutMs()).isZero();
        assertThat(first.ext().tree().get("device").asText()).isEqualTo("phone");
        ConnectRequest second = connects.get(1);
        assertThat(second.previousConnectionType()).isEqualTo("long-polling");
        assertThat(second.advice()).isNull();
        assertThat(second.ext()).isNull();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(recorder.events).containsExactly(
                "handshake " + id, "connect " + id + " long-polling null", "connect " + id + " callback-polling long-polling"));
    }

    @Test
    void sessionsTheServerEndsSayWhy() {
        h.broker.addListener(recorder);
        String slow = h.subscriber("/firehose");
        for (int i = 0; i < 5; i++) {
            h.publish(null, "/firehose", Integer.toString(i));
        }
        String kicked = h.handshake();
        String drained = h.handshake();
        h.broker.sweep();
        assertThat(h.broker.endSession(h.engine.session(kicked), DisconnectReason.API)).isTrue();
        h.clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(2 * h.broker.config().timeoutMs() + 1));
        String expired = h.handshake();
        h.clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(2 * h.broker.config().timeoutMs() + 1));
        h.connect(drained);
        h.broker.sweep();
        h.broker.announceShutdown();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(recorder.events.stream()
                .filter(e -> e.startsWith("disconnect")).toList()).containsExactly(
                "disconnect " + slow + " SLOW_CONSUMER",
                "disconnect " + kicked + " API",
                "disconnect " + expired + " EXPIRED",
                "disconnect " + drained + " DRAIN"));
        assertThat(recorder.events).contains("unsubscribe " + slow + " /firehose");
    }

    @Test
    void aThrowingListenerIsCountedAndTheOthersStillHearEverything() {
        h.broker.addListener(new ServerListener() {
            @Override
            public void onHandshake(ServerSession session) {
                throw new IllegalStateException("listener bug");
            }
        });
        h.broker.addListener(recorder);
        String a = h.handshake();
        String b = h.handshake();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(recorder.events).containsExactly("handshake " + a, "handshake " + b));
        assertThat(h.broker.listenerFailures()).isEqualTo(2);
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfWaiting() throws Exception {
        ServerEvents events = new ServerEvents(4);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch first = new CountDownLatch(1);
        List<String> heard = new CopyOnWriteArrayList<>();
        events.add(new ServerListener() {
            @Override
            public void onSubscribe(ServerSession session, String channel) {
                first.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                heard.add(channel);
            }
        });
        Session session = new Session("c1", false, 4, 0);
        events.subscribe(session, "/0");
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 10; i++) {
            events.subscribe(session, "/" + i);
        }
        // The listener holds one; four wait; six found the queue full and were dropped, without waiting.
        assertThat(events.dropped()).isEqualTo(6);
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(heard).containsExactly("/0", "/1", "/2", "/3", "/4"));
        events.close(2_000);
    }

    /** Writes each event as one line. */
    static final class Recorder implements ServerListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onHandshake(ServerSession session) {
            events.add("handshake " + session.clientId());
        }

        @Override
        public void onConnect(ServerSession session, String connectionType, String previousConnectionType) {
            events.add("connect " + session.clientId() + " " + connectionType + " " + previousConnectionType);
        }

        @Override
        public void onSubscribe(ServerSession session, String channel) {
            events.add("subscribe " + session.clientId() + " " + channel);
        }

        @Override
        public void onUnsubscribe(ServerSession session, String channel) {
            events.add("unsubscribe " + session.clientId() + " " + channel);
        }

        @Override
        public void onPublish(ServerSession session, String channel, JsonValue data) {
            events.add("publish " + (session == null ? null : session.clientId()) + " " + channel + " " + data);
        }

        @Override
        public void onDisconnect(ServerSession session, DisconnectReason reason) {
            events.add("disconnect " + session.clientId() + " " + reason);
        }
    }
}
