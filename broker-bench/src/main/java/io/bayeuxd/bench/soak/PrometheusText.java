package io.bayeuxd.bench.soak;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads values out of a Prometheus text exposition (the format {@code /metrics} serves): the sum of
 * every sample of one metric whose labels include the given ones. Enough for gauges and counters;
 * histograms are not needed here.
 */
final class PrometheusText {

    private PrometheusText() {
    }

    /**
     * Sums the samples named exactly {@code name} whose labels contain all of {@code labels}; NaN when
     * there is none.
     *
     * @param labels alternating label names and values, e.g. {@code "area", "heap"}
     */
    static double sum(String exposition, String name, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        double total = 0;
        boolean found = false;
        int lineStart = 0;
        int length = exposition.length();
        while (lineStart < length) {
            int lineEnd = exposition.indexOf('\n', lineStart);
            if (lineEnd < 0) {
                lineEnd = length;
            }
            if (exposition.startsWith(name, lineStart)) {
                double value = sampleValue(exposition.substring(lineStart, lineEnd), name, labels);
                if (!Double.isNaN(value)) {
                    total += value;
                    found = true;
                }
            }
            lineStart = lineEnd + 1;
        }
        return found ? total : Double.NaN;
    }

    /** The value of one sample line if it is {@code name} with the wanted labels, else NaN. */
    private static double sampleValue(String line, String name, String[] labels) {
        int at = name.length();
        if (at >= line.length()) {
            return Double.NaN;
        }
        Map<String, String> present = Map.of();
        char next = line.charAt(at);
        if (next == '{') {
            int close = line.indexOf('}', at);
            if (close < 0) {
                return Double.NaN;
            }
            present = parseLabels(line.substring(at + 1, close));
            at = close + 1;
        } else if (next != ' ') {
            return Double.NaN; // a longer name that starts with this one
        }
        for (int i = 0; i < labels.length; i += 2) {
            if (!labels[i + 1].equals(present.get(labels[i]))) {
                return Double.NaN;
            }
        }
        String[] rest = line.substring(at).trim().split("\\s+");
        if (rest.length == 0 || rest[0].isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(rest[0]);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** {@code a="x",b="y \"q\""} to a map; escapes inside values are kept as they are but for {@code \"}. */
    static Map<String, String> parseLabels(String inside) {
        Map<String, String> labels = new HashMap<>();
        int i = 0;
        int n = inside.length();
        while (i < n) {
            int eq = inside.indexOf('=', i);
            if (eq < 0 || eq + 1 >= n || inside.charAt(eq + 1) != '"') {
                break;
            }
            String key = inside.substring(i, eq).trim();
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            while (j < n && inside.charAt(j) != '"') {
                if (inside.charAt(j) == '\\' && j + 1 < n) {
                    j++;
                }
                value.append(inside.charAt(j));
                j++;
            }
            labels.put(key, value.toString());
            i = j + 1;
            while (i < n && (inside.charAt(i) == ',' || inside.charAt(i) == ' ')) {
                i++;
            }
        }
        return labels;
    }
}
