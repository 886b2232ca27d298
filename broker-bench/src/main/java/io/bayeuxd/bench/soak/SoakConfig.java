package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.ServerUrl;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

import static io.bayeuxd.bench.loadgen.Settings.check;

/**
 * Everything one soak run needs, validated once by {@link Builder#build()}. Units are in the names.
 *
 * <p>The broker must be on a loopback address ({@link ServerUrl}): the soak opens thousands of
 * connections and sends garbage on purpose, which nobody else should receive.
 */
final class SoakConfig {

    private final ServerUrl server;
    private final long brokerPid;
    private final long durationMs;
    private final long warmupMs;
    private final int clients;
    private final int channels;
    private final int publishers;
    private final long ratePerSec;
    private final int payloadBytes;
    private final long busyRatePerSec;
    private final int busyPayloadBytes;
    private final int busyWatchers;
    private final double churnPerSec;
    private final int churnLongPollPercent;
    private final int churnAbruptPercent;
    private final long churnLifetimeMs;
    private final int churnReceiveTarget;
    private final int churnMaxAlive;
    private final int slowConsumers;
    private final long slowLifetimeMs;
    private final boolean slowKeepConnecting;
    private final int slowReceiveBufferBytes;
    private final long slowChatterMs;
    private final double garbagePerSec;
    private final long brokerTimeoutMs;
    private final long brokerIdleTimeoutMs;
    private final int brokerMaxMessageBytes;
    private final long connectRatePerSec;
    private final long rampTimeoutMs;
    private final long drainMs;
    private final long settleTimeoutMs;
    private final long disconnectTimeoutMs;
    private final long sampleIntervalMs;
    private final int fdSlack;
    private final long heapSlackBytes;
    private final double heapSlackRatio;
    private final int ioThreads;
    private final Path outDir;

    private SoakConfig(Builder b) {
        server = b.server;
        brokerPid = b.brokerPid;
        durationMs = b.durationMs;
        warmupMs = b.warmupMs >= 0 ? b.warmupMs : Math.min(60_000, b.durationMs / 5);
        clients = b.clients;
        channels = b.channels;
        publishers = b.publishers;
        ratePerSec = b.ratePerSec;
        payloadBytes = b.payloadBytes;
        busyRatePerSec = b.busyRatePerSec;
        busyPayloadBytes = b.busyPayloadBytes;
        busyWatchers = b.busyWatchers;
        churnPerSec = b.churnPerSec;
        churnLongPollPercent = b.churnLongPollPercent;
        churnAbruptPercent = b.churnAbruptPercent;
        churnLifetimeMs = b.churnLifetimeMs;
        churnReceiveTarget = b.churnReceiveTarget;
        churnMaxAlive = b.churnMaxAlive;
        slowConsumers = b.slowConsumers;
        slowLifetimeMs = b.slowLifetimeMs;
        slowKeepConnecting = b.slowKeepConnecting;
        slowReceiveBufferBytes = b.slowReceiveBufferBytes;
        slowChatterMs = b.slowChatterMs;
        garbagePerSec = b.garbagePerSec;
        brokerTimeoutMs = b.brokerTimeoutMs;
        brokerIdleTimeoutMs = b.brokerIdleTimeoutMs >= 0 ? b.brokerIdleTimeoutMs : b.brokerTimeoutMs + 30_000;
        brokerMaxMessageBytes = b.brokerMaxMessageBytes;
        connectRatePerSec = b.connectRatePerSec;
        rampTimeoutMs = b.rampTimeoutMs;
        drainMs = b.drainMs;
        settleTimeoutMs = b.settleTimeoutMs >= 0 ? b.settleTimeoutMs : 2 * b.brokerTimeoutMs + 30_000;
        disconnectTimeoutMs = b.disconnectTimeoutMs;
        sampleIntervalMs = b.sampleIntervalMs;
        fdSlack = b.fdSlack;
        heapSlackBytes = b.heapSlackBytes;
        heapSlackRatio = b.heapSlackRatio;
        ioThreads = b.ioThreads;
        outDir = b.outDir;
    }

    static Builder builder() {
        return new Builder();
    }

