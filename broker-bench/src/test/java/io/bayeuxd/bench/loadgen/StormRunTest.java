package io.bayeuxd.bench.loadgen;

import io.bayeuxd.server.BrokerServer;
import io.bayeuxd.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
        LoadConfig config = LoadConfig.builder()
                .url("http://127.0.0.1:" + server.port() + "/")
                .clients(30)
                .channels(3)
                .publishers(0)
                .durationMs(1_000)
                .warmupMs(0)
                .drainMs(5_000)
                .holdMs(200)
                .connectRatePerSec(300)
                .rampTimeoutMs(10_000)
                .label("storm")
                .build();
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
    @Timeout(30)
    void invalidOptionsAreRefusedWithStatusTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = StormGenerator.execute(new String[] {"--broadcast-rates", "0"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("broadcast-rates must be 1 to 10000 each");
    }
}
