package io.bayeuxd.bench.loadgen;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadConfigTest {

    @Test
    void takesItsServerFromTheUrlNormalizedToHttp() {
        LoadConfig config = LoadConfig.parse("--url", "ws://localhost:8000/cometd");

        assertThat(config.url()).hasToString("http://localhost:8000/cometd");
        assertThat(config.server().path()).isEqualTo("/cometd");
    }

    @Test
    void refusesTargetsOffThisMachine() {
        // Documentation-range literals: nothing is resolved or contacted.
        assertThatThrownBy(() -> LoadConfig.parse("--url", "http://192.0.2.10:8000/"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
        assertThatThrownBy(() -> LoadConfig.parse("--url", "https://127.0.0.1/"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://");
    }

    @Test
    void validatesRanges() {
        assertThatThrownBy(() -> LoadConfig.parse("--channels", "0")).hasMessageContaining("channels");
        assertThatThrownBy(() -> LoadConfig.parse("--publishers=-1")).hasMessageContaining("publishers");
        assertThatThrownBy(() -> LoadConfig.parse("--hold=-1")).hasMessageContaining("hold");
        assertThatThrownBy(() -> LoadConfig.parse("--rate=-1")).hasMessageContaining("rate");
        assertThatThrownBy(() -> LoadConfig.parse("--duration", "0")).hasMessageContaining("duration");
        assertThatThrownBy(() -> LoadConfig.parse("--io-threads", "0")).hasMessageContaining("io-threads");
        assertThatThrownBy(() -> LoadConfig.parse("--label", " ")).hasMessageContaining("label");
    }

    @Test
    void anIdleRunHasNoPublishers() {
        LoadConfig config = LoadConfig.parse("--clients", "10000", "--publishers", "0", "--hold", "20");

        assertThat(config.publishers()).isZero();
        assertThat(config.holdMs()).isEqualTo(20_000);
        assertThat(config.toString()).contains("publishers=0", "hold=20000ms");
    }

    @Test
    void splitsTheRateOverPublishersWithoutLosingTheRemainder() {
        LoadConfig config = LoadConfig.parse("--rate", "10", "--publishers", "3");

        assertThat(config.ratePerSecFor(0)).isEqualTo(4);
        assertThat(config.ratePerSecFor(1)).isEqualTo(3);
        assertThat(config.ratePerSecFor(2)).isEqualTo(3);
    }

    @Test
    void fanoutAndRampDeadline() {
        LoadConfig config = LoadConfig.parse("--clients", "50",
                "--channels", "5",
                "--connect-rate", "25",
                "--ramp-timeout", "1");

        assertThat(config.fanoutPerPublish()).isEqualTo(10);
        assertThat(config.rampDeadlineMs()).isEqualTo(3000);
    }

    @Test
    void spreadsSubscribersOverSeveralServersRoundRobinWithinEveryChannel() {
        LoadConfig oneChannel = LoadConfig.parse("--url", "http://127.0.0.1:8001/,ws://127.0.0.1:8002/,http://localhost:8003/",
                "--clients", "7",
                "--channels", "1");

        assertThat(oneChannel.servers()).extracting(ServerUrl::port).containsExactly(8001, 8002, 8003);
        assertThat(oneChannel.server().port()).as("the publishers' server is the first").isEqualTo(8001);
        assertThat(IntStream.range(0, 7).map(oneChannel::serverOfSubscriber).toArray()).containsExactly(0, 1, 2, 0, 1, 2, 0);
        assertThat(oneChannel.urlList()).isEqualTo("http://127.0.0.1:8001/,http://127.0.0.1:8002/,http://localhost:8003/");

        // Two servers, an even number of channels: i % 2 would put every channel's subscribers on one server.
        LoadConfig rooms = LoadConfig.parse("--url", "http://127.0.0.1:8001/,http://127.0.0.1:8002/",
                "--clients", "40",
                "--channels", "4");
        int[][] perChannelAndServer = new int[4][2];
        for (int i = 0; i < 40; i++) {
            perChannelAndServer[i % 4][rooms.serverOfSubscriber(i)]++;
        }
        for (int[] channel : perChannelAndServer) {
            assertThat(channel).containsExactly(5, 5);
        }
    }

    @Test
    void oneServerTakesEverySubscriber() {
        LoadConfig config = LoadConfig.parse("--clients", "10", "--channels", "3");

        assertThat(config.servers()).hasSize(1);
        assertThat(IntStream.range(0, 10).map(config::serverOfSubscriber).distinct().toArray()).containsExactly(0);
    }

    @Test
    void everyServerOfSeveralMustBeOnThisMachine() {
        assertThatThrownBy(() -> LoadConfig.parse("--url", "http://127.0.0.1:8001/,http://192.0.2.10:8000/"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
        LoadConfig none = LoadConfig.parse();
        none.client.urls = List.of();
        assertThatThrownBy(none::validate).hasMessageContaining("url");
    }
}
