package io.bayeuxd.bench.soak;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results of a soak: a text summary (figures, the reference samples, the checks, the verdict)
 * and the files {@code soak.csv} (every sample) and {@code soak.svg} (the plot).
 */
final class SoakReport {

    static final String RULE = "-".repeat(100) + "\n";

    private final SoakConfig config;
    private final SoakStats stats;
    private final DeliveryLedger.Summary ledger;
    private final SoakVerdict verdict;
    private final GarbageTally garbage;
    private final List<Sample> samples;
    private final List<SoakPlot.PhaseMark> phases;
    private final Histogram latencyUs;
    private final String samplerError;

    SoakReport(SoakConfig config, SoakStats stats, DeliveryLedger.Summary ledger, SoakVerdict verdict,
               GarbageTally garbage, List<Sample> samples, List<SoakPlot.PhaseMark> phases, Histogram latencyUs,
               String samplerError) {
        this.config = config;
        this.stats = stats;
        this.ledger = ledger;
        this.verdict = verdict;
        this.garbage = garbage;
        this.samples = samples;
        this.phases = phases;
        this.latencyUs = latencyUs;
        this.samplerError = samplerError;
    }

    String text() {
        StringBuilder t = new StringBuilder(4096);
        t.append(RULE);
        t.append(String.format(Locale.ROOT, "bayeuxd soak   %s   broker pid %d%n", config.url(), config.brokerPid()));
        t.append(config).append('\n');
        t.append(RULE);
        t.append(String.format(Locale.ROOT, "well-behaved    %d subscribers (%d on %d channels, %d on the busy channel), %d publishers%n",
                config.clients() + config.busyWatchers(), config.clients(), config.channels(), config.busyWatchers(),
                config.publishers() + (config.busyRatePerSec() > 0 ? 1 : 0)));
        t.append(String.format(Locale.ROOT, "published       %d  (acknowledged %d, refused %d, not sent %d)%n",
                stats.published.sum(), stats.publishAcked.sum(), stats.publishRefused.sum(), stats.publishNotSent.sum()));
        t.append(String.format(Locale.ROOT, "expected        %d%n", ledger.expected()));
        t.append(String.format(Locale.ROOT, "delivered       %d%n", ledger.delivered()));
        t.append(String.format(Locale.ROOT, "lost            %d  (subscribers with loss %d, not subscribed in time %d, duplicates %d)%n",
                ledger.lost(), ledger.subscribersWithLoss(), ledger.excluded(), ledger.duplicates()));
        if (latencyUs.getTotalCount() > 0) {
            t.append(String.format(Locale.ROOT, "latency ms      p50 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  (publish to arrival, %d deliveries)%n",
                    latencyUs.getValueAtPercentile(50) / 1000.0, latencyUs.getValueAtPercentile(99) / 1000.0,
                    latencyUs.getValueAtPercentile(99.9) / 1000.0, latencyUs.getMaxValue() / 1000.0, latencyUs.getTotalCount()));
        }
        String cpu = cpuDuringLoad();
        if (cpu != null) {
            t.append(cpu);
        }
        t.append(String.format(Locale.ROOT, "wb failures     %d%s%n", stats.wellBehavedFailures.sum(),
                stats.lastWellBehavedFailure.get() == null ? "" : "  last: " + stats.lastWellBehavedFailure.get()));
        t.append(String.format(Locale.ROOT, "churn           %d started (%d long-polling), %d left politely, %d abruptly, "
                        + "%d got messages (%d in all), %d failed, %d skipped at the cap%s%n",
                stats.churnStarted.sum(), stats.churnLongPolling.sum(), stats.churnLeftPolitely.sum(),
                stats.churnLeftAbruptly.sum(), stats.churnWithDelivery.sum(), stats.churnDeliveries.sum(),
                stats.churnFailed.sum(), stats.churnSkipped.sum(),
                stats.lastChurnFailure.get() == null ? "" : "  last: " + stats.lastChurnFailure.get()));
        t.append(String.format(Locale.ROOT, "slow consumers  %d started, %d stalled, %d failed%s%n",
                stats.slowStarted.sum(), stats.slowStalled.sum(), stats.slowFailed.sum(),
                stats.lastSlowFailure.get() == null ? "" : "  last: " + stats.lastSlowFailure.get()));
        t.append(String.format(Locale.ROOT, "garbage         %d sent, %d answered, %d unexpected answers (marked !)%n",
                stats.garbageSent.sum(), garbage.total(), garbage.unexpected()));
        t.append(garbage.table());
        t.append(String.format(Locale.ROOT, "malformed       %d frames from the broker the driver could not parse%n",
                stats.malformedFrames.sum()));
        t.append(RULE);
        StringBuilder phaseLine = new StringBuilder("phases         ");
        for (SoakPlot.PhaseMark phase : phases) {
            phaseLine.append(String.format(Locale.ROOT, " %s %.0fs", phase.name(), phase.timeSec()));
        }
        t.append(phaseLine).append('\n');
        t.append("broker samples (after a full GC)\n");
        for (Sample s : samples) {
            if (!s.marker().isEmpty()) {
                t.append(String.format(Locale.ROOT, "  %-9s t=%6.1fs  %s%n", s.marker(), s.timeSec(), SoakRun.describe(s)));
            }
        }
        Sample peak = peak();
        if (peak != null) {
            t.append(String.format(Locale.ROOT, "  %-9s t=%6.1fs  %s%n", "peak rss", peak.timeSec(), SoakRun.describe(peak)));
        }
        if (samplerError != null) {
            t.append("  last sampling problem: ").append(samplerError).append('\n');
        }
        t.append(RULE);
        for (SoakVerdict.Check check : verdict.checks()) {
            t.append(check).append('\n');
        }
        t.append(RULE);
        t.append(verdict.passed() ? "SOAK PASSED\n" : "SOAK FAILED\n");
        return t.toString();
    }

