package io.bayeuxd.bench.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PublisherSessionTest {

    private SessionHarness h;

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void publishesOnTheScheduleAndStampsTheScheduledTime() {
        h = new SessionHarness(SessionHarness.config("--rate", "100"));
        PublisherSession publisher = new PublisherSession(h.run, h.loop, 0);
        FakeLink link = handshaken(publisher);
        long publishStart = h.clock.nowNs;
        h.timeline.schedule(publishStart, 1_000_000_000L, 10_000_000_000L);

        publisher.startPublishing();
        assertThat(publishes(link)).hasSize(1);

        h.advanceMs(9);
        assertThat(publishes(link)).hasSize(1);
        h.advanceMs(1);
        assertThat(publishes(link)).hasSize(2);
        h.advanceMs(90);
        List<JsonNode> sent = publishes(link);
        assertThat(sent).hasSize(11);
        for (int k = 0; k < sent.size(); k++) {
            JsonNode data = sent.get(k).get("data");
            assertThat(data.get("seq").asLong()).isEqualTo(k);
            assertThat(data.get("ts").asLong()).isEqualTo(h.timeline.timestampOf(publishStart + k * 10_000_000L));
            assertThat(sent.get(k).get("channel").asText()).isEqualTo("/bench/" + (k % 2));
        }
        assertThat(h.stats.publishedAll.sum()).isEqualTo(11);
        assertThat(h.stats.publishedMeasured.sum()).isZero(); // still warming up
    }

    @Test
    void countsDeliveriesOwedToTheSubscribersOfEachChannelDuringMeasurement() {
        h = new SessionHarness(SessionHarness.config("--rate", "100"));
        PublisherSession publisher = new PublisherSession(h.run, h.loop, 0);
        FakeLink link = handshaken(publisher);
        h.stats.subscribersOnChannel.set(0, 3);
        h.stats.subscribersOnChannel.set(1, 2);
        h.timeline.schedule(h.clock.nowNs, 0, 1_000_000_000L);

        publisher.startPublishing();
        h.advanceMs(30); // 4 publishes: channels 0, 1, 0, 1

        assertThat(publishes(link)).hasSize(4);
        assertThat(h.stats.publishedMeasured.sum()).isEqualTo(4);
        assertThat(h.stats.expectedMeasured.sum()).isEqualTo(3 + 2 + 3 + 2);
    }

    @Test
    void stopsAtTheEndOfTheMeasurement() {
        h = new SessionHarness(SessionHarness.config("--rate", "100"));
        PublisherSession publisher = new PublisherSession(h.run, h.loop, 0);
        FakeLink link = handshaken(publisher);
        h.timeline.schedule(h.clock.nowNs, 0, 100_000_000L);

        publisher.startPublishing();
        for (int i = 0; i < 50; i++) {
            h.advanceMs(10);
        }

        assertThat(publisher.isFinished()).isTrue();
        assertThat(publishes(link)).hasSize(10);
    }

    @Test
    void theWindowBoundsUnacknowledgedPublishesWhenUnpaced() {
        h = new SessionHarness(SessionHarness.config("--rate", "0", "--window", "5", "--clients", "0"));
        PublisherSession publisher = new PublisherSession(h.run, h.loop, 0);
        FakeLink link = handshaken(publisher);
        h.timeline.schedule(h.clock.nowNs, 0, 10_000_000_000L);

        publisher.startPublishing();
        h.runTasks();
        assertThat(publishes(link)).hasSize(5);
        h.advanceMs(5);
        assertThat(publishes(link)).hasSize(5);
        assertThat(h.stats.windowStalls.sum()).isPositive();

        link.receive("[{\"channel\":\"/bench/0\",\"successful\":true},{\"channel\":\"/bench/1\",\"successful\":true}]");
        assertThat(publishes(link)).hasSize(7);
        assertThat(h.stats.publishReplies.sum()).isEqualTo(2);
    }

    @Test
    void theWindowAlsoWaitsForOwedDeliveries() {
        h = new SessionHarness(SessionHarness.config("--rate", "0", "--window", "4", "--clients", "4", "--channels", "2"));
        PublisherSession publisher = new PublisherSession(h.run, h.loop, 0);
        FakeLink link = handshaken(publisher);
        h.stats.subscribersOnChannel.set(0, 2);
        h.stats.subscribersOnChannel.set(1, 2);
        h.timeline.schedule(h.clock.nowNs, 0, 10_000_000_000L);

        publisher.startPublishing();
        h.runTasks();
        assertThat(publishes(link)).hasSize(4);

        // Acknowledged, but no delivery seen: the window stays shut.
        link.receive("[" + "{\"channel\":\"/bench/0\",\"successful\":true},".repeat(3) + "{\"channel\":\"/bench/0\",\"successful\":true}]");
        h.runTasks();
        assertThat(publishes(link)).hasSize(4);

        h.stats.deliveredAll.add(8);
        h.advanceMs(1);
        h.runTasks();
        assertThat(publishes(link)).hasSize(8);
    }

    @Test
    void overLongPollingPublishesGoOverASecondConnection() {
        h = new SessionHarness(SessionHarness.config("--transport", TransportKind.LONG_POLLING.bayeuxName()));
        PublisherSession publisher = new PublisherSession(h.run, h.loop, 0);

        publisher.start();
        assertThat(h.links).hasSize(2);
        FakeLink control = h.link(0);
        FakeLink publishing = h.link(1);
        control.comeUp();
        assertThat(control.sent).isEmpty(); // waits for both connections
        publishing.comeUp();
        control.receive("[{\"channel\":\"/meta/handshake\",\"successful\":true,\"clientId\":\"p1\"}]");
        assertThat(control.last().get("channel").asText()).isEqualTo("/meta/connect");
        assertThat(control.last().get("connectionType").asText()).isEqualTo("long-polling");

        h.timeline.schedule(h.clock.nowNs, 0, 1_000_000_000L);
        publisher.startPublishing();
        assertThat(publishes(publishing)).hasSize(1);
        assertThat(publishes(control)).isEmpty();
        assertThat(h.stats.readyPublishers.get()).isEqualTo(1);
    }

    @Test
    void aPublisherCatchesUpWithItsScheduleAfterARehandshake() {
        h = new SessionHarness(SessionHarness.config("--rate", "100"));
        PublisherSession publisher = new PublisherSession(h.run, h.loop, 0);
        FakeLink link = handshaken(publisher);
        long publishStart = h.clock.nowNs;
        h.timeline.schedule(publishStart, 0, 10_000_000_000L);
        publisher.startPublishing();

        link.receive("[{\"channel\":\"/bench/0\",\"successful\":false,\"error\":\"402::Unknown client\"}]");
        assertThat(link.last().get("channel").asText()).isEqualTo("/meta/handshake");
        h.advanceMs(50); // no publishing while not handshaken
        int before = publishes(link).size();
        link.receive("[{\"channel\":\"/meta/handshake\",\"successful\":true,\"clientId\":\"p2\"}]");
        h.runTasks();

        List<JsonNode> sent = publishes(link);
        assertThat(sent.size() - before).isEqualTo(5);
        assertThat(sent.get(sent.size() - 1).get("data").get("ts").asLong())
                .isEqualTo(h.timeline.timestampOf(publishStart + 50_000_000L));
        assertThat(sent.get(sent.size() - 1).get("clientId").asText()).isEqualTo("p2");
    }

    @Test
    void ratesAreSplitAcrossPublishersAndOffsetSoTheyInterleave() {
        h = new SessionHarness(SessionHarness.config("--rate", "3", "--publishers", "2"));
        assertThat(h.run.config.ratePerSecFor(0) + h.run.config.ratePerSecFor(1)).isEqualTo(3);
        PublisherSession first = new PublisherSession(h.run, h.loop, 0);
        PublisherSession second = new PublisherSession(h.run, h.loop, 1);
        FakeLink firstLink = handshaken(first);
        FakeLink secondLink = handshaken(second);
        h.timeline.schedule(h.clock.nowNs, 0, 10_000_000_000L);

        first.startPublishing();
        second.startPublishing();
        assertThat(publishes(firstLink)).hasSize(1);
        assertThat(publishes(secondLink)).isEmpty(); // starts one third of a second later
        h.advanceMs(334);
        assertThat(publishes(secondLink)).hasSize(1);
        h.advanceMs(1000 - 334);
        assertThat(publishes(firstLink)).hasSize(3);
        assertThat(publishes(secondLink)).hasSize(1);
    }

    private FakeLink handshaken(PublisherSession publisher) {
        int index = h.links.size();
        publisher.start();
        FakeLink link = h.link(index);
        link.comeUp();
        link.receive("[{\"channel\":\"/meta/handshake\",\"successful\":true,\"clientId\":\"p1\"}]");
        assertThat(link.last().get("channel").asText()).isEqualTo("/meta/connect");
        return link;
    }

    private static List<JsonNode> publishes(FakeLink link) {
        return link.sent.stream().filter(m -> m.get("channel").asText().startsWith("/bench/")).toList();
    }
}
