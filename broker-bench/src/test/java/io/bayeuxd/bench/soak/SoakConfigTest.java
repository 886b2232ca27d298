package io.bayeuxd.bench.soak;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SoakConfigTest {

    @Test
    void defaultsAreTheTenMinuteTenThousandClientSoak() {
        SoakConfig config = SoakConfig.parse().validate();

        assertThat(config.durationMs()).isEqualTo(600_000);
        assertThat(config.clients()).isEqualTo(10_000);
        assertThat(config.channels()).isEqualTo(100);
        assertThat(config.ratePerSec()).isEqualTo(200);
        assertThat(config.churnPerSec()).isEqualTo(20);
        assertThat(config.warmupMs()).isEqualTo(60_000);
        assertThat(config.brokerIdleTimeoutMs()).as("timeout plus 30 s, as the broker").isEqualTo(40_000);
        assertThat(config.settleTimeoutMs()).isEqualTo(50_000);
        assertThat(config.busyChannel()).isEqualTo(100);
        assertThat(config.wellBehavedSessions()).as("subscribers, busy watchers, publishers, busy publisher")
                .isEqualTo(10_000 + 10 + 4 + 1);
        assertThat(config.slowKeepConnecting()).isTrue();
    }

    @Test
    void aShortSoakWarmsUpForAFifthOfIt() {
        assertThat(SoakConfig.parse("--duration", "60").validate().warmupMs()).isEqualTo(12_000);
    }

    @Test
    void theBrokerMustBeOnLoopback() {
        assertThatThrownBy(() -> SoakConfig.parse("--url", "http://192.0.2.1:8000/").validate())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
        assertThatThrownBy(() -> SoakConfig.parse("--url", "https://127.0.0.1:8000/").validate())
                .hasMessageContaining("http://");
        assertThatThrownBy(() -> SoakConfig.parse("--url", "http://127.0.0.1/").validate())
                .as("the soak names the broker's port").hasMessageContaining("http://host:port/path");
        assertThat(SoakConfig.parse("--url", "http://[::1]:8000/x").validate().server().host()).isEqualTo("::1");
    }

    @Test
    void theEndpointIsSplitForLinksAndTheOpsPaths() {
        SoakConfig config = SoakConfig.parse("--url", "http://127.0.0.1:18765/bayeux").validate();

        assertThat(config.server().host()).isEqualTo("127.0.0.1");
        assertThat(config.server().port()).isEqualTo(18765);
        assertThat(config.server().path()).isEqualTo("/bayeux");
        assertThat(config.server().hostHeader()).isEqualTo("127.0.0.1:18765");
        assertThat(config.server().resolve("/metrics").toString()).isEqualTo("http://127.0.0.1:18765/metrics");
    }

    @Test
    void invalidSettingsAreNamed() {
        assertThatThrownBy(() -> SoakConfig.parse("--publishers", "200").validate()).hasMessageContaining("publishers");
        assertThatThrownBy(() -> SoakConfig.parse("--churn-long-polling", "101").validate()).hasMessageContaining("percentage");
        assertThatThrownBy(() -> SoakConfig.parse("--busy-rate", "0").validate()).hasMessageContaining("busy rate");
        assertThatThrownBy(() -> SoakConfig.parse("--duration", "10",
                "--warmup", "10").validate()).hasMessageContaining("warm-up");
    }

    @Test
    void theCommandLineMapsOntoTheConfigAndRefusesBadOptions() {
        SoakMain main = new SoakMain();
        new picocli.CommandLine(main).parseArgs("--url", "http://127.0.0.1:9000/", "--duration", "180", "--clients", "3000",
                "--churn-rate", "5.5", "--slow-silent", "--broker-timeout", "5", "--out", "x");
        SoakConfig config = main.config.validate();
        assertThat(config.durationMs()).isEqualTo(180_000);
        assertThat(config.clients()).isEqualTo(3000);
        assertThat(config.churnPerSec()).isEqualTo(5.5);
        assertThat(config.slowKeepConnecting()).isFalse();
        assertThat(config.brokerTimeoutMs()).isEqualTo(5_000);
        assertThat(config.brokerIdleTimeoutMs()).isEqualTo(35_000);

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SoakMain.execute(new String[] {"--url", "http://10.1.2.3:8000/"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("loopback");
    }
}
