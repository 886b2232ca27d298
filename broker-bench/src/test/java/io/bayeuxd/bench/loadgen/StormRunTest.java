package io.bayeuxd.bench.loadgen;

import io.bayeuxd.server.BrokerServer;
import io.bayeuxd.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario S6 ({@link StormRun}) in small against bayeuxd on free loopback ports: every client is
 * subscribed to its room and to the broadcast channel, gets every broadcast of both phases, is
 * subscribed again after the storm, and the probe reads the broker's {@code /healthz} on its
 * management port throughout.
 */
class StormRunTest {

    private BrokerServer server;

    @BeforeEach
    void start() throws InterruptedException {
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).managementPort(0).ioThreads(1).build()).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    @Timeout(60)
    void everyClientGetsEveryBroadcastAndIsSubscribedAgainAfterTheStorm() throws InterruptedException {
        LoadConfig config = LoadConfig.parse("--url", "http://127.0.0.1:" + server.port() + "/",
                "--clients", "30",
                "--channels", "3",
                "--publishers", "0",
                "--duration", "1",
                "--warmup", "0",
                "--drain", "5",
                "--hold", "0.2",
                "--connect-rate", "300",
                "--ramp-timeout", "10",
                "--label", "storm");
        URI healthz = URI.create("http://127.0.0.1:" + server.managementPort() + "/healthz");
        StormRun.Options options = new StormRun.Options(new long[] {2, 5}, 500, 20_000, healthz, ProcessHandle.current().pid());

        StormRun.Result result = new StormRun(config, options, null).run();
        String summary = StormGenerator.summary(result);

        assertThat(result.subscribed()).as(summary).isEqualTo(30);
        assertThat(result.phases()).extracting(StormRun.Phase::ratePerSec).containsExactly(2L, 5L);
        for (StormRun.Phase phase : result.phases()) {
            assertThat(phase.published()).as(summary).isPositive();
            assertThat(phase.expected()).as("every client is on the broadcast channel").isEqualTo(phase.published() * 30);
            assertThat(phase.delivered()).as(summary).isEqualTo(phase.expected());
            assertThat(phase.latencyUs().getTotalCount()).isEqualTo(phase.delivered());
        }
        StormRun.Storm storm = result.storm();
        assertThat(storm.resubscribed()).as(summary).isEqualTo(30);
        assertThat(storm.fullMs()).as(summary).isGreaterThanOrEqualTo(0);
        assertThat(storm.probes()).as(summary).isPositive();
        assertThat(storm.probeFailures() + storm.probeNotOk()).as(storm.probeLastFailure()).isZero();
        assertThat(storm.peakRssKb()).as("this JVM's own RSS, sampled").isPositive();
        assertThat(result.errors()).as(result.lastErrors()).isZero();
    }

    @Test
    void theStormHasItsOwnDefaultsForTheOptionsItSharesWithTheLoadGenerator() {
        StormGenerator storm = new StormGenerator(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
        new CommandLine(storm).parseArgs();
        LoadConfig config = LoadConfig.forStorm(storm.client, storm.rooms);

        assertThat(config.clients()).isEqualTo(18_500);
        assertThat(config.channels()).isEqualTo(1000);
        assertThat(config.connectRatePerSec()).isEqualTo(1000);
        assertThat(config.rampTimeoutMs()).isEqualTo(60_000);
        assertThat(config.holdMs()).isEqualTo(30_000);
        assertThat(config.durationMs()).isEqualTo(60_000);
        assertThat(config.drainMs()).isEqualTo(10_000);
        assertThat(config.label()).isEqualTo("s6");
        assertThat(config.payloadBytes()).as("as the load generator's").isEqualTo(100);
        assertThat(config.publishers()).isZero();
        assertThat(config.warmupMs()).isZero();
        assertThat(config.transport()).isEqualTo(TransportKind.WEBSOCKET);
    }

    @Test
    @Timeout(30)
    void invalidOptionsAreRefusedWithStatusTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = StormGenerator.execute(new String[] {"--broadcast-rates", "0"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("broadcast-rates must be 1 to 10000 each");
    }

    @Test
    void theStormTakesOneServer() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = StormGenerator.execute(new String[] {"--url", "http://127.0.0.1:8001/,http://127.0.0.1:8002/"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("url must be given once");
    }
}
