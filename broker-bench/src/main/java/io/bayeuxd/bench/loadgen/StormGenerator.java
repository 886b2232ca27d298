package io.bayeuxd.bench.loadgen;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Command-line entry point of scenario S6 ({@link StormRun}): many idle WebSocket clients, a
 * broadcast to all of them, and a reconnect storm. Prints progress on stderr, and on stdout a summary
 * and then one JSON line of results for {@code bench/side-by-side-report.js}.
 *
 * <p>One process is enough for about 19,000 clients here: it holds one descriptor per client plus
 * about 40 of its own, under an open-file limit of 20,000. Several processes, each with its share of
 * the clients, would be needed only beyond that.
 *
 * <p>Exit status: 0 when the run ended (losses, errors and slow reconnection are results), 2 for
 * invalid options.
 */
@Command(name = "storm", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Scenario S6: WebSocket clients on rooms and one broadcast channel; idle, broadcast, reconnect storm.")
public final class StormGenerator implements Callable<Integer> {

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8000/", description = "Bayeux endpoint on loopback (default ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--clients", defaultValue = "18500", description = "WebSocket clients (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--rooms", defaultValue = "1000",
            description = "room channels /bench/0..N-1, one per client round-robin; the broadcast channel is /bench/N (default ${DEFAULT-VALUE})")
    int rooms;

    @Option(names = "--connect-rate", defaultValue = "1000", description = "handshakes per second in the ramp (default ${DEFAULT-VALUE})")
    long connectRate;

    @Option(names = "--ramp-timeout", defaultValue = "60", description = "seconds allowed beyond the paced ramp (default ${DEFAULT-VALUE})")
    double rampTimeoutSec;

    @Option(names = "--hold", defaultValue = "30", description = "idle seconds after the ramp (default ${DEFAULT-VALUE})")
    double holdSec;

    @Option(names = "--broadcast-rates", split = ",", defaultValue = "1,5",
            description = "broadcast phases, messages per second each (default ${DEFAULT-VALUE})")
    long[] broadcastRates;

    @Option(names = "--duration", defaultValue = "60", description = "seconds of each broadcast phase (default ${DEFAULT-VALUE})")
    double durationSec;

    @Option(names = "--drain", defaultValue = "10", description = "seconds to wait for a phase's late deliveries (default ${DEFAULT-VALUE})")
    double drainSec;

    @Option(names = "--size", defaultValue = "100", description = "bytes of each message's data (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--storm-spread", defaultValue = "5", description = "seconds over which dropped clients reconnect (default ${DEFAULT-VALUE})")
    double stormSpreadSec;

    @Option(names = "--storm-timeout", defaultValue = "90",
            description = "seconds allowed for every client to be subscribed again (default ${DEFAULT-VALUE})")
    double stormTimeoutSec;

    @Option(names = "--probe-url", description = "http URL on loopback fetched every 100 ms during the storm, e.g. the broker's /healthz")
    URI probeUrl;

    @Option(names = "--server-pid", defaultValue = "0", description = "the server's process id, to sample its RSS during the storm")
    long serverPid;

    @Option(names = "--io-threads", defaultValue = "1", description = "event-loop threads (default ${DEFAULT-VALUE})")
    int ioThreads;

    @Option(names = "--label", defaultValue = "s6", description = "name of the run (default ${DEFAULT-VALUE})")
    String label;

    @Option(names = "--quiet", description = "no progress lines on stderr")
    boolean quiet;

    private final PrintStream out;
    private final PrintStream err;

    StormGenerator(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs the command with the given streams; returns the exit status. */
    static int execute(String[] args, PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(new StormGenerator(out, err));
        commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        return commandLine.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        LoadConfig config;
        StormRun.Options options;
        try {
            config = LoadConfig.builder()
                    .url(url).transport(TransportKind.WEBSOCKET).clients(clients).channels(rooms).publishers(0)
                    .payloadBytes(size).durationMs(ms(durationSec)).warmupMs(0).drainMs(ms(drainSec)).holdMs(ms(holdSec))
                    .connectRatePerSec(connectRate).rampTimeoutMs(ms(rampTimeoutSec)).ioThreads(ioThreads).label(label)
                    .build();
            Settings.check(broadcastRates.length >= 1 && Arrays.stream(broadcastRates).allMatch(r -> r >= 1 && r <= 10_000),
                    "broadcast-rates must be 1 to 10000 each");
            Settings.check(ms(stormSpreadSec) <= 600_000 && ms(stormTimeoutSec) >= 1 && ms(stormTimeoutSec) <= 3_600_000,
                    "storm-spread must be at most 10 min, storm-timeout in (0, 1h]");
            if (probeUrl != null) {
                ServerUrl.of(probeUrl); // loopback only
            }
            options = new StormRun.Options(broadcastRates, ms(stormSpreadSec), ms(stormTimeoutSec), probeUrl, serverPid);
        } catch (IllegalArgumentException e) {
            err.println("invalid options: " + e.getMessage());
            return 2;
        }
        if (!quiet) {
            err.println("storm: " + config + " broadcastRates=" + Arrays.toString(broadcastRates));
        }
        StormRun.Result result = new StormRun(config, options, quiet ? null : err).run();
        out.print(summary(result));
        out.println(json(result));
        out.flush();
        return 0;
    }

    static String summary(StormRun.Result r) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "clients subscribed: %d of %d%n", r.subscribed(), r.config().clients()));
        for (StormRun.Phase p : r.phases()) {
            s.append(String.format(Locale.ROOT, "broadcast %d/s: published %d, delivered %d of %d, p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    p.ratePerSec(), p.published(), p.delivered(), p.expected(), StormRun.percentileMs(p.latencyUs(), 50),
                    StormRun.percentileMs(p.latencyUs(), 99), StormRun.percentileMs(p.latencyUs(), 100)));
        }
        StormRun.Storm st = r.storm();
        s.append(String.format(Locale.ROOT, "storm: %d of %d subscribed again, full after %.0f ms, errors %d; probes %d, failed %d, worst %.1f ms; peak RSS %d KB%n",
                st.resubscribed(), st.clients(), st.fullMs(), st.errors(), st.probes(), st.probeFailures(), st.probeWorstMs(), st.peakRssKb()));
        return s.toString();
    }

    static String json(StormRun.Result r) {
        JsonLine j = new JsonLine().put("label", r.config().label()).put("clients", r.config().clients())
                .put("rooms", r.config().channels()).put("subscribed", r.subscribed())
                .put("holdSec", r.config().holdMs() / 1000.0).put("phaseSec", r.config().durationMs() / 1000.0)
                .put("loadgenIdleCores", r.loadgenIdleCores());
        List<StormRun.Phase> phases = r.phases();
        StringBuilder rates = new StringBuilder();
        for (StormRun.Phase p : phases) {
            String k = "b" + p.ratePerSec() + "_";
            rates.append(rates.length() == 0 ? "" : ",").append(p.ratePerSec());
            j.put(k + "published", p.published()).put(k + "expected", p.expected()).put(k + "delivered", p.delivered())
                    .put(k + "p50Ms", StormRun.percentileMs(p.latencyUs(), 50))
                    .put(k + "p99Ms", StormRun.percentileMs(p.latencyUs(), 99))
                    .put(k + "p999Ms", StormRun.percentileMs(p.latencyUs(), 99.9))
                    .put(k + "maxMs", StormRun.percentileMs(p.latencyUs(), 100));
        }
        StormRun.Storm st = r.storm();
        return j.put("rates", rates.toString())
                .put("stormClients", st.clients()).put("stormResubscribed", st.resubscribed()).put("stormFullMs", st.fullMs())
                .put("stormErrors", st.errors()).put("probes", st.probes()).put("probeFailures", st.probeFailures())
                .put("probeNotOk", st.probeNotOk()).put("probeWorstMs", st.probeWorstMs())
                .put("probeLastFailure", st.probeLastFailure()).put("stormPeakRssKb", st.peakRssKb())
                .put("errors", r.errors()).put("lastErrors", r.lastErrors()).toString();
    }

    private static long ms(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            throw new IllegalArgumentException("durations must be non-negative seconds: " + seconds);
        }
        return Math.round(seconds * 1000);
    }
}
