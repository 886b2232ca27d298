package io.bayeuxd.bench.loadgen;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

import static io.bayeuxd.bench.loadgen.Settings.check;

/**
 * Everything one load run needs, validated once by {@link Builder#build()}. Units are in the names.
 *
 * <p>Every target must be a loopback address (see {@link ServerUrl}). A run may name several servers,
 * the nodes of one cluster: subscribers are spread over them round-robin (see
 * {@link #serverOfSubscriber(int)}) and every publisher uses the first.
 */
final class LoadConfig {

    static final int MAX_CLIENTS = 1_000_000;
    static final int MAX_CHANNELS = 100_000;
    static final int MAX_PUBLISHERS = 10_000;
    static final long MAX_RATE_PER_SEC = 10_000_000L;
    static final int MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;
    static final long MAX_DURATION_MS = 24L * 3600 * 1000;
    static final int MAX_IO_THREADS = 16;
    static final int MAX_SERVERS = 64;

    private final List<ServerUrl> servers;
    private final TransportKind transport;
    private final int clients;
    private final int channels;
    private final int publishers;
    private final long ratePerSec;
    private final int window;
    private final int payloadBytes;
    private final boolean textPayload;
    private final boolean deflate;
    private final long durationMs;
    private final long warmupMs;
    private final long drainMs;
    private final long holdMs;
    private final long connectRatePerSec;
    private final long rampTimeoutMs;
    private final int ioThreads;
    private final long maxMessages;
    private final Path outDir;
    private final String label;

    private LoadConfig(Builder b) {
        this.servers = b.servers;
        this.transport = b.transport;
        this.clients = b.clients;
        this.channels = b.channels;
        this.publishers = b.publishers;
        this.ratePerSec = b.ratePerSec;
        this.window = b.window;
        this.payloadBytes = b.payloadBytes;
        this.textPayload = b.textPayload;
        this.deflate = b.deflate;
        this.durationMs = b.durationMs;
        this.warmupMs = b.warmupMs;
        this.drainMs = b.drainMs;
        this.holdMs = b.holdMs;
        this.connectRatePerSec = b.connectRatePerSec;
        this.rampTimeoutMs = b.rampTimeoutMs;
        this.ioThreads = b.ioThreads;
        this.maxMessages = b.maxMessages;
        this.outDir = b.outDir;
        this.label = b.label;
    }

    static Builder builder() {
        return new Builder();
    }

    /** The first server, its URL normalized to http: the publishers' (and, with one server, everyone's). */
    ServerUrl server() { return servers.get(0); }
    URI url() { return server().uri(); }
    /** Every server, in the order given; at least one. */
    List<ServerUrl> servers() { return servers; }
    /**
     * The server of subscriber {@code index}, an index into {@link #servers()}. Subscriber {@code i}
     * listens on channel {@code c = i % channels} as the {@code k = i / channels}-th subscriber of it, and
     * talks to server {@code (c + k) % servers}: round-robin within every channel, each channel starting
     * one server further, so every channel's subscribers and all subscribers together are spread evenly
     * whatever the channel and server counts (plain {@code i % servers} would put all of a channel's
     * subscribers on one server whenever the server count divides the channel count). With one channel
     * it is plain round-robin.
     */
    int serverOfSubscriber(int index) {
        return (index % channels + index / channels) % servers.size();
    }
    TransportKind transport() { return transport; }
    /** Number of subscribing clients. */
    int clients() { return clients; }
    int channels() { return channels; }
    /** Publishing clients; 0 makes an idle run: subscribers connect, hold for {@link #holdMs()}, and leave. */
    int publishers() { return publishers; }
    /** Total publishes per second across all publishers; 0 means as fast as the window allows. */
    long ratePerSec() { return ratePerSec; }
    /** Maximum publishes in flight across all publishers. */
    int window() { return window; }
    /** Serialized size of each message's {@code data} object. */
    int payloadBytes() { return payloadBytes; }
    /** Whether the padding of {@code data} is words of text (as a record's free text compresses) instead of one repeated letter. */
    boolean textPayload() { return textPayload; }
    /** Whether WebSocket clients offer {@code permessage-deflate}. */
    boolean deflate() { return deflate; }
    long durationMs() { return durationMs; }
    long warmupMs() { return warmupMs; }
    /** How long to wait after the last publish for outstanding deliveries. */
    long drainMs() { return drainMs; }
    /** How long subscribers stay connected and idle after the ramp, before publishing starts (or, idle, before closing). */
    long holdMs() { return holdMs; }
    /** Handshakes per second while ramping up clients. */
    long connectRatePerSec() { return connectRatePerSec; }
    /** Extra time allowed, beyond the paced ramp itself, for every client to be subscribed. */
    long rampTimeoutMs() { return rampTimeoutMs; }
    int ioThreads() { return ioThreads; }
    /** Hard cap on publishes in one run, a guard on top of the time bound. */
    long maxMessages() { return maxMessages; }
    Path outDir() { return outDir; }
    String label() { return label; }

    /** Publishes per second for publisher {@code index}; the remainder of the division goes to the first ones. */
    long ratePerSecFor(int index) {
        long base = ratePerSec / publishers;
        return base + (index < ratePerSec % publishers ? 1 : 0);
    }

    /** Average number of subscribers per channel, at least 1; used to size the delivery part of the window. */
    long fanoutPerPublish() {
        return Math.max(1, (clients + channels - 1) / channels);
    }

