package io.bayeuxd.broker;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Each protocol limit: its error, that it counts, and that the client is fine again afterwards. */
class LimitsTest {
    @Test
    void channelsOverTheLengthOrDepthLimitAreInvalid() {
        try (BrokerHarness h = new BrokerHarness(BrokerConfig.builder().maxChannelLength(10).maxChannelDepth(2).build())) {
            String id = h.handshake();
            assertThat(h.subscribe(id, "/a/b").get("successful").asBoolean()).isTrue();
            assertThat(h.subscribe(id, "/a/b/c").get("error").asText()).isEqualTo("405:/a/b/c:Invalid channel");
            assertThat(h.subscribe(id, "/abcdefghij").get("error").asText()).isEqualTo("405:/abcdefghij:Invalid channel");
            assertThat(h.publish(id, "/a/b/c", "1").get("error").asText()).isEqualTo("405:/a/b/c:Invalid channel");
            assertThat(h.broker.limitedRequests()).isEqualTo(3);
        }
    }

    @Test
    void subscriptionsPerClientAreCapped() {
        try (BrokerHarness h = new BrokerHarness(BrokerConfig.builder().maxSubscriptionsPerSession(2).build())) {
            String id = h.subscriber("/a");
            h.subscribe(id, "/b");
            assertThat(h.subscribe(id, "/c").get("error").asText()).isEqualTo("403:/c:Too many subscriptions");
            assertThat(h.subscribe(id, "/a").get("successful").asBoolean()).isTrue();
            h.unsubscribe(id, "/b");
            assertThat(h.subscribe(id, "/c").get("successful").asBoolean()).isTrue();
        }
    }

    @Test
    void publishesPerSessionAreRateLimited() {
        try (BrokerHarness h = new BrokerHarness(BrokerConfig.builder().publishesPerSecond(2).publishBurst(2).build())) {
            String id = h.handshake();
            assertThat(h.publish(id, "/x", "1").get("successful").asBoolean()).isTrue();
            assertThat(h.publish(id, "/x", "2").get("successful").asBoolean()).isTrue();
            assertThat(h.publish(id, "/x", "3").get("error").asText()).isEqualTo("429:/x:Too many publishes");
            String other = h.handshake();
            assertThat(h.publish(other, "/x", "4").get("successful").asBoolean()).as("limits are per session").isTrue();
            h.clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
            assertThat(h.publish(id, "/x", "5").get("successful").asBoolean()).isTrue();
        }
    }

    @Test
    void handshakesPerAddressAreRateLimited() {
        try (BrokerHarness h = new BrokerHarness(BrokerConfig.builder().handshakesPerSecondPerAddress(1).build())) {
            assertThat(h.handshake()).hasSize(31);
            JsonNode limited = h.sendOne("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}");
            assertThat(limited.get("error").asText()).isEqualTo("429::Too many handshakes");
            assertThat(limited.get("advice").get("reconnect").asText()).isEqualTo("handshake");
            assertThat(limited.get("advice").get("interval").asLong()).isEqualTo(1000);
            h.clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
            h.broker.sweep();
            assertThat(h.handshake()).hasSize(31);
        }
    }

    @Test
    void disconnectPolicyEndsSlowConsumersWhoThenRehandshake() {
        try (BrokerHarness h = new BrokerHarness(BrokerConfig.builder().outboxCapacity(4)
                .slowConsumerPolicy(BrokerConfig.SlowConsumerPolicy.DISCONNECT).build())) {
            String slow = h.subscriber("/firehose");
            for (int i = 0; i < 5; i++) {
                assertThat(h.publish(null, "/firehose", Integer.toString(i)).get("successful").asBoolean()).isTrue();
            }
            // The fan-out only marks the session (it must not take the index's lock); the sweep ends it.
            assertThat(h.engine.session(slow)).isNotNull();
            assertThat(h.publish(null, "/firehose", "5").get("successful").asBoolean()).isTrue();
            assertThat(h.engine.droppedMessages()).isEqualTo(2);
            assertThat(h.broker.disconnectedSlowConsumers()).isZero();
            h.broker.sweep();
            assertThat(h.engine.session(slow)).isNull();
            assertThat(h.broker.disconnectedSlowConsumers()).isEqualTo(1);
            h.broker.sweep();
            assertThat(h.broker.disconnectedSlowConsumers()).isEqualTo(1);
            JsonNode connect = h.sendOne("{\"channel\":\"/meta/connect\",\"clientId\":\"" + slow + "\",\"connectionType\":\"long-polling\"}");
            assertThat(connect.get("error").asText()).isEqualTo("401:" + slow + ":Unknown client");
            assertThat(connect.get("advice").get("reconnect").asText()).isEqualTo("handshake");
        }
    }
}
