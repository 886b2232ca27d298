package io.bayeuxd.bench.loadgen;

import java.util.List;

/** What every session of a run shares; immutable apart from the counters and timeline it points to. */
final class RunContext {

    final LoadConfig config;
    final RunStats stats;
    final RunTimeline timeline;
    final NanoClock clock;
    /** Links to the first server: the publishers'. */
    final LinkOpener links;
    /** Links to each server of {@link LoadConfig#servers()}, in the same order. */
    private final List<LinkOpener> serverLinks;

    /** A run against one server, or against several that all open links through {@code links}. */
    RunContext(LoadConfig config, RunStats stats, RunTimeline timeline, NanoClock clock, LinkOpener links) {
        this(config, stats, timeline, clock, List.of(links));
    }

    /** A run against {@code serverLinks.size()} servers, one opener each; the first is the publishers'. */
    RunContext(LoadConfig config, RunStats stats, RunTimeline timeline, NanoClock clock, List<LinkOpener> serverLinks) {
        if (serverLinks.isEmpty()) {
            throw new IllegalArgumentException("a run needs at least one server");
        }
        this.config = config;
        this.stats = stats;
        this.timeline = timeline;
        this.clock = clock;
        this.serverLinks = List.copyOf(serverLinks);
        this.links = this.serverLinks.get(0);
    }

    /** Links for subscriber {@code index}: to its server, round-robin over the servers. */
    LinkOpener subscriberLinks(int index) {
        return serverLinks.get(index % serverLinks.size());
    }
}
