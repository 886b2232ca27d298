package io.bayeuxd.interop;

import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.server.BrokerServer;
import io.bayeuxd.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Runs the real, unmodified Faye Node client ({@code interop/faye}, npm faye@1.4.3) against this broker
 * over a real socket, once per transport. Skipped with a message where Node or the suite's
 * {@code node_modules} are missing ({@code .ci/run} installs both).
 */
class FayeNodeClientTest {
    private static final Path SUITE = NodeTestRun.FAYE_SUITE;
    private static BrokerServer server;

    @BeforeAll
    static void start() throws Exception {
        NodeTestRun.assumeFayeSuite("Faye client interop tests");
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0)
                .broker(BrokerConfig.builder().timeoutMs(10_000).build()).build()).start();
        server.addExtension(new TokenExtension());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "long-polling"})
    void fayeClientSuitePasses(String transport) throws Exception {
        NodeTestRun.assertPasses(SUITE, Map.of("BAYEUX_URL", "http://127.0.0.1:" + server.port() + "/", "BAYEUX_TRANSPORT", transport),
                Duration.ofMinutes(5), "Faye client suite over " + transport);
    }
}
