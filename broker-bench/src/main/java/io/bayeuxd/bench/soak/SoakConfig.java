package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.ServerUrl;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

import static io.bayeuxd.bench.loadgen.Settings.check;

/**
 * Everything one soak run needs. Each setting is declared once: as a picocli option with its default
 * and description, which {@link SoakMain} mixes in, or, for the few that only tests change, as a field
 * with its default. {@link #validate()} checks them all once; nothing changes them after. Units are in
 * the accessors' names.
 *
 * <p>The broker must be on a loopback address ({@link ServerUrl}): the soak opens thousands of
 * connections and sends garbage on purpose, which nobody else should receive.
 */
final class SoakConfig {

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8000/", description = "broker endpoint on loopback (default ${DEFAULT-VALUE})")
    String url;
    @Option(names = "--broker-pid", defaultValue = "0", description = "broker process id, for RSS, descriptors and jcmd GC.run")
    long brokerPid;
    @Option(names = "--duration", defaultValue = "600", description = "seconds of load (default ${DEFAULT-VALUE})")
    long durationSec;
    @Option(names = "--warmup", defaultValue = "-1", description = "seconds into the load of the reference sample; -1: a fifth of the duration, at most 60")
    long warmupSec;
    @Option(names = "--clients", defaultValue = "10000", description = "well-behaved WebSocket subscribers (default ${DEFAULT-VALUE})")
    int clients;
    @Option(names = "--channels", defaultValue = "100", description = "channels they spread over (default ${DEFAULT-VALUE})")
    int channels;
    @Option(names = "--publishers", defaultValue = "4", description = "publishers sharing the channels (default ${DEFAULT-VALUE})")
    int publishers;
    @Option(names = "--rate", defaultValue = "200", description = "messages per second over the channels (default ${DEFAULT-VALUE})")
    long rate;
    @Option(names = "--size", defaultValue = "200", description = "bytes of each message's data (default ${DEFAULT-VALUE})")
    int size;
    @Option(names = "--busy-rate", defaultValue = "200", description = "messages per second on the busy channel (default ${DEFAULT-VALUE})")
    long busyRate;
    @Option(names = "--busy-size", defaultValue = "1024", description = "bytes of each busy message's data (default ${DEFAULT-VALUE})")
    int busySize;
    @Option(names = "--busy-watchers", defaultValue = "10", description = "well-behaved subscribers of the busy channel (default ${DEFAULT-VALUE})")
    int busyWatchers;
    @Option(names = "--churn-rate", defaultValue = "20", description = "churned clients started per second (default ${DEFAULT-VALUE})")
    double churnRate;
    @Option(names = "--churn-long-polling", defaultValue = "30", description = "percent of churned clients on long-polling (default ${DEFAULT-VALUE})")
    int churnLongPolling;
    @Option(names = "--churn-abrupt", defaultValue = "30", description = "percent that drop the connection instead of disconnecting (default ${DEFAULT-VALUE})")
    int churnAbrupt;
    @Option(names = "--churn-lifetime", defaultValue = "3", description = "seconds a churned client stays at most (default ${DEFAULT-VALUE})")
    double churnLifetimeSec;
    @Option(names = "--slow", defaultValue = "5", description = "slow consumers alive at once (default ${DEFAULT-VALUE})")
    int slow;
    @Option(names = "--slow-lifetime", defaultValue = "60", description = "seconds one slow consumer stays stalled before a fresh one replaces it (default ${DEFAULT-VALUE})")
    long slowLifetimeSec;
    @Option(names = "--slow-silent", description = "slow consumers send nothing once stalled (then the broker expires them) "
            + "instead of keeping their sessions alive with /meta/connect")
    boolean slowSilent;
    @Option(names = "--slow-chatter", defaultValue = "0", description = "milliseconds between the /meta/subscribe requests "
            + "a stalled slow consumer sends besides its connects; 0 for none (default ${DEFAULT-VALUE})")
    long slowChatterMs;
    @Option(names = "--garbage-rate", defaultValue = "2", description = "garbage probes per second (default ${DEFAULT-VALUE})")
    double garbageRate;
    @Option(names = "--broker-timeout", defaultValue = "10", description = "the broker's --timeout in seconds (default ${DEFAULT-VALUE})")
    long brokerTimeoutSec;
    @Option(names = "--broker-max-message-bytes", defaultValue = "1048576", description = "the broker's --max-message-bytes (default ${DEFAULT-VALUE})")
    int brokerMaxMessageBytes;
    @Option(names = "--connect-rate", defaultValue = "500", description = "subscriber handshakes per second in the ramp (default ${DEFAULT-VALUE})")
    long connectRate;
    @Option(names = "--sample-interval", defaultValue = "5", description = "seconds between samples (default ${DEFAULT-VALUE})")
    double sampleIntervalSec;
    @Option(names = "--fd-slack", defaultValue = "16", description = "descriptors above the baseline still counted as back (default ${DEFAULT-VALUE})")
    int fdSlack;
    @Option(names = "--io-threads", defaultValue = "1", description = "driver event loops (default ${DEFAULT-VALUE})")
    int ioThreads;
    @Option(names = "--out", defaultValue = "target/soak", description = "directory for soak.csv, phases.csv, soak.svg, summary.txt (default ${DEFAULT-VALUE})")
    Path outDir;

