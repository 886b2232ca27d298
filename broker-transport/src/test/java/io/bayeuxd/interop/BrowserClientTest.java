package io.bayeuxd.interop;

import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.server.BrokerServer;
import io.bayeuxd.server.ServerConfig;
import io.bayeuxd.transport.TransportConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Runs Faye's browser client and Webix's {@code faye->} data proxy in headless Chromium against this broker
 * ({@code interop/browser}): pages from another origin load the client from the broker's {@code /client.js}
 * and talk to it over WebSocket, cross-origin long-polling and callback-polling. Skipped with a message where
 * Node, the suite's {@code node_modules} or Debian's Chromium are missing ({@code .ci/run} installs all three).
 */
class BrowserClientTest {
    private static final Path SUITE = Path.of("..", "interop", "browser").toAbsolutePath().normalize();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static BrokerServer server;
    /** Why the test cannot run here, or null. */
    private static String missing;

    @BeforeAll
    static void start() throws Exception {
        missing = missingPrerequisite();
        if (missing != null) {
            return; // the test itself skips, so that the reason shows in Surefire's report
        }
        // A short hold: when Faye's WebSocket opens only after its first /meta/connect went by JSONP, the
        // test waits for that connect to come back before it goes on (interop/browser/test, connect()).
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0)
                .broker(BrokerConfig.builder().timeoutMs(5_000).build())
                .transport(TransportConfig.builder()
                        .clientDir(SUITE.resolve("node_modules").resolve("faye").resolve("client"))
                        .build())
                .build()).start();
        server.addExtension(new TokenExtension());
    }

    private static String missingPrerequisite() {
        if (!NodeTestRun.toolRuns("node", "--version")) {
            return "node is not installed: browser interop test skipped";
        }
        if (!Files.isDirectory(SUITE.resolve("node_modules").resolve("playwright-core"))) {
            return "interop/browser/node_modules missing (run `npm ci` in interop/browser): browser interop test skipped";
        }
        if (!Files.isExecutable(CHROMIUM)) {
            return CHROMIUM + " missing (apt-get install chromium): browser interop test skipped";
        }
        return null;
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void fayeBrowserClientAndWebixProxyWorkInChromium() throws Exception {
        Assumptions.assumeTrue(missing == null, missing);
        NodeTestRun.assertPasses(SUITE, Map.of("BAYEUX_URL", "http://127.0.0.1:" + server.port() + "/",
                "CHROMIUM_PATH", CHROMIUM.toString()), Duration.ofMinutes(2), "browser test run");
    }
}
