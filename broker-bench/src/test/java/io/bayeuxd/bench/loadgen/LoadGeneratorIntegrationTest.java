package io.bayeuxd.bench.loadgen;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the generator for a few seconds against a live Bayeux server on loopback, over each
 * transport, and checks that every message owed was delivered without error.
 *
 * <p>Skipped unless the server is named: {@code -Dloadgen.it.url=http://127.0.0.1:8000/}. Optionally
 * {@code -Dloadgen.it.transports=websocket} (or {@code long-polling}) limits the transports. For other
 * Bayeux servers (it was validated against Faye 1.4 and CometD 9); {@code LoadGeneratorSmokeTest} runs
 * the generator against this broker in every build.
 */
class LoadGeneratorIntegrationTest {

    static final String URL_PROPERTY = "loadgen.it.url";
    static final String TRANSPORTS_PROPERTY = "loadgen.it.transports";

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    @Timeout(60)
    void deliversEveryMessageToEverySubscriber(TransportKind transport) throws Exception {
        String url = System.getProperty(URL_PROPERTY, "").trim();
        Assumptions.assumeFalse(url.isEmpty(),
                "no live server: run with -D" + URL_PROPERTY + "=http://127.0.0.1:<port>/ to test against one");
        String transports = System.getProperty(TRANSPORTS_PROPERTY, "").trim();
        Assumptions.assumeTrue(transports.isEmpty()
                        || List.of(transports.toLowerCase(Locale.ROOT).split("\\s*,\\s*")).contains(transport.bayeuxName()),
                transport + " not in -D" + TRANSPORTS_PROPERTY + "=" + transports);

        Path out = Path.of("target", "loadgen-it");
        LoadConfig config = LoadConfig.parse("--url", url,
                "--transport", transport.bayeuxName(),
                "--clients", "20",
                "--channels", "4",
                "--publishers", "2",
                "--rate", "50",
                "--size", "128",
                "--warmup", "1",
                "--duration", "3",
                "--drain", "3",
                "--connect-rate", "100",
                "--ramp-timeout", "10",
                "--out", out.toString(),
                "--label", "it-" + transport.bayeuxName());

        RunResult result = new LoadRun(config, null).run();
        ResultReport report = new ResultReport(result);
        List<Path> files = report.writeFiles(out);

        assertThat(result.completed()).as(report.table()).isTrue();
        assertThat(result.subscribedClients()).as(report.table()).isEqualTo(20);
        assertThat(result.totalErrors()).as(report.table()).isZero();
        // 50 msg/s for 3 s, give or take the message on each edge of the window.
        assertThat(result.published()).as(report.table()).isBetween(148L, 152L);
        assertThat(result.expected()).as("5 subscribers per channel").isEqualTo(result.published() * 5);
        assertThat(result.delivered()).as(report.table()).isEqualTo(result.expected());
        assertThat(result.latencyUs().getTotalCount()).isEqualTo(result.delivered());
        assertThat(result.latencyMs(50)).isPositive();
        for (Path file : files) {
            assertThat(Files.size(file)).as(file.toString()).isPositive();
        }
    }
}
