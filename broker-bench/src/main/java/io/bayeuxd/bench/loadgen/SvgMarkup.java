package io.bayeuxd.bench.loadgen;

import java.util.Locale;

/** The few SVG elements the load generator's and the soak's plots draw, written into a {@link StringBuilder}. */
public final class SvgMarkup {
    private SvgMarkup() {
    }

    /** Opens a {@code width} x {@code height} drawing on a white background, {@code title} centred at {@code titleY}. */
    public static StringBuilder open(int width, int height, double titleY, int titleSize, String title) {
        StringBuilder svg = new StringBuilder(32 * 1024);
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, width / 2.0, titleY, "middle", titleSize, title);
        return svg;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code rough}: a step for axis ticks. */
    public static double niceStep(double rough) {
        if (!(rough > 0)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double fraction = rough / magnitude;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    public static void line(StringBuilder svg, double x1, double y1, double x2, double y2, String color, boolean dashed) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"%s/>%n",
                x1, y1, x2, y2, color, dashed ? " stroke-dasharray=\"4 3\"" : ""));
    }

    public static void text(StringBuilder svg, double x, double y, String anchor, int size, String content) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                x, y, anchor, size, escapeXml(content)));
    }

    /** {@code s} as XML text or attribute content; other control characters become spaces. */
    public static String escapeXml(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '&': out.append("&amp;"); break;
                case '"': out.append("&quot;"); break;
                case '\'': out.append("&apos;"); break;
                default: out.append(c < 0x20 && c != '\t' && c != '\n' ? ' ' : c);
            }
        }
        return out.toString();
    }
}