    /** Writes {@code soak.csv}, {@code phases.csv} and {@code soak.svg}. */
    List<Path> writeFiles(Path dir) throws IOException {
        return writeSampleFiles(dir, samples, phases, title(config));
    }

    static String title(SoakConfig config) {
        return String.format(Locale.ROOT, "bayeuxd soak: %d clients, %d s, churn %.0f/s, %d slow consumers",
                config.clients(), config.durationMs() / 1000, config.churnPerSec(), config.slowConsumers());
    }

    static List<Path> writeSampleFiles(Path dir, List<Sample> samples, List<SoakPlot.PhaseMark> phases, String title)
            throws IOException {
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>(samples.size() + 1);
        lines.add(Sample.CSV_HEADER);
        samples.forEach(s -> lines.add(s.csvRow()));
        Path csv = dir.resolve("soak.csv");
        Files.write(csv, lines, StandardCharsets.UTF_8);
        List<String> phaseLines = new ArrayList<>(phases.size() + 1);
        phaseLines.add(PHASES_HEADER);
        phases.forEach(p -> phaseLines.add(String.format(Locale.ROOT, "%s,%.1f", p.name(), p.timeSec())));
        Path phasesCsv = dir.resolve("phases.csv");
        Files.write(phasesCsv, phaseLines, StandardCharsets.UTF_8);
        Path svg = dir.resolve("soak.svg");
        Files.writeString(svg, new SoakPlot(samples, phases, title).toSvg(), StandardCharsets.UTF_8);
        return List.of(csv, phasesCsv, svg);
    }

    static final String PHASES_HEADER = "phase,start_s";

    /**
     * Draws {@code soak.svg} again from a finished soak's {@code soak.csv} and its phases: {@code phases.csv},
     * or, from soaks that predate it, the {@code phases} line of {@code summary.txt}.
     */
    static Path replot(Path dir, String title) throws IOException {
        List<String> rows = Files.readAllLines(dir.resolve("soak.csv"), StandardCharsets.UTF_8);
        List<Sample> samples = new ArrayList<>();
        for (String row : rows.subList(1, rows.size())) {
            if (!row.isBlank()) {
                samples.add(Sample.fromCsvRow(row));
            }
        }
        List<SoakPlot.PhaseMark> phases = new ArrayList<>();
        Path phasesCsv = dir.resolve("phases.csv");
        if (Files.exists(phasesCsv)) {
            for (String row : Files.readAllLines(phasesCsv, StandardCharsets.UTF_8)) {
                String[] f = row.split(",");
                if (f.length == 2 && !row.equals(PHASES_HEADER)) {
                    phases.add(new SoakPlot.PhaseMark(Double.parseDouble(f[1]), f[0]));
                }
            }
        } else {
            for (String line : Files.readAllLines(dir.resolve("summary.txt"), StandardCharsets.UTF_8)) {
                if (line.startsWith("phases ")) {
                    String[] words = line.substring("phases ".length()).trim().split("\\s+");
                    for (int i = 0; i + 1 < words.length; i += 2) {
                        phases.add(new SoakPlot.PhaseMark(Double.parseDouble(words[i + 1].replace("s", "")), words[i]));
                    }
                }
            }
        }
        Path svg = dir.resolve("soak.svg");
        Files.writeString(svg, new SoakPlot(samples, phases, title).toSvg(), StandardCharsets.UTF_8);
        return svg;
    }

    /** Average cores used by the broker and by the driver between the first and last samples of the load. */
    private String cpuDuringLoad() {
        Sample first = null;
        Sample last = null;
        for (Sample s : samples) {
            if (s.phase().equals("load")) {
                first = first == null ? s : first;
                last = s;
            }
        }
        if (first == null || last == first) {
            return null;
        }
        double seconds = (last.timeMs() - first.timeMs()) / 1000.0;
        return String.format(Locale.ROOT, "cpu             broker %.2f cores, driver %.2f cores on average during the load (%d cores in all)%n",
                (last.brokerCpuSec() - first.brokerCpuSec()) / seconds, (last.driverCpuSec() - first.driverCpuSec()) / seconds,
                Runtime.getRuntime().availableProcessors());
    }

    private Sample peak() {
        Sample peak = null;
        for (Sample s : samples) {
            if (peak == null || s.rssBytes() > peak.rssBytes()) {
                peak = s;
            }
        }
        return peak;
    }
}
