package io.bayeuxd.interop;

import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.server.BrokerServer;
import io.bayeuxd.server.ServerConfig;
import io.bayeuxd.storage.StorageRules;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * History and recovery end to end ({@code interop/faye/test-recovery}): the real Faye Node client with
 * our {@code bayeuxd-recovery.js} extension, behind a TCP proxy the test cuts mid-stream, gets every
 * message of a history channel once and in order; after its session was ended it handshakes again and
 * recovers; where history no longer reaches back its {@code onReset} is called. Once per transport.
 * Skipped with a message where Node or the suite's {@code node_modules} are missing.
 */
class FayeRecoveryTest {
    private static final Path SUITE = NodeTestRun.FAYE_SUITE;
    private static final String API_KEY = "recovery-test-key-0123456789";
    private static BrokerServer server;

    @BeforeAll
    static void start() throws Exception {
        NodeTestRun.assumeFayeSuite("Faye recovery tests");
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).managementPort(0).apiKey(API_KEY)
                .broker(BrokerConfig.builder().timeoutMs(10_000)
                        .storage(StorageRules.of(List.of("/rec/**=10000", "/few/**=5"), List.of(), 10_000, 16 << 20, 10_000))
                        .build())
                .build()).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "long-polling"})
    void everyMessageOnceAndInOrderThroughCutsAndLostSessions(String transport) throws Exception {
        NodeTestRun.assertPasses(SUITE, "test-recovery/", Map.of(
                "BAYEUX_URL", "http://127.0.0.1:" + server.port() + "/",
                "BAYEUX_TRANSPORT", transport,
                "BAYEUX_API_URL", "http://127.0.0.1:" + server.managementPort(),
                "BAYEUX_API_KEY", API_KEY), Duration.ofMinutes(5), "Faye recovery over " + transport);
    }
}
