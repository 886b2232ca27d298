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
        LoadConfig config = LoadConfig.builder().url("ws://localhost:8000/cometd").build();

        assertThat(config.url()).hasToString("http://localhost:8000/cometd");
        assertThat(config.server().path()).isEqualTo("/cometd");
    }

    @Test
    void refusesTargetsOffThisMachine() {
        // Documentation-range literals: nothing is resolved or contacted.
        assertThatThrownBy(() -> LoadConfig.builder().url("http://192.0.2.10:8000/").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
        assertThatThrownBy(() -> LoadConfig.builder().url("https://127.0.0.1/").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://");
    }

    @Test
    void validatesRanges() {
        assertThatThrownBy(() -> LoadConfig.builder().channels(0).build()).hasMessageContaining("channels");
        assertThatThrownBy(() -> LoadConfig.builder().publishers(-1).build()).hasMessageContaining("publishers");
        assertThatThrownBy(() -> LoadConfig.builder().holdMs(-1).build()).hasMessageContaining("hold");
        assertThatThrownBy(() -> LoadConfig.builder().ratePerSec(-1).build()).hasMessageContaining("rate");
        assertThatThrownBy(() -> LoadConfig.builder().durationMs(0).build()).hasMessageContaining("duration");
        assertThatThrownBy(() -> LoadConfig.builder().ioThreads(0).build()).hasMessageContaining("io-threads");
        assertThatThrownBy(() -> LoadConfig.builder().label(" ").build()).hasMessageContaining("label");
    }

    @Test
    void anIdleRunHasNoPublishers() {
        LoadConfig config = LoadConfig.builder().clients(10_000).publishers(0).holdMs(20_000).build();

        assertThat(config.publishers()).isZero();
        assertThat(config.holdMs()).isEqualTo(20_000);
        assertThat(config.toString()).contains("publishers=0", "hold=20000ms");
    }

    @Test
    void splitsTheRateOverPublishersWithoutLosingTheRemainder() {
        LoadConfig config = LoadConfig.builder().ratePerSec(10).publishers(3).build();

        assertThat(config.ratePerSecFor(0)).isEqualTo(4);
        assertThat(config.ratePerSecFor(1)).isEqualTo(3);
        assertThat(config.ratePerSecFor(2)).isEqualTo(3);
    }

    @Test
    void fanoutAndRampDeadline() {
        LoadConfig config = LoadConfig.builder().clients(50).channels(5).connectRatePerSec(25).rampTimeoutMs(1000).build();

        assertThat(config.fanoutPerPublish()).isEqualTo(10);
        assertThat(config.rampDeadlineMs()).isEqualTo(3000);
    }

    @Test
    void spreadsSubscribersOverSeveralServersRoundRobinWithinEveryChannel() {
        LoadConfig oneChannel = LoadConfig.builder()
                .urls(List.of(URI.create("http://127.0.0.1:8001/"), URI.create("ws://127.0.0.1:8002/"), URI.create("http://localhost:8003/")))
                .clients(7).channels(1).build();

        assertThat(oneChannel.servers()).extracting(ServerUrl::port).containsExactly(8001, 8002, 8003);
        assertThat(oneChannel.server().port()).as("the publishers' server is the first").isEqualTo(8001);
        assertThat(IntStream.range(0, 7).map(oneChannel::serverOfSubscriber).toArray()).containsExactly(0, 1, 2, 0, 1, 2, 0);
        assertThat(oneChannel.urlList()).isEqualTo("http://127.0.0.1:8001/,http://127.0.0.1:8002/,http://localhost:8003/");

        // Two servers, an even number of channels: i % 2 would put every channel's subscribers on one server.
        LoadConfig rooms = LoadConfig.builder()
                .urls(List.of(URI.create("http://127.0.0.1:8001/"), URI.create("http://127.0.0.1:8002/")))
                .clients(40).channels(4).build();
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
        LoadConfig config = LoadConfig.builder().clients(10).channels(3).build();

        assertThat(config.servers()).hasSize(1);
        assertThat(IntStream.range(0, 10).map(config::serverOfSubscriber).distinct().toArray()).containsExactly(0);
    }

    @Test
    void everyServerOfSeveralMustBeOnThisMachine() {
        assertThatThrownBy(() -> LoadConfig.builder()
                .urls(List.of(URI.create("http://127.0.0.1:8001/"), URI.create("http://192.0.2.10:8000/"))).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
        assertThatThrownBy(() -> LoadConfig.builder().urls(List.of()).build()).hasMessageContaining("url");
    }
}
