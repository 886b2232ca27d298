package io.bayeuxd.bench.loadgen;

import picocli.CommandLine;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * Base of the bench's picocli commands (load generator, storm, soak): the streams they print to,
 * which tests replace, and how they run.
 */
public abstract class BenchCommand implements Callable<Integer> {

    /** Exit status for options that parse but are not valid together. */
    public static final int INVALID_OPTIONS = 2;

    protected final PrintStream out;
    protected final PrintStream err;

    protected BenchCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Parses {@code args} into this command and runs it; returns the exit status. */
    public final int execute(String... args) {
        CommandLine commandLine = new CommandLine(this);
        commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        return commandLine.execute(args);
    }

    /** Reports options that {@code validate} refused; returns the exit status for them. */
    protected final int invalid(IllegalArgumentException e) {
        err.println("invalid options: " + e.getMessage());
        return INVALID_OPTIONS;
    }
}