    // Not options: the soak's own margins.
    /** Deliveries after which a churned client leaves, if its lifetime has not ended first. */
    int churnReceiveTarget = 3;
    int churnMaxAlive = 1_000;
    int slowReceiveBufferBytes = 4096;
    long rampTimeoutMs = 60_000;
    long drainMs = 15_000;
    long disconnectTimeoutMs = 30_000;
    long heapSlackBytes = 16L << 20;
    double heapSlackRatio = 0.10;

    /** Set by {@link #validate()}. */
    private ServerUrl server;

    /**
     * The settings {@code args} name and the defaults for the rest, not yet validated; for tests.
     * A later occurrence of an option replaces an earlier one.
     */
    static SoakConfig parse(String... args) {
        SoakConfig config = new SoakConfig();
        new CommandLine(config).setOverwrittenOptionsAllowed(true).parseArgs(args);
        return config;
    }

    // Accessors, in units their names say; what each option means is in its description above.

    /** The broker's endpoint, {@code http://host:port/path}; {@code /metrics} is on the same port. */
    ServerUrl server() { return server; }
    URI url() { return server.uri(); }
    long brokerPid() { return brokerPid; }
    /** How long the load (publishing, churn, slow consumers, garbage) runs, after the ramp. */
    long durationMs() { return durationSec * 1000; }
    /** Into the load, when the reference sample (after a GC) is taken. */
    long warmupMs() { return warmupSec >= 0 ? warmupSec * 1000 : Math.min(60_000, durationMs() / 5); }
    int clients() { return clients; }
    int channels() { return channels; }
    int publishers() { return publishers; }
    long ratePerSec() { return rate; }
    int payloadBytes() { return size; }
    long busyRatePerSec() { return busyRate; }
    int busyPayloadBytes() { return busySize; }
    int busyWatchers() { return busyWatchers; }
    /** Index of the busy channel: one past the regular ones. */
    int busyChannel() { return channels; }
    double churnPerSec() { return churnRate; }
    int churnLongPollPercent() { return churnLongPolling; }
    int churnAbruptPercent() { return churnAbrupt; }
    long churnLifetimeMs() { return Math.round(churnLifetimeSec * 1000); }
    int churnReceiveTarget() { return churnReceiveTarget; }
    int churnMaxAlive() { return churnMaxAlive; }
    int slowConsumers() { return slow; }
    long slowLifetimeMs() { return slowLifetimeSec * 1000; }
    boolean slowKeepConnecting() { return !slowSilent; }
    int slowReceiveBufferBytes() { return slowReceiveBufferBytes; }
    long slowChatterMs() { return slowChatterMs; }
    double garbagePerSec() { return garbageRate; }
    /** The broker's {@code --timeout}: connects are held this long, silent sessions expire after twice it. */
    long brokerTimeoutMs() { return brokerTimeoutSec * 1000; }
    /** The broker's idle-connection timeout; by default its {@code --timeout} plus 30 s, as the broker does. */
    long brokerIdleTimeoutMs() { return brokerTimeoutMs() + 30_000; }
    int brokerMaxMessageBytes() { return brokerMaxMessageBytes; }
    long connectRatePerSec() { return connectRate; }
    long rampTimeoutMs() { return rampTimeoutMs; }
    long drainMs() { return drainMs; }
    /** Long enough for every abandoned session to expire: twice the broker timeout plus 30 s. */
    long settleTimeoutMs() { return 2 * brokerTimeoutMs() + 30_000; }
    long disconnectTimeoutMs() { return disconnectTimeoutMs; }
    long sampleIntervalMs() { return Math.round(sampleIntervalSec * 1000); }
    int fdSlack() { return fdSlack; }
    long heapSlackBytes() { return heapSlackBytes; }
    double heapSlackRatio() { return heapSlackRatio; }
    int ioThreads() { return ioThreads; }
    Path outDir() { return outDir; }