    /** The broker's endpoint, {@code http://host:port/path}; {@code /metrics} is on the same port. */
    ServerUrl server() { return server; }
    URI url() { return server.uri(); }
    /** The broker's process id for {@code /proc} and {@code jcmd}; 0 when unknown (then RSS is not sampled). */
    long brokerPid() { return brokerPid; }
    /** How long the load (publishing, churn, slow consumers, garbage) runs, after the ramp. */
    long durationMs() { return durationMs; }
    /** Into the load, when the reference sample (after a GC) is taken. */
    long warmupMs() { return warmupMs; }
    /** Well-behaved WebSocket subscribers, spread round-robin over {@link #channels()}. */
    int clients() { return clients; }
    int channels() { return channels; }
    int publishers() { return publishers; }
    /** Publishes per second to the {@link #channels()}, all publishers together. */
    long ratePerSec() { return ratePerSec; }
    int payloadBytes() { return payloadBytes; }
    /** Publishes per second to the busy channel that the slow consumers subscribe to. */
    long busyRatePerSec() { return busyRatePerSec; }
    int busyPayloadBytes() { return busyPayloadBytes; }
    /** Well-behaved subscribers of the busy channel, beside the slow consumers; their deliveries are tracked too. */
    int busyWatchers() { return busyWatchers; }
    /** Index of the busy channel: one past the regular ones. */
    int busyChannel() { return channels; }
    double churnPerSec() { return churnPerSec; }
    int churnLongPollPercent() { return churnLongPollPercent; }
    /** Share of churned clients that drop the connection instead of sending {@code /meta/disconnect}. */
    int churnAbruptPercent() { return churnAbruptPercent; }
    long churnLifetimeMs() { return churnLifetimeMs; }
    /** Deliveries after which a churned client leaves, if its lifetime has not ended first. */
    int churnReceiveTarget() { return churnReceiveTarget; }
    int churnMaxAlive() { return churnMaxAlive; }
    int slowConsumers() { return slowConsumers; }
    /** How long one slow consumer holds its stalled connection before a fresh one takes its place. */
    long slowLifetimeMs() { return slowLifetimeMs; }
    /**
     * Whether slow consumers, while not reading, keep sending {@code /meta/connect} so that their sessions
     * stay alive; when not, they fall silent and the broker expires them after twice its timeout.
     */
    boolean slowKeepConnecting() { return slowKeepConnecting; }
    int slowReceiveBufferBytes() { return slowReceiveBufferBytes; }
    /**
     * When above 0, stalled slow consumers also send a {@code /meta/subscribe} (to the channel they already
     * have) every this many milliseconds: requests other than connects, which a hostile client may send.
     */
    long slowChatterMs() { return slowChatterMs; }
    double garbagePerSec() { return garbagePerSec; }
    /** The broker's {@code --timeout}: connects are held this long, silent sessions expire after twice it. */
    long brokerTimeoutMs() { return brokerTimeoutMs; }
    /** The broker's idle-connection timeout; by default its {@code --timeout} plus 30 s, as the broker does. */
    long brokerIdleTimeoutMs() { return brokerIdleTimeoutMs; }
    /** The broker's {@code --max-message-bytes}, to size the oversized garbage. */
    int brokerMaxMessageBytes() { return brokerMaxMessageBytes; }
    long connectRatePerSec() { return connectRatePerSec; }
    long rampTimeoutMs() { return rampTimeoutMs; }
    long drainMs() { return drainMs; }
    long settleTimeoutMs() { return settleTimeoutMs; }
    long disconnectTimeoutMs() { return disconnectTimeoutMs; }
    long sampleIntervalMs() { return sampleIntervalMs; }
    /** File descriptors above the baseline still counted as "back at the baseline". */
    int fdSlack() { return fdSlack; }
    long heapSlackBytes() { return heapSlackBytes; }
    double heapSlackRatio() { return heapSlackRatio; }
    int ioThreads() { return ioThreads; }
    Path outDir() { return outDir; }

