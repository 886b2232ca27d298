package io.bayeuxd.bench.loadgen;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;
import java.nio.file.Path;

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
public final class LoadGenerator extends BenchCommand {

    @Mixin
    LoadConfig config;

    public static void main(String[] args) {
        System.exit(new LoadGenerator(System.out, System.err).execute(args));
    }

    /** Runs the command with the given streams; returns the exit status. */
    static int execute(String[] args, PrintStream out, PrintStream err) {
        return new LoadGenerator(out, err).execute(args);
    }

    LoadGenerator(PrintStream out, PrintStream err) {
        super(out, err);
    }

    LoadGenerator() {
        this(System.out, System.err);
    }

    @Override
    public Integer call() throws Exception {
        try {
            config.validate();
        } catch (IllegalArgumentException e) {
            return invalid(e);
        }
        if (!config.quiet()) {
            err.println("loadgen: " + config);
        }
        RunResult result = new LoadRun(config, config.quiet() ? null : err).run();
        ResultReport report = new ResultReport(result);
        out.print(report.table());
        for (Path file : report.writeFiles(config.outDir())) {
            out.println("wrote " + file);
        }
        out.println(report.jsonLine());
        out.flush();
        return result.completed() ? 0 : 1;
    }
}
