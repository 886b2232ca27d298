package io.bayeuxd.bench.soak;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTextTest {

    static final String METRICS = String.join("\n",
            "# HELP jvm_memory_used_bytes The amount of used memory",
            "# TYPE jvm_memory_used_bytes gauge",
            "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"} 1.2E7",
            "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\"} 3000000.0",
            "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"} 5.0E7",
            "jvm_memory_used_bytes_extra{area=\"heap\"} 99",
            "bayeux_sessions 10042.0",
            "bayeux_sessions_expired_total 17.0",
            "bayeux_messages_dropped_total{reason=\"slow_consumer\"} 12345.0",
            "bayeux_messages_dropped_total{reason=\"session_closed\"} 3.0",
            "odd_label{path=\"a \\\"quoted\\\" b\",x=\"1\"} 7 1700000000000",
            "");

    @Test
    void sumsTheSamplesOfOneMetricWhoseLabelsMatch() {
        assertThat(PrometheusText.sum(METRICS, "jvm_memory_used_bytes", "area", "heap")).isEqualTo(1.5e7);
        assertThat(PrometheusText.sum(METRICS, "jvm_memory_used_bytes")).isEqualTo(6.5e7);
        assertThat(PrometheusText.sum(METRICS, "bayeux_messages_dropped_total", "reason", "slow_consumer")).isEqualTo(12345);
    }

    @Test
    void aNameIsMatchedExactlyNotAsAPrefix() {
        assertThat(PrometheusText.sum(METRICS, "bayeux_sessions")).isEqualTo(10042);
        assertThat(PrometheusText.sum(METRICS, "bayeux_sessions_expired_total")).isEqualTo(17);
    }

    @Test
    void anAbsentMetricOrLabelIsNaN() {
        assertThat(PrometheusText.sum(METRICS, "process_open_fds")).isNaN();
        assertThat(PrometheusText.sum(METRICS, "jvm_memory_used_bytes", "area", "offheap")).isNaN();
    }

    @Test
    void quotedLabelValuesAndTimestampsAreRead() {
        assertThat(PrometheusText.sum(METRICS, "odd_label", "path", "a \"quoted\" b")).isEqualTo(7);
        assertThat(PrometheusText.parseLabels("a=\"1\", b=\"x,y\"")).containsEntry("a", "1").containsEntry("b", "x,y");
    }

    @Test
    void vmRssIsReadFromProcStatusInBytes() {
        List<String> status = List.of("Name:\tjava", "VmPeak:\t 9999 kB", "VmRSS:\t  123456 kB", "Threads:\t40");
        assertThat(BrokerProcess.vmRssBytes(status)).isEqualTo(123456L * 1024);
        assertThat(BrokerProcess.vmRssBytes(List.of("Name:\tjava"))).isEqualTo(-1);
    }
}
