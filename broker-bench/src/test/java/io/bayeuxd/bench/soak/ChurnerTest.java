package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.FakeLink;
import io.bayeuxd.bench.loadgen.TransportKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChurnerTest {

    private final SoakHarness h = new SoakHarness(SoakHarness.config());
    private int gone;

    @AfterEach
    void tearDown() {
        h.close();
    }

    private Churner begin(TransportKind transport, boolean polite) {
        Churner churner = new Churner(h.soak, h.loop, transport, 1, polite, () -> gone++);
        churner.begin();
        FakeLink link = h.lastLink();
        link.comeUp();
        link.receive("[{\"channel\":\"/meta/handshake\",\"successful\":true,\"clientId\":\"c1\",\"advice\":{\"interval\":0}}]");
        link.receive("[{\"channel\":\"/meta/subscribe\",\"successful\":true}]");
        return churner;
    }

    private static String delivery(int seq) {
        return "{\"channel\":\"/bench/1\",\"data\":{\"ts\":1,\"seq\":" + seq + "}}";
    }

    @Test
    void aPoliteWebSocketClientDisconnectsOnceItHasReceivedItsMessages() {
        begin(TransportKind.WEBSOCKET, true);
        FakeLink link = h.lastLink();
        assertThat(link.lastChannel()).isEqualTo("/meta/connect");

        link.receive("[" + delivery(0) + "]");
        assertThat(link.sentOn("/meta/disconnect")).isEmpty();
        link.receive("[" + delivery(1) + "]");
        assertThat(link.lastChannel()).isEqualTo("/meta/disconnect");

        link.receive("[{\"channel\":\"/meta/disconnect\",\"successful\":true}]");
        assertThat(link.closed).isTrue();
        assertThat(gone).isEqualTo(1);
        assertThat(h.stats.churnStarted.sum()).isEqualTo(1);
        assertThat(h.stats.churnAlive.get()).isZero();
        assertThat(h.stats.churnLeftPolitely.sum()).isEqualTo(1);
        assertThat(h.stats.churnWithDelivery.sum()).isEqualTo(1);
        assertThat(h.stats.churnDeliveries.sum()).isEqualTo(2);
        assertThat(h.stats.churnFailed.sum()).isZero();
        assertThat(h.ledger.deliveredSoFar()).as("churned deliveries are not owed").isZero();
    }

    @Test
    void anAbruptClientDropsItsConnectionWithoutDisconnecting() {
        begin(TransportKind.WEBSOCKET, false);
        FakeLink link = h.lastLink();

        link.receive("[" + delivery(0) + "," + delivery(1) + "]");

        assertThat(link.closed).isTrue();
        assertThat(link.sentOn("/meta/disconnect")).isEmpty();
        assertThat(h.stats.churnLeftAbruptly.sum()).isEqualTo(1);
        assertThat(h.stats.churnFailed.sum()).isZero();
        assertThat(gone).isEqualTo(1);
    }

    @Test
    void aClientThatReceivesNothingLeavesAtTheEndOfItsLifetime() {
        begin(TransportKind.WEBSOCKET, true);
        FakeLink link = h.lastLink();

        h.advanceMs(h.config.churnLifetimeMs() - 1);
        assertThat(link.sentOn("/meta/disconnect")).isEmpty();
        h.advanceMs(1);
        assertThat(link.lastChannel()).isEqualTo("/meta/disconnect");
        h.advanceMs(h.config.brokerTimeoutMs() + Churner.EXTRA_GRACE_MS);
        assertThat(link.closed).as("no reply: closed after the grace").isTrue();
        assertThat(gone).isEqualTo(1);
    }

    @Test
    void aPoliteLongPollingClientWaitsForItsHeldConnectBeforeDisconnecting() {
        begin(TransportKind.LONG_POLLING, true);
        FakeLink link = h.lastLink();
        assertThat(link.transport).isEqualTo(TransportKind.LONG_POLLING);
        int connects = link.sentOn("/meta/connect").size();

        // The connect reply comes first in the frame, the deliveries after it.
        link.receive("[{\"channel\":\"/meta/connect\",\"successful\":true}," + delivery(0) + "," + delivery(1) + "]");

        assertThat(link.sentOn("/meta/connect")).hasSize(connects);
        assertThat(link.lastChannel()).isEqualTo("/meta/disconnect");
        link.receive("[{\"channel\":\"/meta/disconnect\",\"successful\":true}]");
        assertThat(link.closed).isTrue();
        assertThat(h.stats.churnLongPolling.sum()).isEqualTo(1);
        assertThat(h.stats.churnFailed.sum()).isZero();
    }

    @Test
    void aRefusedSubscribeIsAChurnFailureAndEndsTheClient() {
        Churner churner = new Churner(h.soak, h.loop, TransportKind.WEBSOCKET, 1, true, () -> gone++);
        churner.begin();
        FakeLink link = h.lastLink();
        link.comeUp();
        link.receive("[{\"channel\":\"/meta/handshake\",\"successful\":true,\"clientId\":\"c1\"}]");
        link.receive("[{\"channel\":\"/meta/subscribe\",\"successful\":false,\"error\":\"403:/bench/1:Forbidden\"}]");

        assertThat(h.stats.churnFailed.sum()).isEqualTo(1);
        assertThat(h.stats.lastChurnFailure.get()).contains("403");
        assertThat(link.closed).isTrue();
        assertThat(gone).isEqualTo(1);
        assertThat(h.stats.churnAlive.get()).isZero();
    }

    @Test
    void abortDropsTheClientWhateverItWasDoing() {
        Churner churner = begin(TransportKind.LONG_POLLING, true);

        churner.abort();

        assertThat(h.lastLink().closed).isTrue();
        assertThat(h.stats.churnFailed.sum()).isZero();
        assertThat(gone).isEqualTo(1);
        h.advanceMs(60_000);
        assertThat(gone).as("the timers were cancelled").isEqualTo(1);
    }
}
