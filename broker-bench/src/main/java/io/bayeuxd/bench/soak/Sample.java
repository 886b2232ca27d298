package io.bayeuxd.bench.soak;

import java.util.Locale;

/**
 * One sample of the broker and the driver. Memory in bytes, -1 where the value could not be read.
 *
 * @param timeMs          since the start of the soak
 * @param phase           what the soak was doing: baseline, ramp, load, drain, settle, disconnect, final
 * @param marker          empty, or the name of a reference point (baseline, warm, settled, final)
 * @param afterGc         whether a full GC ran just before
 * @param rssBytes        resident set size of the broker process
 * @param heapUsedBytes   {@code jvm_memory_used_bytes{area="heap"}}, summed over pools
 * @param heapCommittedBytes {@code jvm_memory_committed_bytes{area="heap"}}: what the JVM holds for the heap
 * @param directBytes     {@code bayeux_netty_allocator_used_bytes{memory="direct"}}
 * @param openFds         descriptors in {@code /proc/<pid>/fd}, else {@code process_files_open_files}
 * @param sessions        {@code bayeux_sessions}
 * @param webSocketConnections {@code bayeux_connections{transport="websocket"}}
 * @param httpConnections {@code bayeux_connections{transport="http"}}
 * @param droppedSlow     {@code bayeux_messages_dropped_total{reason="slow_consumer"}}
 * @param droppedClosed   {@code bayeux_messages_dropped_total{reason="session_closed"}}
 * @param expired         {@code bayeux_sessions_expired_total}
 * @param delivered       distinct deliveries to well-behaved subscribers so far
 * @param expected        deliveries owed to them so far
 * @param churnStarted    churned clients started so far
 * @param garbageSent     garbage probes sent so far
 * @param brokerCpuSec    {@code process_cpu_seconds_total} of the broker
 * @param driverCpuSec    CPU time of the soak driver itself, which shares the machine
 * @param p99Ms           99th percentile of well-behaved delivery latency since the previous sample
 * @param maxMs           maximum of it since the previous sample
 */
record Sample(long timeMs, String phase, String marker, boolean afterGc, long rssBytes, long heapUsedBytes,
              long heapCommittedBytes, long directBytes, long openFds, long sessions, long webSocketConnections, long httpConnections,
              long droppedSlow, long droppedClosed, long expired, long delivered, long expected,
              long churnStarted, long garbageSent, double brokerCpuSec, double driverCpuSec, double p99Ms, double maxMs) {

    static final String CSV_HEADER = "time_s,phase,marker,after_gc,rss_bytes,heap_used_bytes,heap_committed_bytes,netty_direct_bytes,"
            + "open_fds,sessions,websocket_connections,http_connections,dropped_slow_consumer,dropped_session_closed,"
            + "sessions_expired,wb_delivered,wb_expected,churn_started,garbage_sent,broker_cpu_s,driver_cpu_s,wb_latency_p99_ms,wb_latency_max_ms";

    String csvRow() {
        return String.format(Locale.ROOT, "%.1f,%s,%s,%s,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%.2f,%.2f,%.2f,%.2f",
                timeMs / 1000.0, phase, marker, afterGc ? 1 : 0, rssBytes, heapUsedBytes, heapCommittedBytes, directBytes, openFds,
                sessions, webSocketConnections, httpConnections, droppedSlow, droppedClosed, expired, delivered,
                expected, churnStarted, garbageSent, brokerCpuSec, driverCpuSec, p99Ms, maxMs);
    }

    /** The inverse of {@link #csvRow()}, for redrawing a finished soak's plot. */
    static Sample fromCsvRow(String row) {
        String[] f = row.split(",", -1);
        if (f.length != CSV_HEADER.split(",").length) {
            throw new IllegalArgumentException("expected " + CSV_HEADER.split(",").length + " columns: " + row);
        }
        return new Sample(Math.round(Double.parseDouble(f[0]) * 1000), f[1], f[2], f[3].equals("1"),
                Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]),
                Long.parseLong(f[9]), Long.parseLong(f[10]), Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
                Long.parseLong(f[14]), Long.parseLong(f[15]), Long.parseLong(f[16]), Long.parseLong(f[17]), Long.parseLong(f[18]),
                Double.parseDouble(f[19]), Double.parseDouble(f[20]), Double.parseDouble(f[21]), Double.parseDouble(f[22]));
    }

    double timeSec() {
        return timeMs / 1000.0;
    }
}
