package io.bayeuxd.bench.loadgen;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Option parsing only; runs that open connections are in {@link LoadGeneratorIntegrationTest}. */
class LoadGeneratorTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void helpListsTheOptions() {
        int status = run("--help");

        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--url", "--transport", "--clients", "--channels",
                "--publishers", "--hold", "--rate", "--window", "--size", "--duration", "--warmup", "--connect-rate", "--out", "--label");
    }

    @Test
    void mapsOptionsOntoTheConfig() {
        LoadGenerator generator = new LoadGenerator();
        new picocli.CommandLine(generator).parseArgs("--url", "http://127.0.0.1:8080/cometd", "--transport", "long-polling",
                "--clients", "50", "--channels", "5", "--publishers", "2", "--rate", "100", "--size", "256",
                "--duration", "10", "--warmup", "2.5", "--connect-rate", "100", "--label", "x");

        LoadConfig config = generator.config.validate();

        assertThat(config.transport()).isEqualTo(TransportKind.LONG_POLLING);
        assertThat(config.clients()).isEqualTo(50);
        assertThat(config.channels()).isEqualTo(5);
        assertThat(config.publishers()).isEqualTo(2);
        assertThat(config.ratePerSec()).isEqualTo(100);
        assertThat(config.payloadBytes()).isEqualTo(256);
        assertThat(config.durationMs()).isEqualTo(10_000);
        assertThat(config.warmupMs()).isEqualTo(2_500);
        assertThat(config.connectRatePerSec()).isEqualTo(100);
        assertThat(config.server().path()).isEqualTo("/cometd");
        assertThat(config.holdMs()).isZero();
    }

    @Test
    void takesSeveralServersRepeatedOrCommaSeparated() {
        LoadGenerator generator = new LoadGenerator();
        new picocli.CommandLine(generator).parseArgs("--url", "http://127.0.0.1:8001/,http://127.0.0.1:8002/",
                "--url", "ws://127.0.0.1:8003/cometd");

        LoadConfig config = generator.config.validate();

        assertThat(config.servers()).extracting(ServerUrl::port).containsExactly(8001, 8002, 8003);
        assertThat(config.servers().get(2).path()).isEqualTo("/cometd");
        assertThat(config.server().port()).isEqualTo(8001);
    }

    @Test
    void oneBadServerAmongSeveralIsAnInvalidOption() {
        assertThat(run("--url", "http://127.0.0.1:8001/,http://192.0.2.1:8000/")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("loopback");
    }

    @Test
    void mapsAnIdleRun() {
        LoadGenerator generator = new LoadGenerator();
        new picocli.CommandLine(generator).parseArgs("--clients", "10000", "--publishers", "0", "--hold", "20");

        LoadConfig config = generator.config.validate();

        assertThat(config.publishers()).isZero();
        assertThat(config.holdMs()).isEqualTo(20_000);
    }

    @Test
    void invalidOptionsExitWithTwoBeforeAnyConnection() {
        assertThat(run("--transport", "carrier-pigeon")).isEqualTo(2);
        assertThat(run("--url", "http://192.0.2.1:8000/")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("loopback");
        assertThat(run("--channels", "0")).isEqualTo(2);
    }

    private int run(String... args) {
        return LoadGenerator.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
