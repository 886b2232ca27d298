package io.bayeuxd.bench.soak;

import org.HdrHistogram.Recorder;

import java.util.function.LongSupplier;

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
    final LinkSource links;
    final LongSupplier nanoClock;
    /** Zero of the {@code data.ts} the publishers stamp: nanoseconds since this instant. */
    final long baseNs;
    /** Publish-to-arrival latency of well-behaved deliveries; HdrHistogram's recorder takes concurrent writers. */
    final Recorder latencyUs = new Recorder(1, HIGHEST_LATENCY_US, 3);

    SoakContext(SoakConfig config, SoakStats stats, DeliveryLedger ledger, LinkSource links, LongSupplier nanoClock) {
        this.config = config;
        this.stats = stats;
        this.ledger = ledger;
        this.links = links;
        this.nanoClock = nanoClock;
        this.baseNs = nanoClock.getAsLong();
    }

    long nanoTime() {
        return nanoClock.getAsLong();
    }
}
