package io.bayeuxd.broker;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.storage.StorageRules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Subscribers join while publishers publish: what a stored channel hands over and the live traffic
 * that follows must meet with no gap and no duplicate.
 */
class StoredChannelsRaceTest {
    private static final int PUBLISHERS = 3;
    private static final int PER_PUBLISHER = 2_000;
    private static final int SUBSCRIBERS = 40;

    private final BrokerHarness h = new BrokerHarness(BrokerConfig.builder().outboxCapacity(1 << 16)
            .storage(StorageRules.of(List.of("/race=100000"), List.of("/rows"), 100_000, 1 << 26, 10))
            .build());
    private final ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS + 1);

    @AfterEach
    void close() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        h.close();
    }

    @Test
    void recoveringSubscribersGetEveryPositionAfterTheirPointExactlyOnce() throws Exception {
        String pub0 = h.handshake();
        h.publish(pub0, "/race", "0");
        String epoch = h.subscribe(h.handshake(), "/race").at("/ext/epoch").asText();

        List<Future<?>> publishers = startPublishers("/race", (p, i) -> "{\"p\":" + p + ",\"i\":" + i + "}");
        // Sessions get no delivery target until the publishers are done (the test's event loop is not
        // thread-safe): everything waits in their outboxes, in the order it would be delivered.
        Map<String, Long> from = new LinkedHashMap<>();
        for (int s = 0; s < SUBSCRIBERS; s++) {
            String id = h.handshake();
            if (s % 2 == 0) {
                JsonNode reply = h.sendOne("{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\","
                        + "\"subscription\":\"/race\",\"ext\":{\"recover\":{\"position\":1,\"epoch\":\"" + epoch + "\"}}}");
                assertThat(reply.at("/ext/recovered").asBoolean()).isTrue();
                from.put(id, 1L);
            } else {
                // No recovery: live traffic after the position the reply names.
                from.put(id, h.subscribe(id, "/race").at("/ext/position").asLong());
            }
        }
        for (Future<?> f : publishers) {
            f.get(60, TimeUnit.SECONDS);
        }
        long last = 1 + (long) PUBLISHERS * PER_PUBLISHER;
        for (Map.Entry<String, Long> e : from.entrySet()) {
            List<Long> positions = new ArrayList<>();
            h.collect(e.getKey()).drain().forEach(m -> positions.add(m.at("/ext/position").asLong()));
            List<Long> expected = new ArrayList<>();
            for (long p = e.getValue() + 1; p <= last; p++) {
                expected.add(p);
            }
            assertThat(positions).as("positions delivered to %s", e.getKey()).isEqualTo(expected);
        }
    }

    @Test
    void newSubscribersOfAStorageChannelEndWithTheChannelsRecords() throws Exception {
        // Each publisher inserts its rows, then updates each, then deletes every third.
        List<Future<?>> publishers = startPublishers("/rows", (p, i) -> {
            int row = i % (PER_PUBLISHER / 2);
            String id = "\"" + p + "-" + row + "\"";
            if (i < PER_PUBLISHER / 2) {
                return "{\"operation\":\"insert\",\"data\":{\"id\":" + id + ",\"v\":0}}";
            }
            return row % 3 == 0 ? "{\"operation\":\"delete\",\"id\":" + id + "}"
                    : "{\"operation\":\"update\",\"data\":{\"id\":" + id + ",\"v\":1}}";
        });
        List<String> subscribers = new ArrayList<>();
        for (int s = 0; s < SUBSCRIBERS; s++) {
            String id = h.handshake();
            subscribers.add(id);
            h.subscribe(id, "/rows");
        }
        for (Future<?> f : publishers) {
            f.get(60, TimeUnit.SECONDS);
        }
        Map<String, Integer> expected = apply(h.collect(subscribeLate()).drain());
        assertThat(expected).hasSize(PUBLISHERS * (PER_PUBLISHER / 2 - (PER_PUBLISHER / 2 + 2) / 3));
        assertThat(expected.values()).containsOnly(1);
        for (String id : subscribers) {
            assertThat(apply(h.collect(id).drain())).isEqualTo(expected);
        }
    }

    private String subscribeLate() {
        String id = h.handshake();
        h.subscribe(id, "/rows");
        return id;
    }

    /** Applies Webix operations as the proxy does: insert puts, update merges, delete removes. */
    private static Map<String, Integer> apply(List<JsonNode> messages) {
        Map<String, Integer> rows = new HashMap<>();
        for (JsonNode m : messages) {
            JsonNode op = m.get("data");
            String id = op.path("data").path("id").asText(op.path("id").asText());
            switch (op.get("operation").asText()) {
                case "reset" -> rows.clear();
                case "insert", "update" -> rows.put(id, op.at("/data/v").asInt());
                case "delete" -> assertThat(rows.remove(id)).as("delete of a row never seen: %s", id).isNotNull();
                default -> throw new AssertionError(m.toString());
            }
        }
        return rows;
    }

    private interface Body {
        String of(int publisher, int i);
    }

    private List<Future<?>> startPublishers(String channel, Body body) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            int publisher = p;
            String clientId = h.handshake();
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < PER_PUBLISHER; i++) {
                    JsonNode reply = h.publish(clientId, channel, body.of(publisher, i));
                    if (!reply.path("successful").asBoolean()) {
                        throw new AssertionError(reply.toString());
                    }
                }
                return null;
            }));
        }
        start.countDown();
        return futures;
    }
}
