package io.bayeuxd.bench.loadgen;

/** What every session of a run shares; immutable apart from the counters and timeline it points to. */
final class RunContext {

    final LoadConfig config;
    final RunStats stats;
    final RunTimeline timeline;
    final NanoClock clock;
    final LinkOpener links;

    RunContext(LoadConfig config, RunStats stats, RunTimeline timeline, NanoClock clock, LinkOpener links) {
        this.config = config;
        this.stats = stats;
        this.timeline = timeline;
        this.clock = clock;
        this.links = links;
    }
}
