package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.FakeLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WellBehavedSubscriberTest {

    private final SoakHarness h = new SoakHarness(SoakHarness.config());
    private final WellBehavedSubscriber sub = new WellBehavedSubscriber(h.soak, h.loop, 3, 1);

    @AfterEach
    void tearDown() {
        h.close();
    }

    private FakeLink subscribed() {
        h.ledger.assign(3, 1);
        sub.start();
        FakeLink link = h.lastLink();
        link.comeUp();
        link.receive("[{\"channel\":\"/meta/handshake\",\"successful\":true,\"clientId\":\"c1\",\"advice\":{\"interval\":0}}]");
        link.receive("[{\"channel\":\"/meta/subscribe\",\"successful\":true,\"subscription\":\"/bench/1\"}]");
        return link;
    }

    @Test
    void handshakesSubscribesToItsChannelThenKeepsAConnectOutstanding() {
        FakeLink link = subscribed();

        assertThat(link.sentOn("/meta/handshake")).hasSize(1);
        assertThat(link.sentOn("/meta/subscribe").get(0).get("subscription").asText()).isEqualTo("/bench/1");
        assertThat(link.lastChannel()).isEqualTo("/meta/connect");
        assertThat(sub.isSubscribed()).isTrue();
        assertThat(h.stats.subscribersSubscribed.get()).isEqualTo(1);
        assertThat(h.stats.wellBehavedSessions.get()).isEqualTo(1);

        link.receive("[{\"channel\":\"/meta/connect\",\"successful\":true}]");
        assertThat(link.sentOn("/meta/connect")).hasSize(2);
    }

    @Test
    void recordsEachDeliveryBySequenceNumberInTheLedger() {
        FakeLink link = subscribed();
        h.ledger.published(1, 3);

        link.receive("[{\"channel\":\"/bench/1\",\"data\":{\"ts\":5,\"seq\":0,\"pad\":\"x\"}},"
                + "{\"channel\":\"/bench/1\",\"data\":{\"ts\":6,\"seq\":2}}]");
        link.receive("[{\"channel\":\"/bench/1\",\"data\":{\"ts\":7,\"seq\":2}}]");

        DeliveryLedger.Summary summary = h.ledger.summary();
        assertThat(summary.expected()).isEqualTo(3);
        assertThat(summary.delivered()).isEqualTo(2);
        assertThat(summary.lost()).isEqualTo(1);
        assertThat(summary.duplicates()).isEqualTo(1);
        assertThat(summary.examples()).singleElement().asString().contains("first #1");
    }

    @Test
    void aRefusedConnectCountsAsAFailureAndTheClientHandshakesAgain() {
        FakeLink link = subscribed();

        link.receive("[{\"channel\":\"/meta/connect\",\"successful\":false,\"error\":\"402::Unknown client\","
                + "\"advice\":{\"reconnect\":\"handshake\"}}]");

        assertThat(h.stats.wellBehavedFailures.sum()).isEqualTo(1);
        assertThat(h.stats.lastWellBehavedFailure.get()).contains("402");
        assertThat(sub.isSubscribed()).isFalse();
        assertThat(link.lastChannel()).isEqualTo("/meta/handshake");
        link.receive("[{\"channel\":\"/meta/handshake\",\"successful\":true,\"clientId\":\"c2\"}]");
        assertThat(link.last().get("clientId").asText()).isEqualTo("c2");
        assertThat(link.lastChannel()).isEqualTo("/meta/subscribe");
        assertThat(h.stats.wellBehavedSessions.get()).isEqualTo(1);
    }

    @Test
    void aDroppedConnectionIsAFailureAndTheClientReconnectsABoundedNumberOfTimes() {
        FakeLink link = subscribed();

        for (int i = 0; i < WellBehavedSubscriber.MAX_RECOVERIES; i++) {
            h.lastLink().dropByServer();
            h.advanceMs(WellBehavedSubscriber.RECOVERY_DELAY_MS);
        }
        assertThat(h.links).hasSize(1 + WellBehavedSubscriber.MAX_RECOVERIES);
        h.lastLink().dropByServer();
        h.advanceMs(10 * WellBehavedSubscriber.RECOVERY_DELAY_MS);

        assertThat(h.links).hasSize(1 + WellBehavedSubscriber.MAX_RECOVERIES);
        assertThat(h.stats.wellBehavedFailures.sum()).isEqualTo(WellBehavedSubscriber.MAX_RECOVERIES + 1);
        assertThat(link.closed).isTrue();
        assertThat(h.stats.wellBehavedSessions.get()).isZero();
        assertThat(h.stats.subscribersSubscribed.get()).isZero();
    }

    @Test
    void finishDisconnectsPolitelyAndClosesOnTheReply() {
        FakeLink link = subscribed();

        sub.finish(5_000);
        assertThat(link.lastChannel()).isEqualTo("/meta/disconnect");
        assertThat(link.closed).isFalse();

        link.receive("[{\"channel\":\"/meta/disconnect\",\"successful\":true}]");
        assertThat(link.closed).isTrue();
        assertThat(h.stats.wellBehavedFailures.sum()).isZero();
        assertThat(h.stats.wellBehavedSessions.get()).isZero();
        assertThat(h.stats.disconnectsAcked.sum()).isEqualTo(1);
    }

    @Test
    void finishClosesAfterTheGraceWhenNoReplyComes() {
        FakeLink link = subscribed();

        sub.finish(5_000);
        h.advanceMs(4_999);
        assertThat(link.closed).isFalse();
        h.advanceMs(1);
        assertThat(link.closed).isTrue();
        assertThat(h.stats.wellBehavedFailures.sum()).isZero();
    }
}
