package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.SvgMarkup;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import static io.bayeuxd.bench.loadgen.SvgMarkup.escapeXml;
import static io.bayeuxd.bench.loadgen.SvgMarkup.line;
import static io.bayeuxd.bench.loadgen.SvgMarkup.niceStep;
import static io.bayeuxd.bench.loadgen.SvgMarkup.text;

/**
 * Draws the samples of a soak as a standalone SVG with two panels over the same time axis: memory
 * (RSS, heap committed and used, Netty direct memory, in MiB) on top, open file descriptors and sessions below.
 * Phase changes are dashed vertical lines, samples taken after a full GC are dots.
 */
final class SoakPlot {

    static final int WIDTH = 960;
    static final int PANEL_HEIGHT = 280;
    private static final int LEFT = 80;
    private static final int RIGHT = 170;
    private static final int TOP = 60;
    private static final int GAP = 70;
    private static final int BOTTOM = 50;
    static final int HEIGHT = TOP + 2 * PANEL_HEIGHT + GAP + BOTTOM;
    private static final double MIB = 1024.0 * 1024.0;
    /** Rough width of a character of a 10-pixel label, to keep labels apart. */
    private static final double LABEL_CHAR_WIDTH = 6;

    private final List<Sample> samples;
    private final List<PhaseMark> phases;
    private final String title;

    /** @param phases when each phase of the soak began, in order */
    SoakPlot(List<Sample> samples, List<PhaseMark> phases, String title) {
        this.samples = samples;
        this.phases = phases;
        this.title = title;
    }

    /** A phase of the soak and when it began, in seconds from the start. */
    record PhaseMark(double timeSec, String name) {
    }

    String toSvg() {
        StringBuilder svg = SvgMarkup.open(WIDTH, HEIGHT, 24, 15, title);
        if (samples.isEmpty()) {
            text(svg, WIDTH / 2.0, HEIGHT / 2.0, "middle", 14, "no samples");
            return svg.append("</svg>\n").toString();
        }
        double xMax = Math.max(1, samples.get(samples.size() - 1).timeSec());
        if (!phases.isEmpty()) {
            xMax = Math.max(xMax, phases.get(phases.size() - 1).timeSec());
        }
        Panel memory = new Panel(TOP, "memory (MiB)", xMax, List.of(
                new Series("RSS", "#d62728", s -> s.rssBytes() < 0 ? Double.NaN : s.rssBytes() / MIB),
                new Series("heap committed", "#aec7e8", s -> s.heapCommittedBytes() < 0 ? Double.NaN : s.heapCommittedBytes() / MIB),
                new Series("heap used", "#1f77b4", s -> s.heapUsedBytes() < 0 ? Double.NaN : s.heapUsedBytes() / MIB),
                new Series("Netty direct", "#9467bd", s -> s.directBytes() < 0 ? Double.NaN : s.directBytes() / MIB)));
        Panel clients = new Panel(TOP + PANEL_HEIGHT + GAP, "count", xMax, List.of(
                new Series("open fds", "#2ca02c", s -> s.openFds() < 0 ? Double.NaN : s.openFds()),
                new Series("sessions", "#ff7f0e", s -> s.sessions() < 0 ? Double.NaN : s.sessions())));
        memory.draw(svg, false);
        clients.draw(svg, true);
        return svg.append("</svg>\n").toString();
    }

    private record Series(String name, String color, ToDoubleFunction<Sample> value) {
    }

    private final class Panel {
        final int top;
        final String yLabel;
        final double xMax;
        final List<Series> series;
        final double yMax;

        Panel(int top, String yLabel, double xMax, List<Series> series) {
            this.top = top;
            this.yLabel = yLabel;
            this.xMax = xMax;
            this.series = series;
            double max = 0;
            for (Series s : series) {
                for (Sample sample : samples) {
                    double v = s.value().applyAsDouble(sample);
                    if (!Double.isNaN(v)) {
                        max = Math.max(max, v);
                    }
                }
            }
            double step = niceStep(Math.max(max, 1) / 5);
            this.yMax = Math.max(step, Math.ceil(max / step) * step);
        }

