package io.bayeuxd.interop;

import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.server.BrokerServer;
import io.bayeuxd.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code permessage-deflate} with the real Faye Node client ({@code interop/faye/test-deflate}): faye@1.4.3
 * given the npm {@code permessage-deflate} extension, over WebSocket against the broker's default command
 * line, publishes and receives Webix-like records, and sees the server's messages arrive compressed. Skipped
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
    }
}
