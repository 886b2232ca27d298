package io.bayeuxd.bench.loadgen;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.bayeuxd.bench.loadgen.Settings.check;

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
@Command(name = "storm", mixinStandardHelpOptions = true, sortOptions = false, defaultValueProvider = StormGenerator.Defaults.class,
        description = "Scenario S6: WebSocket clients on rooms and one broadcast channel; idle, broadcast, reconnect storm.")
public final class StormGenerator extends BenchCommand {

    @Mixin
    ClientOptions client;

    @Option(names = "--rooms", defaultValue = "1000",
            description = "room channels /bench/0..N-1, one per client round-robin; the broadcast channel is /bench/N (default ${DEFAULT-VALUE})")
    int rooms;

    @Option(names = "--broadcast-rates", split = ",", defaultValue = "1,5",
            description = "broadcast phases, messages per second each (default ${DEFAULT-VALUE})")
    long[] broadcastRates;

    @Option(names = "--storm-spread", defaultValue = "5", description = "seconds over which dropped clients reconnect (default ${DEFAULT-VALUE})")
    double stormSpreadSec;

    @Option(names = "--storm-timeout", defaultValue = "90",
            description = "seconds allowed for every client to be subscribed again (default ${DEFAULT-VALUE})")
    double stormTimeoutSec;

    @Option(names = "--probe-url", description = "http URL on loopback fetched every 100 ms during the storm, e.g. the broker's /healthz")
    URI probeUrl;

    @Option(names = "--server-pid", defaultValue = "0", description = "the server's process id, to sample its RSS during the storm")
    long serverPid;

    StormGenerator(PrintStream out, PrintStream err) {
        super(out, err);
    }

    public static void main(String[] args) {
        System.exit(new StormGenerator(System.out, System.err).execute(args));
    }

    /** Runs the command with the given streams; returns the exit status. */
    static int execute(String[] args, PrintStream out, PrintStream err) {
        return new StormGenerator(out, err).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        LoadConfig config;
        StormRun.Options options;
        try {
            check(client.urls.size() == 1, "url must be given once");
            config = LoadConfig.forStorm(client, rooms);
            check(broadcastRates.length >= 1 && Arrays.stream(broadcastRates).allMatch(r -> r >= 1 && r <= 10_000),
                    "broadcast-rates must be 1 to 10000 each");
            long spreadMs = LoadConfig.ms("storm-spread", stormSpreadSec);
            long timeoutMs = LoadConfig.ms("storm-timeout", stormTimeoutSec);
            check(spreadMs <= 600_000 && timeoutMs >= 1 && timeoutMs <= 3_600_000,
                    "storm-spread must be at most 10 min, storm-timeout in (0, 1h]");
            if (probeUrl != null) {
                ServerUrl.of(probeUrl); // loopback only
            }
            options = new StormRun.Options(broadcastRates, spreadMs, timeoutMs, probeUrl, serverPid);
        } catch (IllegalArgumentException e) {
            return invalid(e);
        }
        if (!config.quiet()) {
            err.println("storm: " + config + " broadcastRates=" + Arrays.toString(broadcastRates));
        }
        StormRun.Result result = new StormRun(config, options, config.quiet() ? null : err).run();
        out.print(summary(result));
        out.println(json(result));
        out.flush();
        return 0;
    }

    /** S6's defaults of the options it shares with the load generator: a bigger, slower run. */
    static final class Defaults implements CommandLine.IDefaultValueProvider {
        private static final Map<String, String> STORM = Map.of("--clients", "18500", "--connect-rate", "1000",
                "--ramp-timeout", "60", "--hold", "30", "--duration", "60", "--drain", "10", "--label", "s6");

        @Override
        public String defaultValue(CommandLine.Model.ArgSpec arg) {
            return arg instanceof CommandLine.Model.OptionSpec option ? STORM.get(option.longestName()) : null;
        }
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
}
