package io.bayeuxd.broker;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.storage.StorageRules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** History with recovery and Webix storage channels, through the broker as a transport drives it. */
class StoredChannelsTest {
    private final BrokerHarness h = new BrokerHarness(BrokerConfig.builder()
            .storage(StorageRules.of(List.of("/chat/**=3/60", "/data=100"), List.of("/data", "/tiny"), 3, 4096, 1000))
            .build());

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void historyMessagesCarryAPositionAndEpoch() {
        String sub = h.subscriber("/chat/a");
        BrokerHarness.Collector c = h.collect(sub);
        String pub = h.handshake();
        h.publish(pub, "/chat/a", "{\"n\":1}");
        h.publish(pub, "/chat/a", "{\"n\":2}");
        List<JsonNode> got = c.drain();
        assertThat(got).extracting(m -> m.at("/ext/position").asLong()).containsExactly(1L, 2L);
        String epoch = got.get(0).at("/ext/epoch").asText();
        assertThat(epoch).isNotEmpty().isEqualTo(got.get(1).at("/ext/epoch").asText());
    }

    @Test
    void aPublishersOwnPositionIsReplacedAndItsOtherExtKept() {
        String sub = h.subscriber("/chat/a");
        BrokerHarness.Collector c = h.collect(sub);
        h.sendOne("{\"channel\":\"/chat/a\",\"data\":1,\"ext\":{\"position\":99,\"epoch\":\"forged\",\"tag\":\"x\"}}");
        JsonNode ext = c.drain().get(0).get("ext");
        assertThat(ext.get("position").asLong()).isEqualTo(1);
        assertThat(ext.get("epoch").asText()).isNotEqualTo("forged");
        assertThat(ext.get("tag").asText()).isEqualTo("x");
    }

    @Test
    void subscribeReplySaysWhereTheChannelIs() {
        String pub = h.handshake();
        h.publish(pub, "/chat/a", "1");
        h.publish(pub, "/chat/a", "2");
        JsonNode reply = h.subscribe(h.handshake(), "/chat/a");
        assertThat(reply.at("/ext/position").asLong()).isEqualTo(2);
        assertThat(reply.at("/ext/epoch").asText()).isNotEmpty();
        assertThat(reply.at("/ext/recovered").isMissingNode()).isTrue();
        assertThat(h.subscribe(h.handshake(), "/plain").has("ext")).isFalse();
    }

    @Test
    void recoveryHandsOverWhatWasMissedThenLiveTraffic() {
        String pub = h.handshake();
        h.publish(pub, "/chat/a", "1");
        String epoch = h.subscribe(h.handshake(), "/chat/a").at("/ext/epoch").asText();
        h.publish(pub, "/chat/a", "2");
        h.publish(pub, "/chat/a", "3");

        String sub = h.handshake();
        BrokerHarness.Collector c = h.collect(sub);
        JsonNode reply = recover(sub, "/chat/a", 1, epoch);
        assertThat(reply.at("/ext/recovered").asBoolean()).isTrue();
        h.publish(pub, "/chat/a", "4");
        assertThat(c.drain()).extracting(m -> m.get("data").asInt()).containsExactly(2, 3, 4);
        assertThat(h.broker.storage().recovered()).isEqualTo(1);
    }

    @Test
    void recoveryFailsWhenHistoryNoLongerReachesBackOrTheEpochDiffers() {
        String pub = h.handshake();
        for (int i = 1; i <= 5; i++) {
            h.publish(pub, "/chat/a", Integer.toString(i));   // keeps 3, 4, 5
        }
        String epoch = h.subscribe(h.handshake(), "/chat/a").at("/ext/epoch").asText();
        String sub = h.handshake();
        BrokerHarness.Collector c = h.collect(sub);
        assertThat(recover(sub, "/chat/a", 1, epoch).at("/ext/recovered").asBoolean()).isFalse();
        assertThat(recover(h.handshake(), "/chat/a", 4, "other").at("/ext/recovered").asBoolean()).isFalse();
        assertThat(recover(h.handshake(), "/chat/a", 9, epoch).at("/ext/recovered").asBoolean()).isFalse();
        assertThat(c.drain()).isEmpty();

        String late = h.handshake();
        BrokerHarness.Collector l = h.collect(late);
        JsonNode ok = recover(late, "/chat/a", 2, epoch);
        assertThat(ok.at("/ext/recovered").asBoolean()).isTrue();
        assertThat(ok.at("/ext/position").asLong()).isEqualTo(5);
        assertThat(l.drain()).extracting(m -> m.get("data").asInt()).containsExactly(3, 4, 5);
        assertThat(h.broker.storage().notRecovered()).isEqualTo(3);
    }

