package io.bayeuxd.bench.loadgen;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Command-line entry point of the end-to-end load generator. See the package documentation and
 * {@code broker-bench/README.md} for how to run it.
 *
 * <p>Exit status: 0 when the run completed (losses and errors are results, not failures), 1 when
 * setup failed and nothing was measured, 2 for invalid options.
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures end-to-end latency and throughput of a Bayeux server (bayeuxd, CometD, Faye) "
                + "over raw WebSocket or long-polling, with subscribers and publishers simulated on loopback.")
public final class LoadGenerator implements Callable<Integer> {

    @Option(names = "--url", split = ",", paramLabel = "<url>", defaultValue = "http://127.0.0.1:8000/",
            description = "Bayeux endpoint, http:// or ws:// on a loopback address (default ${DEFAULT-VALUE}); "
                    + "e.g. http://127.0.0.1:8080/cometd. Several (repeat the option, or separate with commas) "
                    + "are the nodes of one cluster: subscribers are spread over them round-robin, every "
                    + "channel's too, and the publishers all use the first")
    List<String> urls;

    @Option(names = "--transport", defaultValue = "websocket", converter = TransportConverter.class,
            description = "websocket or long-polling (default ${DEFAULT-VALUE})")
    TransportKind transport;

    @Option(names = "--clients", defaultValue = "100", description = "subscribing clients (default ${DEFAULT-VALUE})")
    int clients;

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

    @Option(names = "--size", defaultValue = "100", description = "bytes of each message's data object (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--text",
            description = "pad each message's data with words of text, as a record's free text, instead of one repeated "
                    + "letter (which compresses to almost nothing)")
    boolean text;

    @Option(names = "--deflate",
            description = "WebSocket clients offer permessage-deflate (RFC 7692) with Netty's client compression handler")
    boolean deflate;

    @Option(names = "--duration", defaultValue = "30", description = "seconds of measurement (default ${DEFAULT-VALUE})")
    double durationSec;

    @Option(names = "--warmup", defaultValue = "5", description = "seconds of publishing before measuring (default ${DEFAULT-VALUE})")
    double warmupSec;

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

    @Option(names = "--max-messages", defaultValue = "1000000000",
            description = "hard cap on publishes in the run, on top of the time bound (default ${DEFAULT-VALUE})")
    long maxMessages;

    @Option(names = "--out", defaultValue = "target/loadgen", description = "directory for the output files (default ${DEFAULT-VALUE})")
    Path outDir;

    @Option(names = "--label", defaultValue = "run", description = "name of the run, used for the output files (default ${DEFAULT-VALUE})")
    String label;

    @Option(names = "--quiet", description = "no progress lines on stderr")
    boolean quiet;

    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs the command with the given streams; returns the exit status. */
    static int execute(String[] args, PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(new LoadGenerator(out, err));
        commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        return commandLine.execute(args);
    }

    private final PrintStream out;
    private final PrintStream err;

    LoadGenerator(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    LoadGenerator() {
        this(System.out, System.err);
    }

    @Override
    public Integer call() throws Exception {
        LoadConfig config;
        try {
            config = toConfig();
        } catch (IllegalArgumentException e) {
            err.println("invalid options: " + e.getMessage());
            return 2;
        }
        if (!quiet) {
            err.println("loadgen: " + config);
        }
        RunResult result = new LoadRun(config, quiet ? null : err).run();
        ResultReport report = new ResultReport(result);
        out.print(report.table());
        for (Path file : report.writeFiles(config.outDir())) {
            out.println("wrote " + file);
        }
        out.println(report.jsonLine());
        out.flush();
        return result.completed() ? 0 : 1;
    }

    LoadConfig toConfig() {
        return LoadConfig.builder()
                .urls(urls.stream().map(String::trim).map(URI::create).toList())
                .transport(transport)
                .clients(clients)
                .channels(channels)
                .publishers(publishers)
                .ratePerSec(rate)
                .window(window)
                .payloadBytes(size)
                .textPayload(text)
                .deflate(deflate)
                .durationMs(secondsToMs(durationSec))
                .warmupMs(secondsToMs(warmupSec))
                .drainMs(secondsToMs(drainSec))
                .holdMs(secondsToMs(holdSec))
                .connectRatePerSec(connectRate)
                .rampTimeoutMs(secondsToMs(rampTimeoutSec))
                .ioThreads(ioThreads)
                .maxMessages(maxMessages)
                .outDir(outDir)
                .label(label)
                .build();
    }

    private static long secondsToMs(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            throw new IllegalArgumentException("durations must be non-negative seconds: " + seconds);
        }
        return Math.round(seconds * 1000);
    }

    /** Accepts the Bayeux names {@code websocket} and {@code long-polling}. */
    static final class TransportConverter implements CommandLine.ITypeConverter<TransportKind> {
        @Override
        public TransportKind convert(String value) {
            return TransportKind.fromName(value);
        }
    }
}
