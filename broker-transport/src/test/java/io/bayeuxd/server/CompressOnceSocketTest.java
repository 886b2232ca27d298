package io.bayeuxd.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.transport.LeakWatch;
import io.bayeuxd.transport.TransportConfig;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --websocket-compress-once} over real sockets with Netty's client compression handler: every
 * publication compressed once for all compressed subscribers (the broker's counters say how many
 * compressions ran and how many frames reused one), batched frames built from pre-compressed pieces that
 * inflate to exactly the messages published, in order, beside a plain subscriber on the same channel; and
 * the same deliveries with the flag off, where Netty compresses per connection. The leak detector
 * (paranoid) must see every kept compressed copy released.
 */
class CompressOnceSocketTest {
    private static final int COMPRESSED_SUBSCRIBERS = 5;
    private static final int BATCHES = 8;
    private static final int PER_BATCH = 25;
    private static final int PUBLICATIONS = BATCHES * PER_BATCH;
    private static final List<String> RECORDS = CompressionWireBytesTest.webixRecords(PUBLICATIONS, new Random(7));

    @Test
    void eachPublicationIsCompressedOnceAndSharedByEveryCompressedSubscriber() throws Exception {
        try (LeakWatch leaks = new LeakWatch()) {
            try (BrokerServer server = server(1, true).start()) {
                Deliveries d = publishToSubscribers(server);
                d.assertEveryoneGotEverything();
                // One event loop: no two sockets can race to compress the same publication.
                assertThat(counter(server, "made")).isEqualTo(PUBLICATIONS);
                assertThat(counter(server, "shared")).isEqualTo((long) PUBLICATIONS * (COMPRESSED_SUBSCRIBERS - 1));
                assertThat(counter(server, "own")).isZero();
                assertThat(scrape(server)).contains("bayeux_websocket_compressed_upgrades_total " + (COMPRESSED_SUBSCRIBERS + 1) + ".0");
                // Publishes sent 25 to a frame are drained in batches: frames carried several messages each.
                for (NettyWsClient c : d.compressed) {
                    assertThat(c.compressedFramesReceived.get()).isEqualTo(c.framesReceived.get());
                    assertThat(c.framesReceived.get()).isLessThan(PUBLICATIONS);
                }
                d.closeAll();
            }
            leaks.assertNoLeaks();
        }
    }

    @Test
    void onSeveralEventLoopsCompressionsStayFarBelowOnePerDelivery() throws Exception {
        try (LeakWatch leaks = new LeakWatch()) {
            try (BrokerServer server = server(4, true).start()) {
                Deliveries d = publishToSubscribers(server);
                d.assertEveryoneGotEverything();
                long made = counter(server, "made");
                // At most one per publication per event loop (two loops may race; the loser's copy is dropped).
                assertThat(made).isBetween((long) PUBLICATIONS, (long) PUBLICATIONS * 4);
                assertThat(made + counter(server, "shared")).isEqualTo((long) PUBLICATIONS * COMPRESSED_SUBSCRIBERS);
                d.closeAll();
            }
            leaks.assertNoLeaks();
        }
    }

    @Test
    void withCompressOnceOffNettyCompressesEachConnectionsFrames() throws Exception {
        try (BrokerServer server = server(1, false).start()) {
            Deliveries d = publishToSubscribers(server);
            d.assertEveryoneGotEverything();
            assertThat(counter(server, "made")).isZero();
            assertThat(counter(server, "shared")).isZero();
            for (NettyWsClient c : d.compressed) {
                assertThat(c.compressedFramesReceived.get()).isEqualTo(c.framesReceived.get());
            }
            d.closeAll();
        }
    }

    /** The compressed subscribers, one plain one, and what each got after {@link #PUBLICATIONS} publishes. */
    private static Deliveries publishToSubscribers(BrokerServer server) throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/");
        Deliveries d = new Deliveries();
        for (int i = 0; i < COMPRESSED_SUBSCRIBERS; i++) {
            NettyWsClient c = new NettyWsClient(uri, true);
            d.compressed.add(c);
            c.join("/data");
        }
        d.plain = new NettyWsClient(uri, false);
        d.plain.join("/data");
        d.publisher = new NettyWsClient(uri, true);
        String publisherId = d.publisher.join("/other");
        // Connects are held, so every subscriber delivers over its socket from here on.
        int n = 0;
        for (int b = 0; b < BATCHES; b++) {
            StringBuilder frame = new StringBuilder("[");
            for (int i = 0; i < PER_BATCH; i++, n++) {
                if (i > 0) {
                    frame.append(',');
                }
                frame.append("{\"channel\":\"/data\",\"clientId\":\"").append(publisherId).append("\",\"id\":\"p").append(n)
                        .append("\",\"data\":").append(RECORDS.get(n)).append('}');
            }
            d.publisher.send(frame.append(']').toString());
        }
        return d;
    }

    private static final class Deliveries {
        final List<NettyWsClient> compressed = new ArrayList<>();
        NettyWsClient plain;
        NettyWsClient publisher;

        void assertEveryoneGotEverything() throws InterruptedException {
            List<NettyWsClient> all = new ArrayList<>(compressed);
            all.add(plain);
            for (NettyWsClient c : all) {
                for (int n = 0; n < PUBLICATIONS; n++) {
                    JsonNode m = c.nextDelivery("/data");
                    assertThat(m.path("id").asText()).isEqualTo("p" + n);
                    assertThat(m.path("data").toString()).isEqualTo(RECORDS.get(n));
                }
            }
            assertThat(plain.compressedFramesReceived.get()).isZero();
        }

        void closeAll() {
            compressed.forEach(NettyWsClient::close);
            plain.close();
            publisher.close();
        }
    }

    private static BrokerServer server(int ioThreads, boolean compressOnce) {
        return new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(ioThreads)
                .transport(TransportConfig.builder().websocketCompressOnce(compressOnce).build()).build());
    }

    private static long counter(BrokerServer server, String copy) throws Exception {
        Matcher m = Pattern.compile("bayeux_websocket_deflated_messages_total\\{copy=\"" + copy + "\"} ([0-9.E]+)")
                .matcher(scrape(server));
        assertThat(m.find()).as("counter copy=" + copy).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    private static String scrape(BrokerServer server) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        server.metrics().scrape(out, "text/plain; version=0.0.4; charset=utf-8");
        return out.toString(StandardCharsets.UTF_8);
    }
}