    /** Deadline for the subscriber ramp: the paced handshakes plus {@link #rampTimeoutMs()}. */
    long rampDeadlineMs() {
        return clients * 1000L / connectRatePerSec + rampTimeoutMs;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "url=%s transport=%s clients=%d channels=%d publishers=%d rate=%d window=%d size=%d "
                        + "text=%s deflate=%s duration=%dms warmup=%dms drain=%dms hold=%dms connectRate=%d ioThreads=%d label=%s",
                urlList(), transport, clients, channels, publishers, ratePerSec, window, payloadBytes, textPayload, deflate,
                durationMs, warmupMs, drainMs, holdMs, connectRatePerSec, ioThreads, label);
    }

    /** The servers' URLs, comma-separated. */
    String urlList() {
        return servers.stream().map(ServerUrl::toString).collect(Collectors.joining(","));
    }

    /** Collects settings; {@link #build()} validates them all at once. */
    static final class Builder {
        private List<URI> urls = List.of(URI.create("http://127.0.0.1:8000/"));
        private TransportKind transport = TransportKind.WEBSOCKET;
        private int clients = 100;
        private int channels = 10;
        private int publishers = 1;
        private long ratePerSec = 1000;
        private int window = 1000;
        private int payloadBytes = 100;
        private boolean textPayload;
        private boolean deflate;
        private long durationMs = 30_000;
        private long warmupMs = 5_000;
        private long drainMs = 5_000;
        private long holdMs = 0;
        private long connectRatePerSec = 500;
        private long rampTimeoutMs = 30_000;
        private int ioThreads = 1;
        private long maxMessages = 1_000_000_000L;
        private Path outDir = Path.of("target", "loadgen");
        private String label = "run";
        private List<ServerUrl> servers;

        private Builder() {
        }

        Builder url(URI url) { return urls(List.of(Objects.requireNonNull(url, "url"))); }
        Builder url(String url) { return url(URI.create(url)); }
        /** Several servers, the nodes of one cluster; see the class comment for who goes where. */
        Builder urls(List<URI> urls) { this.urls = List.copyOf(urls); return this; }
        Builder transport(TransportKind transport) { this.transport = transport; return this; }
        Builder clients(int clients) { this.clients = clients; return this; }
        Builder channels(int channels) { this.channels = channels; return this; }
        Builder publishers(int publishers) { this.publishers = publishers; return this; }
        Builder ratePerSec(long ratePerSec) { this.ratePerSec = ratePerSec; return this; }
        Builder window(int window) { this.window = window; return this; }
        Builder payloadBytes(int payloadBytes) { this.payloadBytes = payloadBytes; return this; }
        Builder textPayload(boolean textPayload) { this.textPayload = textPayload; return this; }
        Builder deflate(boolean deflate) { this.deflate = deflate; return this; }
        Builder durationMs(long durationMs) { this.durationMs = durationMs; return this; }
        Builder warmupMs(long warmupMs) { this.warmupMs = warmupMs; return this; }
        Builder drainMs(long drainMs) { this.drainMs = drainMs; return this; }
        Builder holdMs(long holdMs) { this.holdMs = holdMs; return this; }
        Builder connectRatePerSec(long connectRatePerSec) { this.connectRatePerSec = connectRatePerSec; return this; }
        Builder rampTimeoutMs(long rampTimeoutMs) { this.rampTimeoutMs = rampTimeoutMs; return this; }
        Builder ioThreads(int ioThreads) { this.ioThreads = ioThreads; return this; }
        Builder maxMessages(long maxMessages) { this.maxMessages = maxMessages; return this; }
        Builder outDir(Path outDir) { this.outDir = outDir; return this; }
        Builder label(String label) { this.label = label; return this; }

        /** @throws IllegalArgumentException naming the first invalid setting */
        LoadConfig build() {
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(outDir, "outDir");
            check(!urls.isEmpty() && urls.size() <= MAX_SERVERS, "url must be given 1 to " + MAX_SERVERS + " times");
            List<ServerUrl> checked = new ArrayList<>(urls.size());
            for (URI url : urls) {
                checked.add(ServerUrl.of(url));
            }
            servers = List.copyOf(checked);
            check(clients >= 0 && clients <= MAX_CLIENTS, "clients must be in [0, " + MAX_CLIENTS + "]");
            check(channels >= 1 && channels <= MAX_CHANNELS, "channels must be in [1, " + MAX_CHANNELS + "]");
            check(publishers >= 0 && publishers <= MAX_PUBLISHERS, "publishers must be in [0, " + MAX_PUBLISHERS + "]");
            check(ratePerSec >= 0 && ratePerSec <= MAX_RATE_PER_SEC, "rate must be in [0, " + MAX_RATE_PER_SEC + "]");
            check(window >= 1 && window <= 1_000_000, "window must be in [1, 1000000]");
            check(payloadBytes >= 0 && payloadBytes <= MAX_PAYLOAD_BYTES, "size must be in [0, " + MAX_PAYLOAD_BYTES + "]");
            check(durationMs >= 1 && durationMs <= MAX_DURATION_MS, "duration must be in (0, 24h]");
            check(warmupMs >= 0 && warmupMs <= 3_600_000, "warmup must be in [0, 1h]");
            check(drainMs >= 0 && drainMs <= 600_000, "drain must be in [0, 10min]");
            check(holdMs >= 0 && holdMs <= 3_600_000, "hold must be in [0, 1h]");
            check(connectRatePerSec >= 1 && connectRatePerSec <= 1_000_000, "connect-rate must be in [1, 1000000]");
            check(rampTimeoutMs >= 0 && rampTimeoutMs <= 3_600_000, "ramp-timeout must be in [0, 1h]");
            check(ioThreads >= 1 && ioThreads <= MAX_IO_THREADS, "io-threads must be in [1, " + MAX_IO_THREADS + "]");
            check(maxMessages >= 1, "max-messages must be >= 1");
            check(label != null && !label.isBlank() && label.length() <= 100, "label must be 1..100 characters");
            return new LoadConfig(this);
        }
    }
}
