package io.bayeuxd.broker;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.storage.StorageLog;
import io.bayeuxd.storage.StorageRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --data-dir}: what history and storage channels keep survives a restart of the broker. */
class StorageLogRestartTest {
    @TempDir
    Path dir;

    private BrokerConfig config(StorageLog.Fsync fsync) {
        return BrokerConfig.builder()
                .storage(StorageRules.of(List.of("/chat/**=3"), List.of("/data"), 100, 1 << 20, 100))
                .dataDir(dir, fsync)
                .build();
    }

    @ParameterizedTest
    @EnumSource(StorageLog.Fsync.class)
    void historyAndRecordsAreThereAfterARestart(StorageLog.Fsync fsync) {
        String epoch;
        try (BrokerHarness first = new BrokerHarness(config(fsync))) {
            String pub = first.handshake();
            for (int i = 1; i <= 5; i++) {
                first.publish(pub, "/chat/a", Integer.toString(i));
            }
            epoch = first.subscribe(first.handshake(), "/chat/a").at("/ext/epoch").asText();
            first.publish(pub, "/data", "{\"operation\":\"insert\",\"data\":{\"id\":1,\"t\":\"a\"}}");
            first.publish(pub, "/data", "{\"operation\":\"insert\",\"data\":{\"id\":2,\"t\":\"b\"}}");
            first.publish(pub, "/data", "{\"operation\":\"update\",\"data\":{\"id\":1,\"t\":\"A\"}}");
            first.publish(pub, "/data", "{\"operation\":\"delete\",\"id\":2}");
        }
        // Twice: the first restart also rewrites the file from what it read, and publishes one more.
        List<List<String>> expected = List.of(List.of("4", "5"), List.of("4", "5", "6"));
        for (int restart = 0; restart < 2; restart++) {
            try (BrokerHarness next = new BrokerHarness(config(fsync))) {
                String sub = next.handshake();
                BrokerHarness.Collector c = next.collect(sub);
                JsonNode reply = recover(next, sub, "/chat/a", 3, epoch);
                assertThat(reply.at("/ext/recovered").asBoolean()).isTrue();
                assertThat(reply.at("/ext/position").asLong()).isEqualTo(5 + restart);
                assertThat(reply.at("/ext/epoch").asText()).as("the epoch is kept with the history").isEqualTo(epoch);
                next.subscribe(sub, "/data");
                List<String> got = c.drain().stream().map(m -> m.get("data").toString())
                        .filter(data -> !data.contains("\"reset\"")).toList();
                assertThat(got.subList(0, got.size() - 1)).isEqualTo(expected.get(restart));
                assertThat(got.get(got.size() - 1)).isEqualTo("{\"operation\":\"insert\",\"data\":{\"id\":1,\"t\":\"A\"},"
                        + "\"id\":1,\"clientId\":\"bayeuxd-storage\"}");
                if (restart == 0) {
                    // Numbering goes on from where it was, in the same epoch.
                    BrokerHarness.Collector d = next.collect(next.subscriber("/chat/a"));
                    next.publish(sub, "/chat/a", "6");
                    assertThat(d.drain().get(0).at("/ext/position").asLong()).isEqualTo(6);
                    assertThat(d.received.get(0).at("/ext/epoch").asText()).isEqualTo(epoch);
                }
            }
        }
    }

    @Test
    void aTornTailIsIgnoredAndWhatCameBeforeIsKept() throws Exception {
        String epoch;
        try (BrokerHarness first = new BrokerHarness(config(StorageLog.Fsync.NEVER))) {
            String pub = first.handshake();
            first.publish(pub, "/chat/a", "1");
            first.publish(pub, "/chat/a", "2");
            epoch = first.subscribe(pub, "/chat/a").at("/ext/epoch").asText();
        }
        Path file = Files.list(dir).filter(p -> p.getFileName().toString().endsWith(".log")).findFirst().orElseThrow();
        Files.write(file, new byte[] {0, 0, 0, 40, 1, 2, 3}, StandardOpenOption.APPEND);
        try (BrokerHarness next = new BrokerHarness(config(StorageLog.Fsync.NEVER))) {
            String sub = next.handshake();
            BrokerHarness.Collector c = next.collect(sub);
            assertThat(recover(next, sub, "/chat/a", 0, epoch).at("/ext/recovered").asBoolean()).isTrue();
            assertThat(c.drain()).extracting(m -> m.get("data").asInt()).containsExactly(1, 2);
        }
    }

    private static JsonNode recover(BrokerHarness h, String clientId, String channel, long position, String epoch) {
        return h.sendOne("{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + clientId + "\",\"subscription\":\"" + channel
                + "\",\"ext\":{\"recover\":{\"position\":" + position + ",\"epoch\":\"" + epoch + "\"}}}");
    }
}
