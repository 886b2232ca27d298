package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.ClientHarness;

import java.util.stream.Stream;

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

    /** A small soak's settings, validated; {@code more} options replace them. */
    static SoakConfig config(String... more) {
        String[] base = {"--url", "http://127.0.0.1:8000/", "--clients", "4", "--channels", "2", "--publishers", "1",
                "--rate", "100", "--busy-watchers", "0", "--busy-rate", "0", "--slow", "0", "--duration", "60",
                "--broker-timeout", "10", "--churn-lifetime", "3"};
        SoakConfig config = SoakConfig.parse(Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new));
        config.churnReceiveTarget = 2;
        return config.validate();
    }
}
