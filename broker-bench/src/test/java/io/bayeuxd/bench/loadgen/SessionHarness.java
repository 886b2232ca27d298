package io.bayeuxd.bench.loadgen;

import org.HdrHistogram.Histogram;

import java.util.stream.Stream;

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

    /** A small run's settings; {@code more} options replace them. */
    static LoadConfig config(String... more) {
        // No --url: the default is 127.0.0.1:8000, and a given --url would add to this one rather than replace it.
        String[] base = {"--clients", "4", "--channels", "2", "--publishers", "1",
                "--rate", "100", "--window", "100", "--size", "64", "--duration", "10", "--warmup", "1"};
        return LoadConfig.parse(Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new));
    }

    Histogram latencies() {
        Histogram h = LoopContext.newHistogram();
        loop.harvest(h);
        return h;
    }
}
