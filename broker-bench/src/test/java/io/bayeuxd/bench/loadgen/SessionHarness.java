package io.bayeuxd.bench.loadgen;

import org.HdrHistogram.Histogram;

/** A {@link ClientHarness} with a load run's context around it: its stats, timeline and settings. */
final class SessionHarness extends ClientHarness {

    final RunStats stats;
    final RunTimeline timeline;
    final RunContext run;

    SessionHarness(LoadConfig config) {
        stats = new RunStats(config.channels());
        timeline = new RunTimeline(clock.nowNs);
        run = new RunContext(config, stats, timeline, clock, opener);
    }

    static LoadConfig.Builder config() {
        return LoadConfig.builder().url("http://127.0.0.1:8000/").clients(4).channels(2).publishers(1)
                .ratePerSec(100).window(100).payloadBytes(64).durationMs(10_000).warmupMs(1_000);
    }

    Histogram latencies() {
        Histogram h = LoopContext.newHistogram();
        loop.harvest(h);
        return h;
    }
}