        double x(double sec) {
            return LEFT + (WIDTH - LEFT - RIGHT) * sec / xMax;
        }

        double y(double v) {
            return top + PANEL_HEIGHT - PANEL_HEIGHT * v / yMax;
        }

        void draw(StringBuilder svg, boolean timeLabels) {
            double yStep = niceStep(yMax / 5);
            for (double v = 0; v <= yMax + yStep / 2; v += yStep) {
                line(svg, LEFT, y(v), WIDTH - RIGHT, y(v), "#e6e6e6", false);
                text(svg, LEFT - 6, y(v) + 4, "end", 11, format(v));
            }
            double xStep = niceStep(xMax / 10);
            for (double t = 0; t <= xMax + xStep / 2; t += xStep) {
                line(svg, x(t), top, x(t), top + PANEL_HEIGHT, "#f0f0f0", false);
                if (timeLabels) {
                    text(svg, x(t), top + PANEL_HEIGHT + 16, "middle", 11, format(t));
                }
            }
            drawPhases(svg);
            line(svg, LEFT, top, LEFT, top + PANEL_HEIGHT, "black", false);
            line(svg, LEFT, top + PANEL_HEIGHT, WIDTH - RIGHT, top + PANEL_HEIGHT, "black", false);
            double mid = top + PANEL_HEIGHT / 2.0;
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"20\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 20 %.1f)\">%s</text>%n",
                    mid, mid, escapeXml(yLabel)));
            if (timeLabels) {
                text(svg, (LEFT + WIDTH - RIGHT) / 2.0, top + PANEL_HEIGHT + 36, "middle", 12, "time (s)");
            }
            int legendY = top + 14;
            for (Series s : series) {
                drawSeries(svg, s);
                line(svg, WIDTH - RIGHT + 14, legendY - 4, WIDTH - RIGHT + 38, legendY - 4, s.color(), false);
                text(svg, WIDTH - RIGHT + 44, legendY, "start", 12, s.name());
                legendY += 18;
            }
        }

        /**
         * A dashed line where each phase begins, labelled above the panel; a label that would run into
         * an earlier one goes up a row, and when all three rows are taken, right of the earliest free one.
         */
        void drawPhases(StringBuilder svg) {
            double[] rowFreeFromX = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
            for (PhaseMark phase : phases) {
                double x = x(Math.min(phase.timeSec(), xMax));
                line(svg, x, top, x, top + PANEL_HEIGHT, "#999999", true);
                int row = 0;
                for (int r = 0; r < rowFreeFromX.length; r++) {
                    if (x + 3 >= rowFreeFromX[r]) {
                        row = r;
                        break;
                    }
                    if (rowFreeFromX[r] < rowFreeFromX[row]) {
                        row = r;
                    }
                }
                double labelX = Math.max(x + 3, rowFreeFromX[row]);
                text(svg, labelX, top - 4 - 11 * row, "start", 10, phase.name());
                rowFreeFromX[row] = labelX + LABEL_CHAR_WIDTH * phase.name().length() + 4;
            }
        }

        void drawSeries(StringBuilder svg, Series s) {
            StringBuilder points = new StringBuilder();
            for (Sample sample : samples) {
                double v = s.value().applyAsDouble(sample);
                if (!Double.isNaN(v)) {
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(sample.timeSec()), y(v)));
                }
            }
            if (points.length() > 0) {
                svg.append("<polyline fill=\"none\" stroke=\"").append(s.color())
                        .append("\" stroke-width=\"1.8\" points=\"").append(points.toString().trim()).append("\"/>\n");
            }
            for (Sample sample : samples) {
                double v = s.value().applyAsDouble(sample);
                if (sample.afterGc() && !Double.isNaN(v)) {
                    svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>%n",
                            x(sample.timeSec()), y(v), s.color()));
                }
            }
        }
    }

    private static String format(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
