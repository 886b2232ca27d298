package io.bayeuxd.bench.loadgen;

import picocli.CommandLine;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Runs the bench's picocli commands (load generator, storm, soak) on given streams, for {@code main} and tests. */
public final class Commands {

    /** Exit status for options that parse but are not valid together. */
    public static final int INVALID_OPTIONS = 2;

    private Commands() {
    }

    /** Parses {@code args} into {@code command} and runs it; returns the exit status. */
    public static int execute(Object command, String[] args, PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(command);
        commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        return commandLine.execute(args);
    }

    /** Reports options that {@code validate} refuses on {@code err}; returns the exit status for them. */
    public static int invalid(PrintStream err, IllegalArgumentException e) {
        err.println("invalid options: " + e.getMessage());
        return INVALID_OPTIONS;
    }
}