    /** Sessions the broker should hold once only the well-behaved clients are left. */
    int wellBehavedSessions() {
        return clients + busyWatchers + publishers + (busyRate > 0 ? 1 : 0);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "url=%s pid=%d duration=%ds warmup=%ds clients=%d channels=%d publishers=%d rate=%d/s size=%d "
                        + "busy=%d/s x %d B watchers=%d churn=%.1f/s (lp %d%%, abrupt %d%%, %d ms) slow=%d "
                        + "(lifetime %ds%s) garbage=%.1f/s timeout=%ds io=%d",
                server, brokerPid, durationSec, warmupMs() / 1000, clients, channels, publishers, rate,
                size, busyRate, busySize, busyWatchers, churnRate, churnLongPolling,
                churnAbrupt, churnLifetimeMs(), slow, slowLifetimeSec,
                (slowSilent ? ", silent" : ", keep connecting") + (slowChatterMs > 0 ? ", chatter every " + slowChatterMs + " ms" : ""), garbageRate, brokerTimeoutSec, ioThreads);
    }

    /**
     * Checks every setting and resolves the broker's address; call once, after the settings are made.
     *
     * @return this
     * @throws IllegalArgumentException naming the first invalid setting
     */
    SoakConfig validate() {
        URI url = URI.create(this.url);
        check("http".equalsIgnoreCase(url.getScheme()) && url.getHost() != null && url.getPort() > 0,
                "url must be http://host:port/path, got " + url);
        server = ServerUrl.of(url);
        check(brokerPid >= 0, "broker pid must be >= 0");
        check(durationSec >= 1 && durationSec <= 24L * 3600, "duration must be in [1 s, 24 h]");
        check(warmupMs() < durationMs(), "warm-up must be shorter than the duration");
        check(clients >= 1 && clients <= 200_000, "clients must be in [1, 200000]");
        check(channels >= 1 && channels <= 10_000, "channels must be in [1, 10000]");
        check(publishers >= 1 && publishers <= channels, "publishers must be in [1, channels]");
        check(rate >= publishers && rate <= 100_000, "rate must be in [publishers, 100000]");
        check(size >= 0 && size <= 64 * 1024, "size must be in [0, 64 KiB]");
        check(busyRate >= 0 && busyRate <= 100_000, "busy rate must be in [0, 100000]");
        check(busySize >= 0 && busySize <= 64 * 1024, "busy size must be in [0, 64 KiB]");
        check(busyWatchers >= 0 && busyWatchers <= 1_000, "busy watchers must be in [0, 1000]");
        check(busyRate > 0 || (busyWatchers == 0 && slow == 0),
                "busy watchers and slow consumers need a busy rate above 0");
        check(churnRate >= 0 && churnRate <= 1_000, "churn rate must be in [0, 1000]");
        check(churnLongPolling >= 0 && churnLongPolling <= 100, "long-polling share must be a percentage");
        check(churnAbrupt >= 0 && churnAbrupt <= 100, "abrupt share must be a percentage");
        check(churnLifetimeMs() >= 100 && churnLifetimeMs() <= 600_000, "churn lifetime must be in [100 ms, 10 min]");
        check(churnReceiveTarget >= 1, "churn receive target must be >= 1");
        check(churnMaxAlive >= 1 && churnMaxAlive <= 100_000, "churn max alive must be in [1, 100000]");
        check(slow >= 0 && slow <= 1_000, "slow consumers must be in [0, 1000]");
        check(slowLifetimeSec >= 1, "slow lifetime must be >= 1 s");
        check(slowReceiveBufferBytes >= 1024, "slow receive buffer must be >= 1 KiB");
        check(slowChatterMs == 0 || slowChatterMs >= 10, "slow chatter must be 0 (off) or >= 10 ms");
        check(garbageRate >= 0 && garbageRate <= 100, "garbage rate must be in [0, 100]");
        check(brokerTimeoutSec >= 1 && brokerTimeoutSec <= 600, "broker timeout must be in [1 s, 10 min]");
        check(brokerMaxMessageBytes >= 1024 && brokerMaxMessageBytes <= 64 << 20, "max message bytes must be in [1 KiB, 64 MiB]");
        check(connectRate >= 1 && connectRate <= 100_000, "connect rate must be in [1, 100000]");
        check(rampTimeoutMs >= 0 && rampTimeoutMs <= 3_600_000, "ramp timeout must be in [0, 1 h]");
        check(drainMs >= 0 && drainMs <= 600_000, "drain must be in [0, 10 min]");
        check(disconnectTimeoutMs >= 1_000 && disconnectTimeoutMs <= 600_000, "disconnect timeout must be in [1 s, 10 min]");
        check(sampleIntervalMs() >= 100 && sampleIntervalMs() <= 600_000, "sample interval must be in [100 ms, 10 min]");
        check(fdSlack >= 0, "fd slack must be >= 0");
        check(heapSlackBytes >= 0 && heapSlackRatio >= 0, "heap slack must be >= 0");
        check(ioThreads >= 1 && ioThreads <= 16, "io threads must be in [1, 16]");
        return this;
    }
}
