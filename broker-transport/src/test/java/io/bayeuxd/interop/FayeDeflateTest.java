package io.bayeuxd.interop;

import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.server.BrokerServer;
import io.bayeuxd.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code permessage-deflate} with the real Faye Node client ({@code interop/faye/test-deflate}): faye@1.4.3
 * given the npm {@code permessage-deflate} extension, over WebSocket against the broker's default command
 * line, publishes and receives Webix-like records, and sees the server's messages arrive compressed; under load
 * (400 records at once to four compressed subscribers and a plain one) every record arrives once and in order,
 * in batched frames, each record compressed by the broker once for all of them. Skipped
 * with a message where Node or the suite's {@code node_modules} are missing.
 */
class FayeDeflateTest {
    private static BrokerServer server;

    @BeforeAll
    static void start() throws Exception {
        NodeTestRun.assumeFayeSuite("Faye permessage-deflate test");
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0)
                .broker(BrokerConfig.builder().timeoutMs(10_000).build()).build()).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void fayeClientWithPermessageDeflateRoundTrips() throws Exception {
        Path suite = NodeTestRun.FAYE_SUITE;
        NodeTestRun.assertPasses(suite, "test-deflate/", Map.of(
                "BAYEUX_URL", "http://127.0.0.1:" + server.port() + "/",
                "BAYEUX_TRANSPORT", "websocket"), Duration.ofMinutes(2), "Faye with permessage-deflate");
        // The 400 records reached the four compressed subscribers through --websocket-compress-once: each
        // compressed by the first socket to send it and the copy reused by the others (two event loops that
        // send the same record at the same moment may both compress it; the default runs several loops).
        String metrics = scrape();
        long made = counter(metrics, "made");
        long shared = counter(metrics, "shared");
        assertThat(made + shared).isGreaterThanOrEqualTo(4 * 400);
        assertThat(shared).isGreaterThan(made);
    }

    private static long counter(String metrics, String copy) {
        Matcher m = Pattern.compile("bayeux_websocket_deflated_messages_total\\{copy=\"" + copy + "\"} ([0-9.E]+)").matcher(metrics);
        assertThat(m.find()).as("counter copy=" + copy).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    private static String scrape() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        server.metrics().scrape(out, "text/plain; version=0.0.4; charset=utf-8");
        return out.toString(StandardCharsets.UTF_8);
    }
}
