package io.bayeuxd.bench.loadgen;

import org.HdrHistogram.Histogram;

import java.util.Map;

/**
 * What a run measured. Counts cover messages published inside the measurement window only.
 *
 * @param latencyUs          end-to-end latencies in microseconds
 * @param subscribedClients  subscribers subscribed when measurement started
 * @param errors             count per kind, over the whole run
 * @param lastErrors         last detail per kind, for the report
 * @param completed          false when setup failed (no subscriber or publisher came up) and nothing was measured
 * @param loadgenCpuCores    CPU the generator itself used during the measurement, in cores (1.0 = one core busy);
 *                           negative when the JVM cannot tell
 */
record RunResult(
        LoadConfig config,
        String ioTransport,
        boolean completed,
        String note,
        long published,
        long expected,
        long delivered,
        long foreignMessages,
        long rehandshakes,
        long windowStalls,
        int subscribedClients,
        int readyPublishers,
        int deadSessions,
        Histogram latencyUs,
        Map<ErrorKind, Long> errors,
        Map<ErrorKind, String> lastErrors,
        double loadgenCpuCores) {

    long lost() {
        return Math.max(0, expected - delivered);
    }

    /** Deliveries beyond what was owed: duplicates, or a subscriber that joined while a message was in flight. */
    long extra() {
        return Math.max(0, delivered - expected);
    }

    double lostPercent() {
        return expected == 0 ? 0 : 100.0 * lost() / expected;
    }

    long totalErrors() {
        long total = 0;
        for (long count : errors.values()) {
            total += count;
        }
        return total;
    }

    double durationSec() {
        return config.durationMs() / 1000.0;
    }

    double publishedPerSec() {
        return published / durationSec();
    }

    double deliveredPerSec() {
        return delivered / durationSec();
    }

    /** Latency at {@code percentile} in milliseconds; 0 when nothing was recorded. */
    double latencyMs(double percentile) {
        return latencyUs.getTotalCount() == 0 ? 0 : latencyUs.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxLatencyMs() {
        return latencyUs.getTotalCount() == 0 ? 0 : latencyUs.getMaxValue() / 1000.0;
    }

    double meanLatencyMs() {
        return latencyUs.getTotalCount() == 0 ? 0 : latencyUs.getMean() / 1000.0;
    }
}