    @Test
    void historyOlderThanItsAgeIsGone() {
        String pub = h.handshake();
        h.publish(pub, "/chat/a", "1");
        String epoch = h.subscribe(h.handshake(), "/chat/a").at("/ext/epoch").asText();
        h.clock.addAndGet(TimeUnit.SECONDS.toNanos(61));
        h.publish(pub, "/chat/a", "2");
        assertThat(recover(h.handshake(), "/chat/a", 0, epoch).at("/ext/recovered").asBoolean()).isFalse();
        assertThat(recover(h.handshake(), "/chat/a", 1, epoch).at("/ext/recovered").asBoolean()).isTrue();
    }

    @Test
    void storageChannelHandsNewSubscribersTheCurrentRecordsThenLiveTraffic() {
        String page = h.handshake();
        insert(page, 1, "\"a\"");
        insert(page, 2, "\"b\"");
        assertThat(h.publish(page, "/data", "{\"operation\":\"update\",\"id\":1,\"data\":{\"id\":1,\"done\":true},"
                + "\"clientId\":\"p1\"}").get("successful").asBoolean()).isTrue();
        h.publish(page, "/data", "{\"operation\":\"delete\",\"id\":2,\"data\":{\"id\":2},\"clientId\":\"p1\"}");
        insert(page, 3, "\"c\"");

        String refreshed = h.handshake();
        BrokerHarness.Collector c = h.collect(refreshed);
        h.subscribe(refreshed, "/data");
        insert(page, 4, "\"d\"");
        List<JsonNode> got = c.drain();
        assertThat(got).extracting(m -> m.at("/data/operation").asText() + m.at("/data/data/id").asInt())
                .containsExactly("reset0", "insert1", "insert3", "insert4");
        assertThat(got.get(0).at("/data/clientId").asText()).isEqualTo("bayeuxd-storage");
        assertThat(got.get(1).at("/data/data/title").asText()).isEqualTo("a");
        assertThat(got.get(1).at("/data/data/done").asBoolean()).isTrue();
        assertThat(got.get(1).at("/data/clientId").asText()).isEqualTo("bayeuxd-storage");
        assertThat(got.get(3).at("/data/clientId").asText()).isEqualTo("p1");
    }

    @Test
    void storageChannelRefusesWhatIsNotAnOperationOrBreaksABoundAndChangesNothing() {
        String page = h.handshake();
        JsonNode notOp = h.publish(page, "/tiny", "{\"hello\":1}");
        assertThat(notOp.get("successful").asBoolean()).isFalse();
        assertThat(notOp.get("error").asText()).startsWith("407:/tiny:");
        assertThat(h.publish(page, "/tiny", "{\"operation\":\"insert\",\"data\":{\"x\":1}}").get("error").asText())
                .contains("Missing record id");
        assertThat(h.publish(page, "/tiny", "{\"operation\":\"insert\",\"data\":{\"id\":1}}").get("successful").asBoolean()).isTrue();
        assertThat(h.publish(page, "/tiny", "{\"operation\":\"insert\",\"data\":{\"id\":2}}").get("successful").asBoolean()).isTrue();
        assertThat(h.publish(page, "/tiny", "{\"operation\":\"insert\",\"data\":{\"id\":\"3\"}}").get("successful").asBoolean()).isTrue();
        JsonNode full = h.publish(page, "/tiny", "{\"operation\":\"insert\",\"data\":{\"id\":4}}");
        assertThat(full.get("error").asText()).isEqualTo("407:/tiny:Storage channel is full (3 records)");
        assertThat(h.publish(page, "/tiny", "{\"operation\":\"update\",\"data\":{\"id\":2,\"big\":\"" + "x".repeat(5000) + "\"}}")
                .get("error").asText()).contains("bytes");

        String sub = h.handshake();
        BrokerHarness.Collector c = h.collect(sub);
        h.subscribe(sub, "/tiny");
        assertThat(c.drain()).extracting(m -> m.at("/data/data").toString())
                .containsExactly("", "{\"id\":1}", "{\"id\":2}", "{\"id\":\"3\"}");
    }

