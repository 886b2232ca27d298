package io.bayeuxd.bench.loadgen;

import picocli.CommandLine.Option;

import java.util.List;

/**
 * The options the load generator and the S6 storm share, declared once: where the servers are, how
 * many clients come and how fast, and how long each phase lasts. A picocli mixin of {@link LoadConfig}
 * and of {@link StormGenerator}, whose own defaults come from its default provider. Read through
 * {@link LoadConfig}, which validates them.
 */
final class ClientOptions {

    @Option(names = "--url", split = ",", paramLabel = "<url>", defaultValue = "http://127.0.0.1:8000/",
            description = "Bayeux endpoint, http:// or ws:// on a loopback address (default ${DEFAULT-VALUE}); "
                    + "e.g. http://127.0.0.1:8080/cometd. Several (repeat the option, or separate with commas) "
                    + "are the nodes of one cluster: subscribers are spread over them round-robin, every "
                    + "channel's too, and the publishers all use the first")
    List<String> urls;

    @Option(names = "--clients", defaultValue = "100", description = "subscribing clients (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--size", defaultValue = "100", description = "bytes of each message's data object (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--duration", defaultValue = "30",
            description = "seconds of measurement; in S6, of each broadcast phase (default ${DEFAULT-VALUE})")
    double durationSec;

    @Option(names = "--drain", defaultValue = "5",
            description = "seconds to wait after the last publish for outstanding deliveries (default ${DEFAULT-VALUE})")
    double drainSec;

    @Option(names = "--hold", defaultValue = "0",
            description = "seconds subscribers stay connected and idle after the ramp, before publishing (default ${DEFAULT-VALUE})")
    double holdSec;

    @Option(names = "--connect-rate", defaultValue = "500",
            description = "client handshakes per second during the ramp-up (default ${DEFAULT-VALUE})")
    long connectRate;

    @Option(names = "--ramp-timeout", defaultValue = "30",
            description = "seconds allowed beyond the paced ramp for all clients to subscribe (default ${DEFAULT-VALUE})")
    double rampTimeoutSec;

    @Option(names = "--io-threads", defaultValue = "1", description = "event-loop threads (default ${DEFAULT-VALUE})")
    int ioThreads;

    @Option(names = "--label", defaultValue = "run", description = "name of the run, used for the output files (default ${DEFAULT-VALUE})")
    String label;

    @Option(names = "--quiet", description = "no progress lines on stderr")
    boolean quiet;
}
