package io.bayeuxd.bench.loadgen;

import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.server.BrokerServer;
import io.bayeuxd.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator against this broker, in-process, for a few seconds per transport: part of
 * {@code mvn verify}, so the generator and the broker are checked against each other on every build.
 */
class LoadGeneratorSmokeTest {
    private static BrokerServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .broker(BrokerConfig.builder().timeoutMs(10_000).build()).build()).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    @Timeout(60)
    void everyMessageReachesEverySubscriber(TransportKind transport) throws Exception {
        Path out = Path.of("target", "loadgen-smoke");
        LoadConfig config = LoadConfig.parse("--url", "http://127.0.0.1:" + server.port() + "/",
                "--transport", transport.bayeuxName(),
                "--clients", "40",
                "--channels", "4",
                "--publishers", "2",
                "--rate", "100",
                "--size", "100",
                "--warmup", "1",
                "--duration", "3",
                "--drain", "3",
                "--connect-rate", "200",
                "--ramp-timeout", "15",
                "--out", out.toString(),
                "--label", "smoke-" + transport.bayeuxName());

        RunResult result = new LoadRun(config, null).run();
        String table = new ResultReport(result).table();
        assertThat(result.completed()).as(table).isTrue();
        assertThat(result.subscribedClients()).as(table).isEqualTo(40);
        assertThat(result.totalErrors()).as(table).isZero();
        assertThat(result.published()).as(table).isPositive();
        assertThat(result.expected()).as("10 subscribers per channel").isEqualTo(result.published() * 10);
        assertThat(result.delivered()).as(table).isEqualTo(result.expected());
        assertThat(result.latencyUs().getTotalCount()).isEqualTo(result.delivered());
    }

    /**
     * Two servers that share nothing: the subscribers spread over both, the publishers on the first,
     * so exactly the first server's subscribers get the messages. Proves the spread happens over real
     * sockets; a cluster on Redis (bench/cluster.sh) is what delivers to both.
     */
    @ParameterizedTest
    @EnumSource(TransportKind.class)
    @Timeout(60)
    void subscribersSpreadOverServersAndPublishersUseTheFirst(TransportKind transport) throws Exception {
        try (BrokerServer second = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .broker(BrokerConfig.builder().timeoutMs(10_000).build()).build()).start()) {
            LoadConfig config = LoadConfig.parse("--url", "http://127.0.0.1:" + server.port() + "/,http://127.0.0.1:" + second.port() + "/",
                    "--transport", transport.bayeuxName(),
                    "--clients", "20",
                    "--channels", "1",
                    "--publishers", "1",
                    "--rate", "50",
                    "--size", "100",
                    "--warmup", "0.5",
                    "--duration", "2",
                    "--drain", "1",
                    "--connect-rate", "200",
                    "--ramp-timeout", "15",
                    "--out", Path.of("target", "loadgen-smoke").toString(),
                    "--label", "smoke-two-" + transport.bayeuxName());

            RunResult result = new LoadRun(config, null).run();
            String table = new ResultReport(result).table();
            assertThat(result.completed()).as(table).isTrue();
            assertThat(result.subscribedClients()).as(table).isEqualTo(20);
            assertThat(result.totalErrors()).as(table).isZero();
            assertThat(result.published()).as(table).isPositive();
            assertThat(result.expected()).isEqualTo(result.published() * 20);
            assertThat(result.delivered()).as("the first server's 10 subscribers only: " + table)
                    .isEqualTo(result.published() * 10);
        }
    }
}
