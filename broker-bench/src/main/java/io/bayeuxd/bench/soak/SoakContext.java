package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.LinkOpener;
import io.bayeuxd.bench.loadgen.NanoClock;
import org.HdrHistogram.Recorder;

/**
 * What every client of a soak run shares: the settings, the counters, the ledger, the way to open
 * links, the clock and the delivery-latency recorder. Immutable apart from what those point to.
 */
final class SoakContext {

    /** Latencies in microseconds up to an hour, three significant digits. */
    static final long HIGHEST_LATENCY_US = 3_600_000_000L;

    final SoakConfig config;
    final SoakStats stats;
    final DeliveryLedger ledger;
    final LinkOpener links;
    final NanoClock clock;
    /** Zero of the {@code data.ts} the publishers stamp: nanoseconds since this instant. */
    final long baseNs;
    /** Publish-to-arrival latency of well-behaved deliveries; HdrHistogram's recorder takes concurrent writers. */
    final Recorder latencyUs = new Recorder(1, HIGHEST_LATENCY_US, 3);

    SoakContext(SoakConfig config, SoakStats stats, DeliveryLedger ledger, LinkOpener links, NanoClock clock) {
        this.config = config;
        this.stats = stats;
        this.ledger = ledger;
        this.links = links;
        this.clock = clock;
        this.baseNs = clock.nanoTime();
    }

    long nanoTime() {
        return clock.nanoTime();
    }
}
