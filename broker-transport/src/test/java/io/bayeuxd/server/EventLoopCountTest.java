package io.bayeuxd.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How many event loops {@code --io-threads} gives: the number asked for, or one per core when it is 0. */
class EventLoopCountTest {

    @Test
    void zeroGivesOneLoopPerCore() {
        assertThat(BrokerServer.ioThreads(0, 2)).isEqualTo(2);
        assertThat(BrokerServer.ioThreads(0, 16)).isEqualTo(16);
        assertThat(BrokerServer.ioThreads(0, 0)).isEqualTo(1);
    }

    @Test
    void aNumberGivenIsKept() {
        assertThat(BrokerServer.ioThreads(1, 8)).isEqualTo(1);
        assertThat(BrokerServer.ioThreads(6, 2)).isEqualTo(6);
    }

    @Test
    void aServerWithTheDefaultRunsOneLoopPerCore() throws Exception {
        BrokerServer server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).build()).start();
        try {
            assertThat(server.ioThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        } finally {
            server.close();
        }
    }
}
