package io.bayeuxd.bench.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link RunResult}: a table for people, one JSON line for scripts, and the files in
 * {@code --out}: {@code <label>.hgrm} (HdrHistogram percentile distribution, in milliseconds),
 * {@code <label>.svg} (latency by percentile) and {@code <label>.json} (the JSON line).
 */
final class ResultReport {

    private final RunResult result;

    ResultReport(RunResult result) {
        this.result = result;
    }

    /** The human-readable summary. */
    String table() {
        LoadConfig c = result.config();
        StringBuilder out = new StringBuilder(1024);
        String rule = "-".repeat(72) + "\n";
        out.append(rule);
        out.append(String.format(Locale.ROOT, "bayeuxd loadgen   label %s   %s   %s%n", c.label(), c.transport(), c.urlList()));
        out.append(String.format(Locale.ROOT,
                "clients %d  channels %d  publishers %d  rate %s  size %d B  warmup %s s  duration %s s  io %s x%d%n",
                c.clients(), c.channels(), c.publishers(), c.ratePerSec() == 0 ? "max (window " + c.window() + ")" : c.ratePerSec() + "/s",
                c.payloadBytes(), seconds(c.warmupMs()), seconds(c.durationMs()), result.ioTransport(), c.ioThreads()));
        out.append(rule);
        if (!result.completed()) {
            out.append("NOT COMPLETED: ").append(result.note()).append('\n');
        }
        row(out, "subscribed", String.format(Locale.ROOT, "%d / %d clients, %d / %d publishers ready",
                result.subscribedClients(), c.clients(), result.readyPublishers(), c.publishers()));
        row(out, "published", String.format(Locale.ROOT, "%d  (%.1f/s)", result.published(), result.publishedPerSec()));
        row(out, "expected", Long.toString(result.expected()));
        row(out, "delivered", String.format(Locale.ROOT, "%d  (%.1f/s)", result.delivered(), result.deliveredPerSec()));
        row(out, "lost", String.format(Locale.ROOT, "%d  (%.3f %%)%s", result.lost(), result.lostPercent(),
                result.extra() > 0 ? "   extra " + result.extra() : ""));
        row(out, "latency ms", String.format(Locale.ROOT, "p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  mean %s",
                ms(result.latencyMs(50)), ms(result.latencyMs(90)), ms(result.latencyMs(99)),
                ms(result.latencyMs(99.9)), ms(result.maxLatencyMs()), ms(result.meanLatencyMs())));
        row(out, "errors", errorSummary());
        row(out, "other", String.format(Locale.ROOT, "re-handshakes %d  dead sessions %d  window stalls %d  foreign messages %d",
                result.rehandshakes(), result.deadSessions(), result.windowStalls(), result.foreignMessages()));
        row(out, "loadgen cpu", result.loadgenCpuCores() < 0 ? "unknown"
                : String.format(Locale.ROOT, "%.2f cores during %s", result.loadgenCpuCores(),
                        c.publishers() == 0 ? "the hold" : "measurement"));
        for (Map.Entry<ErrorKind, String> last : result.lastErrors().entrySet()) {
            row(out, "  last " + last.getKey().name().toLowerCase(Locale.ROOT), truncate(last.getValue(), 100));
        }
        out.append(rule);
        return out.toString();
    }

    private String errorSummary() {
        if (result.totalErrors() == 0) {
            return "0";
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<ErrorKind, Long> e : result.errors().entrySet()) {
            if (e.getValue() > 0) {
                parts.add(e.getKey().name().toLowerCase(Locale.ROOT) + " " + e.getValue());
            }
        }
        return result.totalErrors() + "  (" + String.join(", ", parts) + ")";
    }

    /** One line of JSON with the headline numbers; keys are stable for scripts. */
    String jsonLine() {
        LoadConfig c = result.config();
        return new JsonLine()
                .put("label", c.label())
                .put("transport", c.transport().bayeuxName())
                .put("url", c.url().toString())
                .put("servers", c.servers().size())
                .put("completed", result.completed())
                .put("clients", c.clients())
                .put("channels", c.channels())
                .put("publishers", c.publishers())
                .put("rate", c.ratePerSec())
                .put("window", c.window())
                .put("size", c.payloadBytes())
                .put("warmup", c.warmupMs() / 1000.0)
                .put("duration", c.durationMs() / 1000.0)
                .put("hold", c.holdMs() / 1000.0)
                .put("subscribed", result.subscribedClients())
                .put("published", result.published())
                .put("expected", result.expected())
                .put("delivered", result.delivered())
                .put("lost", result.lost())
                .put("extra", result.extra())
                .put("publishedPerSec", round(result.publishedPerSec()))
                .put("deliveredPerSec", round(result.deliveredPerSec()))
                .put("p50Ms", round(result.latencyMs(50)))
                .put("p90Ms", round(result.latencyMs(90)))
                .put("p99Ms", round(result.latencyMs(99)))
                .put("p999Ms", round(result.latencyMs(99.9)))
                .put("maxMs", round(result.maxLatencyMs()))
                .put("meanMs", round(result.meanLatencyMs()))
                .put("errors", result.totalErrors())
                .put("rehandshakes", result.rehandshakes())
                .put("deadSessions", result.deadSessions())
                .put("loadgenCpuCores", round(result.loadgenCpuCores()))
                .put("io", result.ioTransport())
                .put("ioThreads", c.ioThreads())
                .toString();
    }

    /** Writes the percentile distribution, the plot and the JSON line into {@code dir}; returns the paths. */
    List<Path> writeFiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        String base = fileSafe(result.config().label());
        Path hgrm = dir.resolve(base + ".hgrm");
        try (PrintStream out = new PrintStream(Files.newOutputStream(hgrm), false, StandardCharsets.UTF_8)) {
            // Recorded in microseconds; scaled so the file reads in milliseconds.
            result.latencyUs().outputPercentileDistribution(out, 5, 1000.0);
        }
        Path svg = dir.resolve(base + ".svg");
        Files.writeString(svg, new LatencyPlot(result.latencyUs(), 1000.0, plotTitle()).toSvg(), StandardCharsets.UTF_8);
        Path json = dir.resolve(base + ".json");
        Files.writeString(json, jsonLine() + "\n", StandardCharsets.UTF_8);
        return List.of(hgrm, svg, json);
    }

    private String plotTitle() {
        LoadConfig c = result.config();
        return String.format(Locale.ROOT, "%s: %s, %d clients, %d channels, %s, %d B, %s s",
                c.label(), c.transport(), c.clients(), c.channels(),
                c.ratePerSec() == 0 ? "max rate" : c.ratePerSec() + " msg/s", c.payloadBytes(), seconds(c.durationMs()));
    }

    static String fileSafe(String label) {
        return label.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append(String.format(Locale.ROOT, "%-14s %s%n", name, value));
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : String.format(Locale.ROOT, "%.3f", ms / 1000.0);
    }

    private static double round(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
