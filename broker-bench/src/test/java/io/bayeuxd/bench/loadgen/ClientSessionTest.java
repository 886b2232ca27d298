package io.bayeuxd.bench.loadgen;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The link model and connect loop both tools share; their policies are tested with their sessions. */
class ClientSessionTest {

    private static final String HANDSHAKEN = "[{\"channel\":\"/meta/handshake\",\"successful\":true,\"clientId\":\"c1\",\"advice\":{\"interval\":0}}]";
    private static final String CONNECTED = "[{\"channel\":\"/meta/connect\",\"successful\":true}]";

    private final ClientHarness h = new ClientHarness();

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void aConnectReplyForTheReplacedClientIdDoesNotStartASecondConnectLoop() {
        Recording session = new Recording(TransportKind.WEBSOCKET, false);
        FakeLink link = handshaken(session);
        session.connect();
        assertThat(link.sentOn("/meta/connect")).hasSize(1);

        session.handshakeAgainNow();
        link.receive(HANDSHAKEN);
        session.connect();
        assertThat(link.sentOn("/meta/connect")).hasSize(2);

        link.receive(CONNECTED); // the reply to the connect sent under the old id
        assertThat(link.sentOn("/meta/connect")).as("the new connect is still outstanding").hasSize(2);
        link.receive(CONNECTED);
        assertThat(link.sentOn("/meta/connect")).hasSize(3);
    }

    @Test
    void aPoliteLeaveWaitsForTheDisconnectReplyOrTheGrace() {
        Recording acked = new Recording(TransportKind.WEBSOCKET, false);
        FakeLink first = handshaken(acked);
        acked.leave(true, 1_000);
        assertThat(first.lastChannel()).isEqualTo("/meta/disconnect");
        assertThat(acked.state()).isEqualTo(ClientSession.State.LEAVING);
        first.receive("[{\"channel\":\"/meta/disconnect\",\"successful\":true}]");
        assertThat(first.closed).isTrue();
        assertThat(acked.events).containsExactly("disconnect acked", "ended");

        Recording unanswered = new Recording(TransportKind.WEBSOCKET, false);
        FakeLink second = handshaken(unanswered);
        unanswered.leave(true, 1_000);
        h.advanceMs(999);
        assertThat(second.closed).isFalse();
        h.advanceMs(1);
        assertThat(second.closed).isTrue();
        assertThat(unanswered.state()).isEqualTo(ClientSession.State.CLOSED);
        assertThat(unanswered.events).containsExactly("ended");
    }

    @Test
    void overLongPollingPublishesGetTheirOwnLinkAndLosingEitherClosesBoth() {
        Recording session = new Recording(TransportKind.LONG_POLLING, true);
        session.start();
        assertThat(h.links).hasSize(2);
        h.link(0).comeUp();
        assertThat(h.link(0).sent).as("no handshake before both links are up").isEmpty();
        h.link(1).comeUp();
        assertThat(h.link(0).lastChannel()).isEqualTo("/meta/handshake");

        h.link(1).dropByServer();

        assertThat(h.link(0).closed).isTrue();
        assertThat(session.state()).isEqualTo(ClientSession.State.CLOSED);
        assertThat(session.events).containsExactly("lost: reset by peer", "ended");
        session.start();
        assertThat(h.links).as("a closed session may start again").hasSize(4);
    }

    private FakeLink handshaken(Recording session) {
        session.start();
        FakeLink link = h.lastLink();
        link.comeUp();
        link.receive(HANDSHAKEN);
        assertThat(session.isHandshaken()).isTrue();
        return link;
    }

    /** A session that records what happened to it. */
    private final class Recording extends ClientSession {
        final List<String> events = new ArrayList<>();

        Recording(TransportKind transport, boolean ownPublishLink) {
            super(h.loop, h.opener, h.clock, transport, 0, ownPublishLink);
        }

        void connect() {
            ensureConnecting();
        }

        void handshakeAgainNow() {
            handshakeAgain();
        }

        @Override
        protected void onHandshaken() {
        }

        @Override
        protected void onLinkLost(String reason) {
            events.add("lost: " + reason);
        }

        @Override
        protected void onHandshakeRefused(ServerMessage m) {
            events.add("handshake refused");
        }

        @Override
        protected void onConnectRefused(ServerMessage m) {
            events.add("connect refused");
        }

        @Override
        protected void onDisconnectAcked() {
            events.add("disconnect acked");
        }

        @Override
        protected void onEnded() {
            events.add("ended");
        }
    }
}
