package io.bayeuxd.broker;

import io.bayeuxd.api.BayeuxMessage;
import io.bayeuxd.api.DisconnectReason;
import io.bayeuxd.api.SecurityPolicy;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.security.Principal;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@code --presence-channels}: joins and leaves published on {@code /presence/...} through the normal path. */
class JoinLeaveEventsTest {
    private final BrokerHarness h = new BrokerHarness(BrokerConfig.builder().presenceChannels(List.of("/chat/**")).build());
    private final List<String> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        h.close();
    }

    private LocalClient watch() {
        LocalClient watcher = h.broker.newLocalClient(GlobalEventExecutor.INSTANCE, h.decoder);
        watcher.subscribe("/presence/**", (Message m) -> events.add(m.channel() + " " + m.data()));
        return watcher;
    }

    private static String event(String action, String channel, String clientId) {
        return "/presence" + channel + " {\"action\":\"" + action + "\",\"channel\":\"" + channel + "\",\"clientId\":\""
                + clientId + "\",\"user\":null}";
    }

    @Test
    void joinsAndLeavesOfMatchingChannelsArePublishedInOrder() {
        try (LocalClient ignored = watch()) {
            String a = h.subscriber("/chat/a");
            h.subscribe(a, "/elsewhere");
            h.subscribe(a, "/chat/*");
            h.unsubscribe(a, "/chat/a");
            String b = h.subscriber("/chat/b/c");
            h.disconnect(b);
            String c = h.subscriber("/chat/a");
            h.broker.endSession(h.engine.session(c), DisconnectReason.API);
            String d = h.subscriber("/chat/d");
            h.clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(2 * h.broker.config().timeoutMs() + 1));
            h.broker.sweep();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events).containsExactly(
                    event("join", "/chat/a", a),
                    event("leave", "/chat/a", a),
                    event("join", "/chat/b/c", b),
                    event("leave", "/chat/b/c", b),
                    event("join", "/chat/a", c),
                    event("leave", "/chat/a", c),
                    event("join", "/chat/d", d),
                    event("leave", "/chat/d", d)));
        }
    }

    @Test
    void theEventCarriesTheSessionsUser() {
        h.broker.securityPolicy(new SecurityPolicy() {
            @Override
            public HandshakeDecision canHandshake(BayeuxMessage handshake, io.bayeuxd.api.ExtensionContext context) {
                return HandshakeDecision.allow(new Principal("alice", Set.of()));
            }
        });
        try (LocalClient ignored = watch()) {
            String a = h.subscriber("/chat/a");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events).containsExactly(
                    "/presence/chat/a {\"action\":\"join\",\"channel\":\"/chat/a\",\"clientId\":\"" + a + "\",\"user\":\"alice\"}"));
        }
    }

    @Test
    void theEventsOwnChannelsAndSystemChannelsCannotBeGiven() {
        for (String bad : List.of("/presence/**", "/presence", "/meta/*", "/service/x", "not-a-channel")) {
            assertThatThrownBy(() -> BrokerConfig.builder().presenceChannels(List.of(bad)).build())
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(BrokerConfig.builder().presenceChannels(List.of("/**", "/room")).build().presenceChannels())
                .containsExactly("/**", "/room");
    }

    @Test
    void withEverythingAnnouncedTheEventsChannelsAreNot() {
        h.close();
        BrokerHarness all = new BrokerHarness(BrokerConfig.builder().presenceChannels(List.of("/**")).build());
        try (LocalClient watcher = all.broker.newLocalClient(GlobalEventExecutor.INSTANCE, all.decoder)) {
            watcher.subscribe("/presence/**", (Message m) -> events.add(m.channel()));
            String a = all.subscriber("/presence/room");
            all.subscribe(a, "/room");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events).containsExactly("/presence/room"));
        } finally {
            all.close();
        }
    }
}
