package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.BenchCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;

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
public final class SoakMain extends BenchCommand {

    @Mixin
    SoakConfig config;

    @Option(names = "--replot", description = "no soak: draw DIR/soak.svg again from DIR/soak.csv (and its phases), "
            + "titled after the other options")
    Path replotDir;

    public static void main(String[] args) {
        System.exit(new SoakMain(System.out, System.err).execute(args));
    }

    static int execute(String[] args, PrintStream out, PrintStream err) {
        return new SoakMain(out, err).execute(args);
    }

    SoakMain(PrintStream out, PrintStream err) {
        super(out, err);
    }

    SoakMain() {
        this(System.out, System.err);
    }

    @Override
    public Integer call() throws Exception {
        try {
            config.validate();
        } catch (IllegalArgumentException e) {
            return invalid(e);
        }
        if (replotDir != null) {
            out.println("wrote " + SoakReport.replot(replotDir, SoakReport.title(config)));
            return 0;
        }
        int status = new SoakRun(config, out, err).run();
        out.flush();
        return status;
    }
}