    /** Sessions the broker should hold once only the well-behaved clients are left. */
    int wellBehavedSessions() {
        return clients + busyWatchers + publishers + (busyRatePerSec > 0 ? 1 : 0);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "url=%s pid=%d duration=%ds warmup=%ds clients=%d channels=%d publishers=%d rate=%d/s size=%d "
                        + "busy=%d/s x %d B watchers=%d churn=%.1f/s (lp %d%%, abrupt %d%%, %d ms) slow=%d "
                        + "(lifetime %ds%s) garbage=%.1f/s timeout=%ds io=%d",
                server, brokerPid, durationMs / 1000, warmupMs / 1000, clients, channels, publishers, ratePerSec,
                payloadBytes, busyRatePerSec, busyPayloadBytes, busyWatchers, churnPerSec, churnLongPollPercent,
                churnAbruptPercent, churnLifetimeMs, slowConsumers, slowLifetimeMs / 1000,
                (slowKeepConnecting ? ", keep connecting" : ", silent") + (slowChatterMs > 0 ? ", chatter every " + slowChatterMs + " ms" : ""), garbagePerSec, brokerTimeoutMs / 1000, ioThreads);
    }

    /** Collects settings; {@link #build()} validates them all at once. */
    static final class Builder {
        private URI url = URI.create("http://127.0.0.1:8000/");
        private long brokerPid;
        private long durationMs = 600_000;
        private long warmupMs = -1;
        private int clients = 10_000;
        private int channels = 100;
        private int publishers = 4;
        private long ratePerSec = 200;
        private int payloadBytes = 200;
        private long busyRatePerSec = 200;
        private int busyPayloadBytes = 1024;
        private int busyWatchers = 10;
        private double churnPerSec = 20;
        private int churnLongPollPercent = 30;
        private int churnAbruptPercent = 30;
        private long churnLifetimeMs = 3_000;
        private int churnReceiveTarget = 3;
        private int churnMaxAlive = 1_000;
        private int slowConsumers = 5;
        private long slowLifetimeMs = 60_000;
        private boolean slowKeepConnecting = true;
        private int slowReceiveBufferBytes = 4096;
        private long slowChatterMs;
        private double garbagePerSec = 2;
        private long brokerTimeoutMs = 10_000;
        private long brokerIdleTimeoutMs = -1;
        private int brokerMaxMessageBytes = 1_048_576;
        private long connectRatePerSec = 500;
        private long rampTimeoutMs = 60_000;
        private long drainMs = 15_000;
        private long settleTimeoutMs = -1;
        private long disconnectTimeoutMs = 30_000;
        private long sampleIntervalMs = 5_000;
        private int fdSlack = 16;
        private long heapSlackBytes = 16L << 20;
        private double heapSlackRatio = 0.10;
        private int ioThreads = 1;
        private Path outDir = Path.of("target", "soak");
        private ServerUrl server;

        private Builder() {
        }

        Builder url(String url) { this.url = URI.create(url); return this; }
        Builder brokerPid(long pid) { this.brokerPid = pid; return this; }
        Builder durationMs(long ms) { this.durationMs = ms; return this; }
        /** Negative: a fifth of the duration, at most 60 s. */
        Builder warmupMs(long ms) { this.warmupMs = ms; return this; }
        Builder clients(int n) { this.clients = n; return this; }
        Builder channels(int n) { this.channels = n; return this; }
        Builder publishers(int n) { this.publishers = n; return this; }
        Builder ratePerSec(long rate) { this.ratePerSec = rate; return this; }
        Builder payloadBytes(int bytes) { this.payloadBytes = bytes; return this; }
        Builder busyRatePerSec(long rate) { this.busyRatePerSec = rate; return this; }
        Builder busyPayloadBytes(int bytes) { this.busyPayloadBytes = bytes; return this; }
        Builder busyWatchers(int n) { this.busyWatchers = n; return this; }
        Builder churnPerSec(double rate) { this.churnPerSec = rate; return this; }
        Builder churnLongPollPercent(int percent) { this.churnLongPollPercent = percent; return this; }
        Builder churnAbruptPercent(int percent) { this.churnAbruptPercent = percent; return this; }
        Builder churnLifetimeMs(long ms) { this.churnLifetimeMs = ms; return this; }
        Builder churnReceiveTarget(int n) { this.churnReceiveTarget = n; return this; }
        Builder churnMaxAlive(int n) { this.churnMaxAlive = n; return this; }
        Builder slowConsumers(int n) { this.slowConsumers = n; return this; }
        Builder slowLifetimeMs(long ms) { this.slowLifetimeMs = ms; return this; }
        Builder slowKeepConnecting(boolean keep) { this.slowKeepConnecting = keep; return this; }
        Builder slowReceiveBufferBytes(int bytes) { this.slowReceiveBufferBytes = bytes; return this; }
        Builder slowChatterMs(long ms) { this.slowChatterMs = ms; return this; }
        Builder garbagePerSec(double rate) { this.garbagePerSec = rate; return this; }
        Builder brokerTimeoutMs(long ms) { this.brokerTimeoutMs = ms; return this; }
        /** Negative: the broker's default, its timeout plus 30 s. */
        Builder brokerIdleTimeoutMs(long ms) { this.brokerIdleTimeoutMs = ms; return this; }
        Builder brokerMaxMessageBytes(int bytes) { this.brokerMaxMessageBytes = bytes; return this; }
        Builder connectRatePerSec(long rate) { this.connectRatePerSec = rate; return this; }
        Builder rampTimeoutMs(long ms) { this.rampTimeoutMs = ms; return this; }
        Builder drainMs(long ms) { this.drainMs = ms; return this; }
        /** Negative: twice the broker timeout plus 30 s, enough for every abandoned session to expire. */
        Builder settleTimeoutMs(long ms) { this.settleTimeoutMs = ms; return this; }
        Builder disconnectTimeoutMs(long ms) { this.disconnectTimeoutMs = ms; return this; }
        Builder sampleIntervalMs(long ms) { this.sampleIntervalMs = ms; return this; }
        Builder fdSlack(int n) { this.fdSlack = n; return this; }
        Builder heapSlackBytes(long bytes) { this.heapSlackBytes = bytes; return this; }
        Builder heapSlackRatio(double ratio) { this.heapSlackRatio = ratio; return this; }
        Builder ioThreads(int n) { this.ioThreads = n; return this; }
        Builder outDir(Path dir) { this.outDir = dir; return this; }

        /** @throws IllegalArgumentException naming the first invalid setting */
        SoakConfig build() {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(outDir, "outDir");
            check("http".equalsIgnoreCase(url.getScheme()) && url.getHost() != null && url.getPort() > 0,
                    "url must be http://host:port/path, got " + url);
            server = ServerUrl.of(url);
            check(brokerPid >= 0, "broker pid must be >= 0");
            check(durationMs >= 1_000 && durationMs <= 24L * 3600 * 1000, "duration must be in [1 s, 24 h]");
            check(warmupMs < durationMs, "warm-up must be shorter than the duration");
            check(clients >= 1 && clients <= 200_000, "clients must be in [1, 200000]");
            check(channels >= 1 && channels <= 10_000, "channels must be in [1, 10000]");
            check(publishers >= 1 && publishers <= channels, "publishers must be in [1, channels]");
            check(ratePerSec >= publishers && ratePerSec <= 100_000, "rate must be in [publishers, 100000]");
            check(payloadBytes >= 0 && payloadBytes <= 64 * 1024, "size must be in [0, 64 KiB]");
            check(busyRatePerSec >= 0 && busyRatePerSec <= 100_000, "busy rate must be in [0, 100000]");
            check(busyPayloadBytes >= 0 && busyPayloadBytes <= 64 * 1024, "busy size must be in [0, 64 KiB]");
            check(busyWatchers >= 0 && busyWatchers <= 1_000, "busy watchers must be in [0, 1000]");
            check(busyRatePerSec > 0 || (busyWatchers == 0 && slowConsumers == 0),
                    "busy watchers and slow consumers need a busy rate above 0");
            check(churnPerSec >= 0 && churnPerSec <= 1_000, "churn rate must be in [0, 1000]");
            check(churnLongPollPercent >= 0 && churnLongPollPercent <= 100, "long-polling share must be a percentage");
            check(churnAbruptPercent >= 0 && churnAbruptPercent <= 100, "abrupt share must be a percentage");
            check(churnLifetimeMs >= 100 && churnLifetimeMs <= 600_000, "churn lifetime must be in [100 ms, 10 min]");
            check(churnReceiveTarget >= 1, "churn receive target must be >= 1");
            check(churnMaxAlive >= 1 && churnMaxAlive <= 100_000, "churn max alive must be in [1, 100000]");
            check(slowConsumers >= 0 && slowConsumers <= 1_000, "slow consumers must be in [0, 1000]");
            check(slowLifetimeMs >= 1_000, "slow lifetime must be >= 1 s");
            check(slowReceiveBufferBytes >= 1024, "slow receive buffer must be >= 1 KiB");
            check(slowChatterMs == 0 || slowChatterMs >= 10, "slow chatter must be 0 (off) or >= 10 ms");
            check(garbagePerSec >= 0 && garbagePerSec <= 100, "garbage rate must be in [0, 100]");
            check(brokerTimeoutMs >= 1_000 && brokerTimeoutMs <= 600_000, "broker timeout must be in [1 s, 10 min]");
            check(brokerMaxMessageBytes >= 1024 && brokerMaxMessageBytes <= 64 << 20, "max message bytes must be in [1 KiB, 64 MiB]");
            check(connectRatePerSec >= 1 && connectRatePerSec <= 100_000, "connect rate must be in [1, 100000]");
            check(rampTimeoutMs >= 0 && rampTimeoutMs <= 3_600_000, "ramp timeout must be in [0, 1 h]");
            check(drainMs >= 0 && drainMs <= 600_000, "drain must be in [0, 10 min]");
            check(disconnectTimeoutMs >= 1_000 && disconnectTimeoutMs <= 600_000, "disconnect timeout must be in [1 s, 10 min]");
            check(sampleIntervalMs >= 100 && sampleIntervalMs <= 600_000, "sample interval must be in [100 ms, 10 min]");
            check(fdSlack >= 0, "fd slack must be >= 0");
            check(heapSlackBytes >= 0 && heapSlackRatio >= 0, "heap slack must be >= 0");
            check(ioThreads >= 1 && ioThreads <= 16, "io threads must be in [1, 16]");
            return new SoakConfig(this);
        }
    }
}
