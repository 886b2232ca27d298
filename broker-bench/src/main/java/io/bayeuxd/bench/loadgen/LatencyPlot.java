package io.bayeuxd.bench.loadgen;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.bayeuxd.bench.loadgen.SvgMarkup.line;
import static io.bayeuxd.bench.loadgen.SvgMarkup.niceStep;
import static io.bayeuxd.bench.loadgen.SvgMarkup.text;

/**
 * Draws a latency distribution as a standalone SVG: latency (ms, linear) against percentile on
 * the usual "number of nines" axis, where x = log10(1 / (1 - p)) puts 90 %, 99 %, 99.9 % at equal
 * steps. The x axis reaches as many nines as the sample count supports.
 */
final class LatencyPlot {

    static final int WIDTH = 800;
    static final int HEIGHT = 480;
    private static final int LEFT = 70;
    private static final int RIGHT = 24;
    private static final int TOP = 56;
    private static final int BOTTOM = 56;

    private final Histogram histogram;
    private final double unitsPerMs;
    private final String title;

    /**
     * @param histogram  the distribution; read, not kept beyond {@link #toSvg()}
     * @param unitsPerMs histogram units per millisecond (1000 for microseconds)
     */
    LatencyPlot(Histogram histogram, double unitsPerMs, String title) {
        this.histogram = histogram;
        this.unitsPerMs = unitsPerMs;
        this.title = title;
    }

    String toSvg() {
        StringBuilder svg = SvgMarkup.open(WIDTH, HEIGHT, 22, 14, title);

        long count = histogram.getTotalCount();
        int nines = count == 0 ? 2 : Math.max(2, (int) Math.ceil(Math.log10(count)));
        double maxMs = count == 0 ? 1 : histogram.getMaxValue() / unitsPerMs;
        double yStep = niceStep(maxMs / 5);
        double yMax = Math.max(yStep, Math.ceil(maxMs / yStep) * yStep);

        // Grid, ticks and labels.
        for (int d = 0; d <= nines; d++) {
            double x = xOf(d, nines);
            line(svg, x, TOP, x, HEIGHT - BOTTOM, "#e0e0e0", false);
            text(svg, x, HEIGHT - BOTTOM + 16, "middle", 12, percentileLabel(d));
        }
        for (double v = 0; v <= yMax + yStep / 2; v += yStep) {
            double y = yOf(v, yMax);
            line(svg, LEFT, y, WIDTH - RIGHT, y, "#e0e0e0", false);
            text(svg, LEFT - 6, y + 4, "end", 12, formatMs(v));
        }
        line(svg, LEFT, TOP, LEFT, HEIGHT - BOTTOM, "black", false);
        line(svg, LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM, "black", false);
        text(svg, (LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 14, "middle", 12, "percentile");
        svg.append(String.format(Locale.ROOT,
                "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">latency (ms)</text>%n",
                (TOP + HEIGHT - BOTTOM) / 2.0, (TOP + HEIGHT - BOTTOM) / 2.0));

        if (count == 0) {
            text(svg, WIDTH / 2.0, HEIGHT / 2.0, "middle", 14, "no latencies recorded");
        } else {
            svg.append("<polyline fill=\"none\" stroke=\"#1f6fb4\" stroke-width=\"2\" points=\"");
            for (double[] point : steps(nines)) {
                svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", xOf(point[0], nines), yOf(point[1], yMax)));
            }
            svg.append("\"/>\n");
            text(svg, WIDTH / 2.0, 40, "middle", 12, String.format(Locale.ROOT,
                    "n=%d   p50 %s ms   p99 %s ms   p99.9 %s ms   max %s ms", count,
                    formatMs(histogram.getValueAtPercentile(50) / unitsPerMs),
                    formatMs(histogram.getValueAtPercentile(99) / unitsPerMs),
                    formatMs(histogram.getValueAtPercentile(99.9) / unitsPerMs), formatMs(maxMs)));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** Points of the step line as (nines, ms): each latency holds from the previous percentile to its own. */
    private List<double[]> steps(int nines) {
        List<double[]> points = new ArrayList<>();
        double previousNines = 0;
        for (HistogramIterationValue v : histogram.percentiles(5)) {
            double ms = histogram.highestEquivalentValue(v.getValueIteratedTo()) / unitsPerMs;
            double n = ninesOf(v.getPercentileLevelIteratedTo(), nines);
            points.add(new double[] {previousNines, ms});
            points.add(new double[] {n, ms});
            previousNines = n;
        }
        return points;
    }

    /** log10(1 / (1 - p)) for p in percent, capped at {@code maxNines} (100 % would be infinite). */
    static double ninesOf(double percentile, int maxNines) {
        if (percentile >= 100) {
            return maxNines;
        }
        return Math.min(maxNines, Math.log10(100.0 / (100.0 - percentile)));
    }

    static String percentileLabel(int nines) {
        if (nines == 0) {
            return "0%";
        }
        if (nines == 1) {
            return "90%";
        }
        if (nines == 2) {
            return "99%";
        }
        return "99." + "9".repeat(nines - 2) + "%";
    }

    private static double xOf(double nines, int maxNines) {
        return LEFT + (WIDTH - LEFT - RIGHT) * nines / maxNines;
    }

    private static double yOf(double ms, double yMax) {
        return HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * ms / yMax;
    }

    private static String formatMs(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f", ms)
                : ms >= 10 ? String.format(Locale.ROOT, "%.1f", ms)
                : String.format(Locale.ROOT, "%.2f", ms);
    }
}
