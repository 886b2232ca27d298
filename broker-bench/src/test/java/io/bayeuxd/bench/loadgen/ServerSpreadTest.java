package io.bayeuxd.bench.loadgen;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A run against several servers: which server each session's links go to. */
class ServerSpreadTest {

    private final List<URI> urls = List.of(URI.create("http://127.0.0.1:8001/"), URI.create("http://127.0.0.1:8002/"),
            URI.create("http://127.0.0.1:8003/"));
    private final LoadConfig config = SessionHarness.config("--url", String.join(",", urls.stream().map(URI::toString).toList()),
            "--clients", "9",
            "--channels", "3",
            "--publishers", "2");
    private final SessionHarness h = new SessionHarness(config);
    /** Links opened per server, in server order. */
    private final List<List<FakeLink>> opened = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    private final RunContext run = new RunContext(config, h.stats, h.timeline, h.clock, List.of(
            opener(0), opener(1), opener(2)));

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void subscribersGoRoundRobinWithinEachChannelAndPublishersToTheFirstServer() {
        List<SubscriberSession> subscribers = LoadRun.newSubscribers(run, List.of(h.loop));
        assertThat(subscribers).hasSize(9);

        for (int i = 0; i < subscribers.size(); i++) {
            int before = opened.get(config.serverOfSubscriber(i)).size();
            subscribers.get(i).start();
            assertThat(opened.get(config.serverOfSubscriber(i))).as("subscriber %d's link", i).hasSize(before + 1);
        }
        // 3 channels x 3 subscribers each, each channel's three on three different servers.
        assertThat(opened).allSatisfy(links -> assertThat(links).hasSize(3));

        new PublisherSession(run, h.loop, 0).start();
        new PublisherSession(run, h.loop, 1).start();
        assertThat(opened.get(0)).as("at least a link per publisher, on the first server").hasSizeGreaterThanOrEqualTo(3 + 2);
        assertThat(opened.get(1)).hasSize(3);
        assertThat(opened.get(2)).hasSize(3);
    }

    @Test
    void aSubscriberSubscribesOnTheServerItHandshookWith() {
        List<SubscriberSession> subscribers = LoadRun.newSubscribers(run, List.of(h.loop));
        subscribers.get(1).start(); // channel 1, first of it: server (1 + 0) % 3
        FakeLink link = opened.get(1).get(0);

        link.comeUp();
        link.receive("[{\"channel\":\"/meta/handshake\",\"successful\":true,\"clientId\":\"c1\",\"advice\":{\"interval\":0}}]");

        assertThat(link.last().get("channel").asText()).isEqualTo("/meta/subscribe");
        assertThat(link.last().get("subscription").asText()).isEqualTo("/bench/1");
        assertThat(opened.get(0)).isEmpty();
        assertThat(opened.get(2)).isEmpty();
    }

    private LinkOpener opener(int server) {
        return (transport, eventLoop, listener, cookies) -> {
            FakeLink link = new FakeLink(transport, listener);
            opened.get(server).add(link);
            h.links.add(link);
            return link;
        };
    }
}
