package io.bayeuxd.bench.soak;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the broker every {@code sampleIntervalMs} on a thread of its own, and on demand at the
 * soak's reference points (after a full GC). One sample at a time: the periodic and the on-demand
 * ones take the same lock.
 */
final class BrokerSampler implements AutoCloseable {

    private final BrokerProcess broker;
    private final SoakContext soak;
    private final long startNs;
    private final List<Sample> samples = new ArrayList<>();
    private final List<SoakPlot.PhaseMark> phases = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "soak-sampler");
        t.setDaemon(true);
        return t;
    });
    private volatile String phase;
    private volatile String lastError;
    private final Histogram latencyTotalUs = new Histogram(1, SoakContext.HIGHEST_LATENCY_US, 3);

    BrokerSampler(BrokerProcess broker, SoakContext soak, long startNs) {
        this.broker = broker;
        this.soak = soak;
        this.startNs = startNs;
        phase("baseline");
    }

    /** Starts a phase: later samples carry its name, and the plot marks when it began. */
    synchronized void phase(String phase) {
        this.phase = phase;
        phases.add(new SoakPlot.PhaseMark(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs) / 1000.0, phase));
    }

    synchronized List<SoakPlot.PhaseMark> phases() {
        return List.copyOf(phases);
    }

    String phase() {
        return phase;
    }

    void startPeriodic() {
        long interval = soak.config.sampleIntervalMs();
        timer.scheduleAtFixedRate(() -> {
            try {
                take("", false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                lastError = e.toString();
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** The most recent failure to sample, or null. */
    String lastError() {
        return lastError;
    }

    /** Runs a full GC in the broker, waits a moment, and takes a sample marked {@code marker}. */
    Sample takeAfterGc(String marker) throws InterruptedException {
        String gcProblem = broker.fullGc();
        if (gcProblem != null) {
            lastError = gcProblem;
        }
        Thread.sleep(500);
        return take(marker, gcProblem == null);
    }

    /** Takes one sample now and keeps it; null when the broker could not be scraped. */
    synchronized Sample take(String marker, boolean afterGc) throws InterruptedException {
        String metrics;
        try {
            metrics = broker.scrape();
        } catch (IOException e) {
            lastError = "scrape failed: " + e;
            return null;
        }
        // After the scrape, so the scraper's own connection is counted the same way every time.
        long fds = broker.openFds();
        if (fds < 0) {
            fds = asLong(PrometheusText.sum(metrics, "process_files_open_files"));
        }
        Histogram interval = soak.latencyUs.getIntervalHistogram();
        latencyTotalUs.add(interval);
        double p99Ms = interval.getTotalCount() == 0 ? 0 : interval.getValueAtPercentile(99) / 1000.0;
        double maxMs = interval.getTotalCount() == 0 ? 0 : interval.getMaxValue() / 1000.0;
        Sample sample = new Sample(
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs), phase, marker, afterGc,
                broker.rssBytes(),
                asLong(PrometheusText.sum(metrics, "jvm_memory_used_bytes", "area", "heap")),
                asLong(PrometheusText.sum(metrics, "jvm_memory_committed_bytes", "area", "heap")),
                asLong(PrometheusText.sum(metrics, "bayeux_netty_allocator_used_bytes", "memory", "direct")),
                fds,
                asLong(PrometheusText.sum(metrics, "bayeux_sessions")),
                asLong(PrometheusText.sum(metrics, "bayeux_connections", "transport", "websocket")),
                asLong(PrometheusText.sum(metrics, "bayeux_connections", "transport", "http")),
                asLong(PrometheusText.sum(metrics, "bayeux_messages_dropped_total", "reason", "slow_consumer")),
                asLong(PrometheusText.sum(metrics, "bayeux_messages_dropped_total", "reason", "session_closed")),
                asLong(PrometheusText.sum(metrics, "bayeux_sessions_expired_total")),
                soak.ledger.deliveredSoFar(), soak.ledger.expectedSoFar(),
                soak.stats.churnStarted.sum(), soak.stats.garbageSent.sum(),
                PrometheusText.sum(metrics, "process_cpu_seconds_total"), driverCpuSec(), p99Ms, maxMs);
        samples.add(sample);
        return sample;
    }

    /** Every well-behaved delivery latency harvested so far, in microseconds. */
    synchronized Histogram latencyTotalUs() {
        return latencyTotalUs.copy();
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** CPU seconds this JVM has used, or NaN where the platform does not say. */
    private static double driverCpuSec() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long ns = os.getProcessCpuTime();
            return ns < 0 ? Double.NaN : ns / 1e9;
        }
        return Double.NaN;
    }

    private static long asLong(double value) {
        return Double.isNaN(value) ? -1 : Math.round(value);
    }
}
