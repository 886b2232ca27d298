package io.bayeuxd.interop;

import io.bayeuxd.engine.redis.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Three brokers on one real {@code redis-server}, each with its own Redis bus: the whole Faye
 * Node client suite runs against the first node with the bus on, and its cluster test
 * ({@code interop/faye/test/cluster.test.js}) spreads subscribers and publishers over all three; its cluster
 * API test ({@code cluster-api.test.js}) calls the first node's HTTP API about clients of the others. Skipped
 * with a message without node, the suite's packages or {@code redis-server} ({@code .ci/run} installs them).
 */
class FayeClusterTest {
    private static final Path SUITE = NodeTestRun.FAYE_SUITE;
    private static final int NODES = 3;
    private static RedisBrokers cluster;

    @BeforeAll
    static void start() throws Exception {
        NodeTestRun.assumeFayeSuite("Faye cluster tests");
        Assumptions.assumeTrue(RedisServerProcess.isInstalled(), "redis-server is not installed: Faye cluster tests skipped");
        cluster = RedisBrokers.start(NODES, 10_000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "long-polling"})
    void fayeClientSuitePassesAcrossNodes(String transport) throws Exception {
        String urls = cluster.nodes.stream().map(RedisBrokers::url).collect(Collectors.joining(","));
        String apiUrls = cluster.nodes.stream().map(RedisBrokers::apiUrl).collect(Collectors.joining(","));
        NodeTestRun.assertPasses(SUITE, Map.of("BAYEUX_URL", RedisBrokers.url(cluster.nodes.get(0)),
                        "BAYEUX_URLS", urls, "BAYEUX_TRANSPORT", transport,
                        "BAYEUX_API_URLS", apiUrls, "BAYEUX_API_KEY", RedisBrokers.API_KEY),
                Duration.ofMinutes(5), "Faye client suite across " + NODES + " nodes over " + transport);
    }
}