    @Test
    void aChannelWithHistoryAndRecordsRecoversInsteadOfReplayingTheRecords() {
        String page = h.handshake();
        insert(page, 1, "\"a\"");
        String epoch = h.subscribe(h.handshake(), "/data").at("/ext/epoch").asText();
        insert(page, 2, "\"b\"");
        String back = h.handshake();
        BrokerHarness.Collector c = h.collect(back);
        assertThat(recover(back, "/data", 1, epoch).at("/ext/recovered").asBoolean()).isTrue();
        assertThat(c.drain()).extracting(m -> m.at("/data/data/id").asInt() + "@" + m.at("/ext/position").asInt())
                .containsExactly("2@2");
    }

    @Test
    void aFailedRecoveryOnAStorageChannelHandsOverAResetAndTheRecordsEvenWhenSubscribedAlready() {
        String page = h.handshake();
        insert(page, 1, "\"a\"");
        String sub = h.subscriber("/data");
        BrokerHarness.Collector c = h.collect(sub);
        c.drain().clear();
        assertThat(recover(sub, "/data", 0, "another-epoch").at("/ext/recovered").asBoolean()).isFalse();
        assertThat(c.drain()).extracting(m -> m.at("/data/operation").asText()).containsExactly("reset", "insert");
    }

    @Test
    void patternsAndServiceChannelsKeepNothing() {
        String page = h.handshake();
        assertThat(h.subscribe(page, "/chat/**").has("ext")).isFalse();
        BrokerHarness.Collector c = h.collect(page);
        h.publish(page, "/chat/x", "1");
        assertThat(c.drain().get(0).at("/ext/position").asLong()).isEqualTo(1);
        assertThat(h.broker.storage().channelCount()).isEqualTo(1);
    }

    @Test
    void idleEmptyChannelsAreDroppedByTheSweep() {
        String pub = h.handshake();
        h.publish(pub, "/chat/a", "1");
        assertThat(h.broker.storage().channelCount()).isEqualTo(1);
        h.clock.addAndGet(TimeUnit.SECONDS.toNanos(200));   // past the history's 60 s and twice the timeout
        h.broker.sweep();
        assertThat(h.broker.storage().channelCount()).isZero();
    }

    @Test
    void aQuietChannelSomeoneSubscribesToKeepsItsEpochAndPositions() {
        String exact = h.subscriber("/chat/a");
        String pattern = h.subscriber("/chat/*");
        BrokerHarness.Collector byPattern = h.collect(pattern);
        String pub = h.handshake();
        h.publish(pub, "/chat/a", "1");
        h.publish(pub, "/chat/b", "1");
        JsonNode first = byPattern.drain().get(0);
        h.clock.addAndGet(TimeUnit.SECONDS.toNanos(100));
        h.connect(exact);
        h.connect(pattern);
        h.unsubscribe(pattern, "/chat/*");
        h.subscribe(pattern, "/chat/*");   // /chat/b no longer used, but still subscribed to by pattern
        h.clock.addAndGet(TimeUnit.SECONDS.toNanos(100));   // history past its 60 s, channels idle for 200 s
        h.broker.sweep();
        assertThat(h.broker.storage().channelCount()).as("both kept while someone subscribes").isEqualTo(2);

        h.publish(pub, "/chat/a", "2");
        List<JsonNode> got = byPattern.drain();
        assertThat(got).hasSize(3);
        JsonNode next = got.get(2);
        assertThat(next.at("/ext/position").asLong()).isEqualTo(2);
        assertThat(next.at("/ext/epoch").asText()).as("no reset for a subscriber who missed nothing")
                .isEqualTo(first.at("/ext/epoch").asText());

        h.unsubscribe(exact, "/chat/a");
        h.unsubscribe(pattern, "/chat/*");
        h.clock.addAndGet(TimeUnit.SECONDS.toNanos(200));
        h.broker.sweep();
        assertThat(h.broker.storage().channelCount()).as("dropped once no one subscribes").isZero();
    }

    private JsonNode recover(String clientId, String channel, long position, String epoch) {
        return h.sendOne("{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + clientId + "\",\"subscription\":\"" + channel
                + "\",\"ext\":{\"recover\":{\"position\":" + position + ",\"epoch\":\"" + epoch + "\"}}}");
    }

    private void insert(String clientId, int id, String title) {
        JsonNode reply = h.publish(clientId, "/data", "{\"operation\":\"insert\",\"id\":" + id + ",\"data\":{\"id\":" + id
                + ",\"title\":" + title + "},\"clientId\":\"p1\"}");
        assertThat(reply.get("successful").asBoolean()).as(reply.toString()).isTrue();
    }
}
