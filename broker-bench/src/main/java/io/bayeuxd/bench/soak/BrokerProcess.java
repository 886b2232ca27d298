package io.bayeuxd.bench.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The broker seen from outside: its {@code /metrics} and {@code /readyz} over HTTP, and, given its
 * process id, its resident memory and open file descriptors from {@code /proc}, and a full GC through
 * {@code jcmd}. Every call is bounded in time.
 */
final class BrokerProcess {

    static final Duration HTTP_TIMEOUT = Duration.ofSeconds(5);
    static final long JCMD_TIMEOUT_MS = 30_000;

    private final SoakConfig config;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(HTTP_TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    BrokerProcess(SoakConfig config) {
        this.config = config;
    }

    boolean hasPid() {
        return config.brokerPid() > 0;
    }

    /** Whether the process is still there; true when no pid was given. */
    boolean isAlive() {
        return !hasPid() || Files.exists(procPath());
    }

    /**
     * The body of {@code GET /metrics}. One scrape at a time, so the client keeps a single connection to
     * the broker and the descriptor count compares exactly with the baseline.
     */
    synchronized String scrape() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(config.server().resolve("/metrics")).timeout(HTTP_TIMEOUT).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new IOException("/metrics answered " + response.statusCode());
        }
        return response.body();
    }

    /** Waits until {@code /readyz} answers 200, at most {@code timeoutMs}. */
    boolean awaitReady(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        URI uri = config.server().resolve("/readyz");
        while (System.nanoTime() < deadline) {
            if (!isAlive()) {
                return false;
            }
            try {
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(HTTP_TIMEOUT).GET().build();
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** Resident set size in bytes from {@code /proc/<pid>/status}, or -1. */
    long rssBytes() {
        if (!hasPid()) {
            return -1;
        }
        try {
            return vmRssBytes(Files.readAllLines(procPath().resolve("status"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return -1;
        }
    }

    /** Open file descriptors, counted in {@code /proc/<pid>/fd}, or -1. */
    long openFds() {
        if (!hasPid()) {
            return -1;
        }
        try (Stream<Path> fds = Files.list(procPath().resolve("fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Runs {@code jcmd <pid> GC.run}: a full collection, so heap figures compare live data only.
     *
     * @return null on success, else why it did not happen
     */
    String fullGc() throws InterruptedException {
        if (!hasPid()) {
            return "no broker pid";
        }
        try {
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(config.brokerPid()), "GC.run")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!jcmd.waitFor(JCMD_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                jcmd.destroyForcibly();
                return "jcmd timed out";
            }
            return jcmd.exitValue() == 0 ? null : "jcmd exited with " + jcmd.exitValue();
        } catch (IOException e) {
            return "jcmd not available: " + e.getMessage();
        }
    }

    /** The {@code VmRSS:} line of a {@code /proc/<pid>/status}, in bytes; -1 when absent. */
    static long vmRssBytes(List<String> statusLines) {
        for (String line : statusLines) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                try {
                    long value = Long.parseLong(parts[0]);
                    return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private Path procPath() {
        return Path.of("/proc", Long.toString(config.brokerPid()));
    }
}
