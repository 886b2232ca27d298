package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.ClientHarness;

/** A {@link ClientHarness} with a soak's context around it: its settings, stats and ledger. */
final class SoakHarness extends ClientHarness {

    final SoakStats stats = new SoakStats();
    final SoakConfig config;
    final DeliveryLedger ledger;
    final SoakContext soak;

    SoakHarness(SoakConfig config) {
        this.config = config;
        ledger = new DeliveryLedger(config.clients() + config.busyWatchers(), config.channels() + 1);
        soak = new SoakContext(config, stats, ledger, opener, clock);
    }

    static SoakConfig.Builder config() {
        return SoakConfig.builder().url("http://127.0.0.1:8000/").clients(4).channels(2).publishers(1)
                .ratePerSec(100).busyWatchers(0).busyRatePerSec(0).slowConsumers(0).durationMs(60_000)
                .brokerTimeoutMs(10_000).churnLifetimeMs(3_000).churnReceiveTarget(2);
    }
}
