package io.bayeuxd.server;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** The total connection cap: as set, or the open-file limit less what is open and a headroom of max(64, 5 %). */
class ConnectionCapTest {
    @Test
    void aSetCapIsKeptAndZeroMeansNone() {
        assertThat(ConnectionCap.of(10, 20_000, 40).maxConnections()).isEqualTo(10);
        assertThat(ConnectionCap.of(50_000, 20_000, 40).maxConnections()).as("set above the limit: the user's choice").isEqualTo(50_000);
        ConnectionCap none = ConnectionCap.of(0, 20_000, 40);
        assertThat(none.maxConnections()).isZero();
        assertThat(none.explanation()).contains("no connection cap");
    }

    @Test
    void derivedItLeavesFivePercentOfALargeLimitAndAtLeast64() {
        ConnectionCap large = ConnectionCap.of(ConnectionCap.AUTO, 20_000, 40);
        assertThat(large.maxConnections()).isEqualTo(20_000 - 40 - 1_000);
        assertThat(large.explanation()).contains("18960", "20000", "40 open", "1000 kept");
        assertThat(ConnectionCap.of(ConnectionCap.AUTO, 256, 40).maxConnections()).isEqualTo(256 - 40 - 64);
        assertThat(ConnectionCap.of(ConnectionCap.AUTO, 1024, 40).maxConnections()).as("5 % would be 51").isEqualTo(1024 - 40 - 64);
    }

    @Test
    void withoutAUsableLimitThereIsNoDerivedCapAndATinyOneLeavesOneConnection() {
        assertThat(ConnectionCap.of(ConnectionCap.AUTO, -1, -1).maxConnections()).isZero();
        assertThat(ConnectionCap.of(ConnectionCap.AUTO, Long.MAX_VALUE, 40).maxConnections()).isZero();
        ConnectionCap tiny = ConnectionCap.of(ConnectionCap.AUTO, 100, 60);
        assertThat(tiny.maxConnections()).isEqualTo(1);
        assertThat(tiny.explanation()).contains("raise it");
    }

    @Test
    void resolvedHereItReadsThisProcesssLimit() {
        assumeThat(ManagementFactory.getOperatingSystemMXBean()).as("a Unix JVM")
                .isInstanceOf(com.sun.management.UnixOperatingSystemMXBean.class);
        long limit = ((com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getMaxFileDescriptorCount();
        assumeThat(limit).as("a finite open-file limit").isLessThan(Integer.MAX_VALUE);
        ConnectionCap cap = ConnectionCap.resolve(ConnectionCap.AUTO);
        assertThat(cap.fileLimit()).isEqualTo(limit);
        assertThat(cap.openAtStart()).isPositive();
        assertThat(cap.maxConnections()).isBetween(1, (int) (limit - cap.openAtStart() - 64));
        assertThat(ConnectionCap.resolve(7).maxConnections()).isEqualTo(7);
    }
}
