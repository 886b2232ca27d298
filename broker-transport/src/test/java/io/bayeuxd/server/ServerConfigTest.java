package io.bayeuxd.server;

import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.transport.TransportConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link ServerConfig#builder()} decides beyond the single settings: the ones that depend on others. */
class ServerConfigTest {
    @Test
    void switchingJsonpOffInTheTransportStopsTheBrokerOfferingIt() {
        ServerConfig c = ServerConfig.builder().transport(TransportConfig.builder().jsonpEnabled(false).build()).build();
        assertThat(c.transport().jsonpEnabled()).isFalse();
        assertThat(c.broker().connectionTypes()).containsExactly("long-polling", "cross-origin-long-polling", "websocket", "eventsource");
    }

    @Test
    void aBrokerThatDoesNotOfferCallbackPollingSwitchesJsonpOff() {
        ServerConfig c = ServerConfig.builder()
                .broker(BrokerConfig.builder().connectionTypes(List.of("long-polling", "websocket")).build()).build();
        assertThat(c.transport().jsonpEnabled()).isFalse();
        assertThat(c.broker().connectionTypes()).containsExactly("long-polling", "websocket");
    }

    @Test
    void anUnsetIdleTimeoutFollowsTheBrokersConnectTimeout() {
        ServerConfig c = ServerConfig.builder().broker(BrokerConfig.builder().timeoutMs(45_000).build()).build();
        assertThat(c.transport().idleTimeoutMs()).isEqualTo(75_000);
        c = ServerConfig.builder().broker(BrokerConfig.builder().timeoutMs(45_000).build())
                .transport(TransportConfig.builder().idleTimeoutMs(0).build()).build();
        assertThat(c.transport().idleTimeoutMs()).as("0 is never").isZero();
        c = ServerConfig.builder().transport(TransportConfig.builder().idleTimeoutMs(300).build()).build();
        assertThat(c.transport().idleTimeoutMs()).isEqualTo(300);
        assertThat(TransportConfig.defaults().idleTimeoutMs()).as("alone, the default connect timeout's").isEqualTo(90_000);
    }

    @Test
    void theRedisEngineNeedsARedisUrl() {
        assertThat(ServerConfig.builder().build().engine()).isEqualTo(EngineKind.MEMORY);
        assertThat(ServerConfig.builder().build().redisUrl()).isNull();
        assertThatThrownBy(() -> ServerConfig.builder().engine(EngineKind.REDIS).build())
                .hasMessageContaining("--redis-url is required when --engine is redis");
        ServerConfig c = ServerConfig.builder().engine(EngineKind.REDIS).redisUrl("redis-sentinel://s1:26379,s2:26379/main").build();
        assertThat(c.engine()).isEqualTo(EngineKind.REDIS);
        assertThat(c.redisUrl()).isEqualTo("redis-sentinel://s1:26379,s2:26379/main");
        assertThatThrownBy(() -> ServerConfig.builder().redisUrl("http://user:hunter2@cache").build())
                .hasMessageContaining("--redis-url must be a redis://").hasMessageNotContaining("hunter2");
    }

    @Test
    void builderChecksNameTheSetting() {
        assertThatThrownBy(() -> ServerConfig.builder().port(70_000).build()).hasMessage("--port must be between 0 and 65535, not 70000");
        assertThatThrownBy(() -> ServerConfig.builder().managementPort(-2).build())
                .hasMessage("--management-port must be between 0 and 65535 (or -1: none), not -2");
        assertThatThrownBy(() -> BrokerConfig.builder().timeoutMs(500).build()).hasMessage("--timeout must be at least 1 s, not 0.5 s");
        assertThatThrownBy(() -> TransportConfig.builder().idleTimeoutMs(-5).build())
                .hasMessageStartingWith("--idle-timeout must be at least 0");
        assertThatThrownBy(() -> TransportConfig.builder().mount("faye").build()).hasMessage("--mount must start with /, not faye");
    }

    @Test
    void storedChannelsWithRedisAreKeptInRedisOnAStandaloneRedisOnly() {
        io.bayeuxd.broker.BrokerConfig stored = io.bayeuxd.broker.BrokerConfig.builder()
                .storage(java.util.List.of("/chat/**=10"), java.util.List.of(), 10, 1024, 10).build();
        assertThat(ServerConfig.builder().engine(EngineKind.REDIS).redisUrl("redis://127.0.0.1:6379").broker(stored).build()
                .broker().storage().isEmpty()).isFalse();
        assertThatThrownBy(() -> ServerConfig.builder().engine(EngineKind.REDIS).redisUrl("redis-cluster://h:7000")
                .broker(stored).build()).hasMessageContaining("not supported on a Redis Cluster");
        assertThatThrownBy(() -> ServerConfig.builder().engine(EngineKind.REDIS).redisUrl("redis://127.0.0.1:6379")
                .broker(stored.toBuilder().dataDir(java.nio.file.Path.of("/tmp/x"), io.bayeuxd.storage.StorageLog.Fsync.NEVER)
                        .build()).build()).hasMessageContaining("--data-dir is for a node alone");
    }
}
