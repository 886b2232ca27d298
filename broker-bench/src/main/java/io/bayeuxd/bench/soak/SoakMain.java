package io.bayeuxd.bench.soak;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Command-line entry point of the soak driver; {@code bench/soak.sh} starts the broker and runs it.
 *
 * <p>Exit status: 0 when every check passed, 1 when one failed (loss, sessions or descriptors not
 * back, heap growth, the broker exiting), 2 for invalid options, 3 when the soak could not start
 * (broker not ready, nobody subscribed).
 */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs a bounded soak against a bayeuxd broker on loopback: well-behaved WebSocket clients "
                + "with tracked deliveries, churn, slow consumers and garbage together, sampling the broker's "
                + "memory, descriptors and sessions, then checks that nothing was lost and everything came back.")
public final class SoakMain implements Callable<Integer> {

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
    @Option(names = "--replot", description = "no soak: draw DIR/soak.svg again from DIR/soak.csv (and its phases), "
            + "titled after the other options")
    Path replotDir;

    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    static int execute(String[] args, PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(new SoakMain(out, err));
        commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        return commandLine.execute(args);
    }

    private final PrintStream out;
    private final PrintStream err;

    SoakMain(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    SoakMain() {
        this(System.out, System.err);
    }

    @Override
    public Integer call() throws Exception {
        SoakConfig config;
        try {
            config = toConfig();
        } catch (IllegalArgumentException e) {
            err.println("invalid options: " + e.getMessage());
            return 2;
        }
        if (replotDir != null) {
            out.println("wrote " + SoakReport.replot(replotDir, SoakReport.title(config)));
            return 0;
        }
        int status = new SoakRun(config, out, err).run();
        out.flush();
        return status;
    }

    SoakConfig toConfig() {
        return SoakConfig.builder()
                .url(url)
                .brokerPid(brokerPid)
                .durationMs(durationSec * 1000)
                .warmupMs(warmupSec < 0 ? -1 : warmupSec * 1000)
                .clients(clients)
                .channels(channels)
                .publishers(publishers)
                .ratePerSec(rate)
                .payloadBytes(size)
                .busyRatePerSec(busyRate)
                .busyPayloadBytes(busySize)
                .busyWatchers(busyWatchers)
                .churnPerSec(churnRate)
                .churnLongPollPercent(churnLongPolling)
                .churnAbruptPercent(churnAbrupt)
                .churnLifetimeMs(Math.round(churnLifetimeSec * 1000))
                .slowConsumers(slow)
                .slowLifetimeMs(slowLifetimeSec * 1000)
                .slowKeepConnecting(!slowSilent)
                .slowChatterMs(slowChatterMs)
                .garbagePerSec(garbageRate)
                .brokerTimeoutMs(brokerTimeoutSec * 1000)
                .brokerMaxMessageBytes(brokerMaxMessageBytes)
                .connectRatePerSec(connectRate)
                .sampleIntervalMs(Math.round(sampleIntervalSec * 1000))
                .fdSlack(fdSlack)
                .ioThreads(ioThreads)
                .outDir(outDir)
                .build();
    }
}
