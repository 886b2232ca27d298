package io.bayeuxd.bench.loadgen;

import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import static io.bayeuxd.bench.loadgen.Settings.check;

/**
 * Everything one load run needs. Each setting is declared once, as a picocli option with its default
 * and description (those S6 shares are in {@link ClientOptions}); the command line or {@link #parse}
 * fills them, {@link #validate()} checks them all once, and nothing changes them after. Units are in
 * the accessors' names.
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

    @Mixin
    ClientOptions client;

    @Option(names = "--transport", defaultValue = "websocket", converter = TransportConverter.class,
            description = "websocket or long-polling (default ${DEFAULT-VALUE})")
    TransportKind transport;

    @Option(names = "--channels", defaultValue = "10",
            description = "channels /bench/0..N-1; subscribers are spread over them round-robin (default ${DEFAULT-VALUE})")
    int channels;

    @Option(names = "--publishers", defaultValue = "1",
            description = "publishing clients; 0 = idle run: subscribers connect, hold (--hold) and leave (default ${DEFAULT-VALUE})")
    int publishers;

    @Option(names = "--rate", defaultValue = "1000",
            description = "messages per second across all publishers; 0 = as fast as the window allows (default ${DEFAULT-VALUE})")
    long rate;

    @Option(names = "--window", defaultValue = "1000",
            description = "publishes in flight (not yet acknowledged, or deliveries not yet seen) across publishers (default ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--text",
            description = "pad each message's data with words of text, as a record's free text, instead of one repeated "
                    + "letter (which compresses to almost nothing)")
    boolean text;

    @Option(names = "--deflate",
            description = "WebSocket clients offer permessage-deflate (RFC 7692) with Netty's client compression handler")
    boolean deflate;

    @Option(names = "--warmup", defaultValue = "5", description = "seconds of publishing before measuring (default ${DEFAULT-VALUE})")
    double warmupSec;

    @Option(names = "--max-messages", defaultValue = "1000000000",
            description = "hard cap on publishes in the run, on top of the time bound (default ${DEFAULT-VALUE})")
    long maxMessages;

    @Option(names = "--out", defaultValue = "target/loadgen", description = "directory for the output files (default ${DEFAULT-VALUE})")
    Path outDir;

    /** Set by {@link #validate()}. */
    private List<ServerUrl> servers;

    /**
     * The settings {@code args} name, the defaults for the rest, validated; for tests and programs.
     * Unlike on the command line, a later occurrence of an option replaces an earlier one.
     *
     * @throws IllegalArgumentException naming the first invalid setting
     */
    static LoadConfig parse(String... args) {
        LoadConfig config = new LoadConfig();
        try {
            new CommandLine(config).setOverwrittenOptionsAllowed(true).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return config.validate();
    }

    /** A run of S6 ({@link StormRun}): the storm's client options, {@code rooms} channels, no publishers, no warm-up. */
    static LoadConfig forStorm(ClientOptions client, int rooms) {
        LoadConfig config = parse("--publishers", "0", "--warmup", "0");
        config.client = client;
        config.channels = rooms;
        return config.validate();
    }

    boolean quiet() { return client.quiet; }

    // Accessors, in units their names say; what each setting means is in its option's description.

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
    int clients() { return client.clients; }
    int channels() { return channels; }
    /** Publishing clients; 0 makes an idle run: subscribers connect, hold for {@link #holdMs()}, and leave. */
    int publishers() { return publishers; }
    long ratePerSec() { return rate; }
    int window() { return window; }
    int payloadBytes() { return client.size; }
    boolean textPayload() { return text; }
    boolean deflate() { return deflate; }
    long durationMs() { return ms(client.durationSec); }
    long warmupMs() { return ms(warmupSec); }
    long drainMs() { return ms(client.drainSec); }
    long holdMs() { return ms(client.holdSec); }
    long connectRatePerSec() { return client.connectRate; }
    long rampTimeoutMs() { return ms(client.rampTimeoutSec); }
    int ioThreads() { return client.ioThreads; }
    long maxMessages() { return maxMessages; }
    Path outDir() { return outDir; }
    String label() { return client.label; }

    /** Publishes per second for publisher {@code index}; the remainder of the division goes to the first ones. */
    long ratePerSecFor(int index) {
        long base = rate / publishers;
        return base + (index < rate % publishers ? 1 : 0);
    }

    /** Average number of subscribers per channel, at least 1; used to size the delivery part of the window. */
    long fanoutPerPublish() {
        return Math.max(1, (clients() + channels - 1) / channels);
    }

    /** Deadline for the subscriber ramp: the paced handshakes plus {@link #rampTimeoutMs()}. */
    long rampDeadlineMs() {
        return clients() * 1000L / connectRatePerSec() + rampTimeoutMs();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "url=%s transport=%s clients=%d channels=%d publishers=%d rate=%d window=%d size=%d "
                        + "text=%s deflate=%s duration=%dms warmup=%dms drain=%dms hold=%dms connectRate=%d ioThreads=%d label=%s",
                urlList(), transport, clients(), channels, publishers, rate, window, payloadBytes(), text, deflate,
                durationMs(), warmupMs(), drainMs(), holdMs(), connectRatePerSec(), ioThreads(), label());
    }

    /** The servers' URLs, comma-separated. */
    String urlList() {
        return servers.stream().map(ServerUrl::toString).collect(Collectors.joining(","));
    }

    /** Milliseconds of a non-negative number of seconds given to option {@code name}. */
    static long ms(String name, double seconds) {
        check(Double.isFinite(seconds) && seconds >= 0, name + " must be non-negative seconds: " + seconds);
        return Math.round(seconds * 1000);
    }

    private static long ms(double seconds) {
        return Math.round(seconds * 1000);
    }

    /**
     * Checks every setting and resolves the servers; call once, after the options are set.
     *
     * @return this
     * @throws IllegalArgumentException naming the first invalid setting
     */
    LoadConfig validate() {
        ms("duration", client.durationSec);
        ms("warmup", warmupSec);
        ms("drain", client.drainSec);
        ms("hold", client.holdSec);
        ms("ramp-timeout", client.rampTimeoutSec);
        List<String> urls = client.urls;
        check(!urls.isEmpty() && urls.size() <= MAX_SERVERS, "url must be given 1 to " + MAX_SERVERS + " times");
        List<ServerUrl> checked = new ArrayList<>(urls.size());
        for (String url : urls) {
            checked.add(ServerUrl.of(URI.create(url.trim())));
        }
        servers = List.copyOf(checked);
        check(clients() >= 0 && clients() <= MAX_CLIENTS, "clients must be in [0, " + MAX_CLIENTS + "]");
        check(channels >= 1 && channels <= MAX_CHANNELS, "channels must be in [1, " + MAX_CHANNELS + "]");
        check(publishers >= 0 && publishers <= MAX_PUBLISHERS, "publishers must be in [0, " + MAX_PUBLISHERS + "]");
        check(rate >= 0 && rate <= MAX_RATE_PER_SEC, "rate must be in [0, " + MAX_RATE_PER_SEC + "]");
        check(window >= 1 && window <= 1_000_000, "window must be in [1, 1000000]");
        check(payloadBytes() >= 0 && payloadBytes() <= MAX_PAYLOAD_BYTES, "size must be in [0, " + MAX_PAYLOAD_BYTES + "]");
        check(durationMs() >= 1 && durationMs() <= MAX_DURATION_MS, "duration must be in (0, 24h]");
        check(warmupMs() <= 3_600_000, "warmup must be in [0, 1h]");
        check(drainMs() <= 600_000, "drain must be in [0, 10min]");
        check(holdMs() <= 3_600_000, "hold must be in [0, 1h]");
        check(connectRatePerSec() >= 1 && connectRatePerSec() <= 1_000_000, "connect-rate must be in [1, 1000000]");
        check(rampTimeoutMs() <= 3_600_000, "ramp-timeout must be in [0, 1h]");
        check(ioThreads() >= 1 && ioThreads() <= MAX_IO_THREADS, "io-threads must be in [1, " + MAX_IO_THREADS + "]");
        check(maxMessages >= 1, "max-messages must be >= 1");
        check(label() != null && !label().isBlank() && label().length() <= 100, "label must be 1..100 characters");
        return this;
    }

    /** Accepts the Bayeux names {@code websocket} and {@code long-polling}. */
    static final class TransportConverter implements CommandLine.ITypeConverter<TransportKind> {
        @Override
        public TransportKind convert(String value) {
            return TransportKind.fromName(value);
        }
    }
}
