package io.bayeuxd.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.bench.loadgen.FakeLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SoakPublisherTest {

    private final SoakHarness h = new SoakHarness(SoakHarness.config("--channels", "4"));
    private final SoakPublisher publisher = new SoakPublisher(h.soak, h.loop, new int[] {1, 3}, 100, 64);

    @AfterEach
    void tearDown() {
        h.close();
    }

    private FakeLink handshaken() {
        publisher.start();
        FakeLink link = h.lastLink();
        link.comeUp();
        link.receive("[{\"channel\":\"/meta/handshake\",\"successful\":true,\"clientId\":\"p1\",\"advice\":{\"interval\":0}}]");
        return link;
    }

    @Test
    void numbersTheMessagesOfEachChannelAndTellsTheLedger() {
        FakeLink link = handshaken();
        assertThat(h.stats.publishersReady.get()).isEqualTo(1);

        publisher.startPublishing(h.clock.nowNs);
        h.advanceMs(1_000);

        List<JsonNode> one = link.sentOn("/bench/1");
        List<JsonNode> three = link.sentOn("/bench/3");
        assertThat(one.size() + three.size()).isBetween(100, 101);
        for (int i = 0; i < one.size(); i++) {
            assertThat(one.get(i).get("data").get("seq").asLong()).isEqualTo(i);
        }
        for (int i = 0; i < three.size(); i++) {
            assertThat(three.get(i).get("data").get("seq").asLong()).isEqualTo(i);
        }
        assertThat(h.ledger.publishedOn(1)).isEqualTo(one.size());
        assertThat(h.ledger.publishedOn(3)).isEqualTo(three.size());
        assertThat(h.ledger.publishedOn(0)).isZero();
        assertThat(h.stats.published.sum()).isEqualTo(one.size() + three.size());
        assertThat(one.get(0).get("data").get("ts").asLong()).as("scheduled time since the base").isGreaterThanOrEqualTo(0);
    }

    @Test
    void countsAcknowledgementsAndRefusals() {
        FakeLink link = handshaken();

        link.receive("[{\"channel\":\"/bench/1\",\"successful\":true,\"id\":\"2\"},"
                + "{\"channel\":\"/bench/3\",\"successful\":false,\"error\":\"429:/bench/3:Too many publishes\",\"id\":\"3\"}]");

        assertThat(h.stats.publishAcked.sum()).isEqualTo(1);
        assertThat(h.stats.publishRefused.sum()).isEqualTo(1);
        assertThat(h.stats.wellBehavedFailures.sum()).isEqualTo(1);
    }

    @Test
    void holdsBackWhileTheLinkIsNotWritableAndCatchesUpAfterwards() {
        FakeLink link = handshaken();
        link.writable = false;
        publisher.startPublishing(h.clock.nowNs);
        h.advanceMs(500);
        assertThat(h.stats.published.sum()).isZero();

        link.writable = true;
        h.advanceMs(2);
        assertThat(h.stats.published.sum()).as("the backlog goes out with its scheduled times").isBetween(50L, 51L);
        assertThat(link.sentOn("/bench/1").get(0).get("data").get("ts").asLong()).as("scheduled at the start").isZero();
    }

    @Test
    void stopsPublishingWhenTold() {
        handshaken();
        publisher.startPublishing(h.clock.nowNs);
        h.advanceMs(100);
        long sent = h.stats.published.sum();

        publisher.stopPublishing();
        h.advanceMs(1_000);

        assertThat(h.stats.published.sum()).isEqualTo(sent);
    }
}
