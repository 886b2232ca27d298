package io.bayeuxd.bench.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriberSessionTest {

    private final SessionHarness h = new SessionHarness(SessionHarness.config());
    private final SubscriberSession session = new SubscriberSession(h.run, h.loop, 1);

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void handshakesOnceTheLinkIsUpThenSubscribesThenConnects() {
        session.start();
        FakeLink link = h.link(0);
        assertThat(link.sent).isEmpty();

        link.comeUp();
        JsonNode handshake = link.last();
        assertThat(handshake.get("channel").asText()).isEqualTo("/meta/handshake");
        assertThat(handshake.get("version").asText()).isEqualTo("1.0");

        link.receive("[{\"channel\":\"/meta/handshake\",\"successful\":true,\"clientId\":\"c1\",\"advice\":{\"interval\":0}}]");
        JsonNode subscribe = link.last();
        assertThat(subscribe.get("channel").asText()).isEqualTo("/meta/subscribe");
        assertThat(subscribe.get("subscription").asText()).isEqualTo("/bench/1");
        assertThat(subscribe.get("clientId").asText()).isEqualTo("c1");
        assertThat(link.sentOn("/meta/connect")).isEmpty();

        link.receive("[{\"channel\":\"/meta/subscribe\",\"successful\":true,\"subscription\":\"/bench/1\"}]");
        assertThat(session.isSubscribed()).isTrue();
        assertThat(h.stats.subscribersOnChannel.get(1)).isEqualTo(1);
        assertThat(h.stats.subscribedClients.get()).isEqualTo(1);
        assertThat(link.last().get("channel").asText()).isEqualTo("/meta/connect");
        assertThat(link.last().get("connectionType").asText()).isEqualTo("websocket");
        assertThat(h.links).hasSize(1);
    }

    @Test
    void reissuesTheConnectAfterEachReplyAndKeepsOnlyOneOutstanding() {
        FakeLink link = subscribed();
        int connects = link.sentOn("/meta/connect").size();

        link.receive("[{\"channel\":\"/meta/connect\",\"successful\":true}]");
        assertThat(link.sentOn("/meta/connect")).hasSize(connects + 1);

        // Deliveries pushed between connect replies do not start a second connect loop.
        link.receive("[{\"channel\":\"/bench/1\",\"data\":{\"ts\":1,\"seq\":0}}]");
        assertThat(link.sentOn("/meta/connect")).hasSize(connects + 1);
    }

    @Test
    void followsTheAdvisedIntervalBeforeReconnecting() {
        FakeLink link = subscribed();
        int connects = link.sentOn("/meta/connect").size();

        link.receive("[{\"channel\":\"/meta/connect\",\"successful\":true,\"advice\":{\"interval\":500}}]");
        assertThat(link.sentOn("/meta/connect")).hasSize(connects);

        h.advanceMs(499);
        assertThat(link.sentOn("/meta/connect")).hasSize(connects);
        h.advanceMs(1);
        assertThat(link.sentOn("/meta/connect")).hasSize(connects + 1);
    }

    @Test
    void recordsLatencyOfDeliveriesPublishedInsideTheMeasurementWindow() {
        FakeLink link = subscribed();
        long publishStart = h.clock.nowNs;
        h.timeline.schedule(publishStart, 1_000_000_000L, 10_000_000_000L);
        long warmupTs = h.timeline.timestampOf(publishStart + 500_000_000L);
        long measuredTs = h.timeline.timestampOf(publishStart + 2_000_000_000L);

        h.clock.nowNs = publishStart + 2_003_000_000L; // 3 ms after the measured publish
        link.receive("[{\"channel\":\"/bench/1\",\"data\":{\"ts\":" + warmupTs + ",\"seq\":1}},"
                + "{\"channel\":\"/bench/1\",\"data\":{\"ts\":" + measuredTs + ",\"seq\":2,\"pad\":\"xx\"}},"
                + "{\"channel\":\"/bench/1\",\"data\":\"not ours\"}]");

        assertThat(h.stats.deliveredAll.sum()).isEqualTo(2);
        assertThat(h.stats.deliveredMeasured.sum()).isEqualTo(1);
        assertThat(h.stats.foreignMessages.sum()).isEqualTo(1);
        Histogram latencies = h.latencies();
        assertThat(latencies.getTotalCount()).isEqualTo(1);
        assertThat(latencies.getMaxValue()).isBetween(2_990L, 3_010L); // microseconds
    }

    @Test
    void latencyIsArrivalMinusPublishTime() {
        FakeLink link = subscribed();
        h.timeline.schedule(h.clock.nowNs, 0, 10_000_000_000L);
        long ts = h.timeline.timestampOf(h.clock.nowNs);

        h.clock.nowNs += 7_250_000L;
        link.receive("[{\"channel\":\"/bench/1\",\"data\":{\"ts\":" + ts + ",\"seq\":1}}]");

        assertThat(h.latencies().getValueAtPercentile(100)).isBetween(7_240L, 7_260L); // microseconds
    }

    @Test
    void rehandshakesAndResubscribesWhenTheServerForgetsTheClient() {
        FakeLink link = subscribed();

        link.receive("[{\"channel\":\"/meta/connect\",\"successful\":false,\"error\":\"402::Unknown client\","
                + "\"advice\":{\"reconnect\":\"handshake\",\"interval\":0}}]");

        assertThat(session.isSubscribed()).isFalse();
        assertThat(h.stats.subscribersOnChannel.get(1)).isZero();
        assertThat(h.stats.rehandshakes.sum()).isEqualTo(1);
        assertThat(link.last().get("channel").asText()).isEqualTo("/meta/handshake");

        link.receive("[{\"channel\":\"/meta/handshake\",\"successful\":true,\"clientId\":\"c2\"}]");
        assertThat(link.last().get("subscription").asText()).isEqualTo("/bench/1");
        assertThat(link.last().get("clientId").asText()).isEqualTo("c2");
        link.receive("[{\"channel\":\"/meta/subscribe\",\"successful\":true}]");
        assertThat(h.stats.subscribersOnChannel.get(1)).isEqualTo(1);
        assertThat(link.last().get("channel").asText()).isEqualTo("/meta/connect");
        assertThat(link.last().get("clientId").asText()).isEqualTo("c2");
        assertThat(h.stats.errors(ErrorKind.CONNECT)).isEqualTo(1);
    }

    @Test
    void aBare401ErrorAlsoMeansHandshakeAgain() {
        FakeLink link = subscribed();

        link.receive("[{\"channel\":\"/meta/connect\",\"successful\":false,\"error\":\"401::Unknown client\"}]");

        assertThat(link.last().get("channel").asText()).isEqualTo("/meta/handshake");
    }

    @Test
    void retriesARefusedConnectAfterADelayWhenAdvisedToRetry() {
        FakeLink link = subscribed();
        int connects = link.sentOn("/meta/connect").size();

        link.receive("[{\"channel\":\"/meta/connect\",\"successful\":false,\"error\":\"500::busy\",\"advice\":{\"reconnect\":\"retry\"}}]");
        assertThat(link.sentOn("/meta/connect")).hasSize(connects);

        h.advanceMs(BayeuxSession.RETRY_DELAY_MS);
        assertThat(link.sentOn("/meta/connect")).hasSize(connects + 1);
    }

    @Test
    void givesUpWhenAdvisedNotToReconnect() {
        FakeLink link = subscribed();

        link.receive("[{\"channel\":\"/meta/connect\",\"successful\":false,\"advice\":{\"reconnect\":\"none\"}}]");

        assertThat(session.state()).isEqualTo(BayeuxSession.State.CLOSED);
        assertThat(h.stats.deadSessions.get()).isEqualTo(1);
        assertThat(h.stats.subscribersOnChannel.get(1)).isZero();
        assertThat(link.closed).isTrue();
    }

    @Test
    void reconnectsOnANewLinkAfterTheServerDropsTheConnection() {
        FakeLink first = subscribed();

        first.dropByServer();
        assertThat(h.stats.errors(ErrorKind.LINK)).isEqualTo(1);
        assertThat(h.stats.subscribersOnChannel.get(1)).isZero();
        assertThat(h.links).hasSize(1);

        h.advanceMs(BayeuxSession.MAX_RETRY_DELAY_MS);
        assertThat(h.links).hasSize(2);
        FakeLink second = h.link(1);
        second.comeUp();
        assertThat(second.last().get("channel").asText()).isEqualTo("/meta/handshake");
        // Late events from the dropped link are ignored.
        first.receive("[{\"channel\":\"/meta/handshake\",\"successful\":true,\"clientId\":\"stale\"}]");
        assertThat(second.sentOn("/meta/subscribe")).isEmpty();
    }

    @Test
    void stopsRetryingAfterTooManyFailures() {
        session.start();
        for (int i = 0; i <= BayeuxSession.MAX_FAILURES; i++) {
            h.link(h.links.size() - 1).dropByServer();
            h.advanceMs(BayeuxSession.MAX_RETRY_DELAY_MS);
        }

        assertThat(session.state()).isEqualTo(BayeuxSession.State.CLOSED);
        assertThat(h.stats.deadSessions.get()).isEqualTo(1);
        assertThat(h.links).hasSize(BayeuxSession.MAX_FAILURES + 1);
    }

    @Test
    void aRefusedHandshakeIsRetriedAfterADelay() {
        session.start();
        FakeLink link = h.link(0);
        link.comeUp();

        link.receive("[{\"channel\":\"/meta/handshake\",\"successful\":false,\"error\":\"403::denied\"}]");
        assertThat(link.sentOn("/meta/handshake")).hasSize(1);
        h.advanceMs(BayeuxSession.MAX_RETRY_DELAY_MS);
        assertThat(link.sentOn("/meta/handshake")).hasSize(2);
        assertThat(h.stats.errors(ErrorKind.HANDSHAKE)).isEqualTo(1);
    }

    @Test
    void closeDisconnectsPolitelyOverWebSocketAndStopsTheConnectLoop() {
        FakeLink link = subscribed();

        session.close();

        assertThat(link.last().get("channel").asText()).isEqualTo("/meta/disconnect");
        assertThat(link.closed).isTrue();
        assertThat(h.stats.subscribersOnChannel.get(1)).isZero();
        assertThat(h.stats.deadSessions.get()).isZero();
    }

    @Test
    void countsMalformedFrames() {
        FakeLink link = subscribed();

        link.receive("<html>502 Bad Gateway</html>");

        assertThat(h.stats.errors(ErrorKind.MALFORMED_FRAME)).isEqualTo(1);
        assertThat(h.stats.lastErrorDetail(ErrorKind.MALFORMED_FRAME)).contains("502");
    }

    /** Runs a session through handshake and subscribe; returns its link. */
    private FakeLink subscribed() {
        session.start();
        FakeLink link = h.link(0);
        link.comeUp();
        link.receive("[{\"channel\":\"/meta/handshake\",\"successful\":true,\"clientId\":\"c1\"}]");
        link.receive("[{\"channel\":\"/meta/subscribe\",\"successful\":true}]");
        assertThat(session.isSubscribed()).isTrue();
        return link;
    }
}
