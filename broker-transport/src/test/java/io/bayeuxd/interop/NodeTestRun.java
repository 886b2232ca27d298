package io.bayeuxd.interop;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a Node test suite ({@code node --test} on its {@code test/} folder) against the broker and
 * asserts that it passed, printing its report into the test log. Shared by the Faye Node client and the
 * browser interop tests.
 */
public final class NodeTestRun {
    /** The Faye Node client's interop suite, {@code interop/faye}. */
    static final Path FAYE_SUITE = Path.of("..", "interop", "faye").toAbsolutePath().normalize();

    /**
     * Skips the calling test, saying why, unless Node runs and the Faye suite's {@code node_modules} are
     * installed ({@code .ci/run} installs both).
     *
     * @param what the tests skipped, for the message
     */
    static void assumeFayeSuite(String what) {
        Assumptions.assumeTrue(toolRuns("node", "--version"), "node is not installed: " + what + " skipped");
        Assumptions.assumeTrue(Files.isDirectory(FAYE_SUITE.resolve("node_modules").resolve("faye")),
                "interop/faye/node_modules missing (run `npm ci` in interop/faye): " + what + " skipped");
    }

    private NodeTestRun() {
    }

    /** Whether {@code tool versionOption} runs and exits 0: the tool is installed. */
    public static boolean toolRuns(String tool, String versionOption) {
        try {
            Process p = new ProcessBuilder(tool, versionOption).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Runs the suite in {@code suite} with {@code env} added to the environment, for at most {@code limit},
     * and asserts that every test passed and at least one ran.
     */
    static void assertPasses(Path suite, Map<String, String> env, Duration limit, String what) throws IOException, InterruptedException {
        assertPasses(suite, "test/", env, limit, what);
    }

    /** {@link #assertPasses(Path, Map, Duration, String)} for the tests in {@code tests}, a folder or file of {@code suite}. */
    static void assertPasses(Path suite, String tests, Map<String, String> env, Duration limit, String what)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("node-test-run", ".log");
        ProcessBuilder pb = new ProcessBuilder("node", "--test", "--test-reporter=spec", tests)
                .directory(suite.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean finished = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            // Children first (a browser and its helpers): they would outlive a killed Node.
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        System.out.println(output);
        assertThat(finished).as("%s finished within %s:%n%s", what, limit, output).isTrue();
        assertThat(p.exitValue()).as("%s:%n%s", what, output).isZero();
        assertThat(output).containsPattern("(?m)^\\S* ?fail 0$").containsPattern("(?m)^\\S* ?pass [1-9][0-9]*$");
    }
}
