package io.bayeuxd.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** One scrape of {@code /metrics} in the Prometheus text format: each sample by its name and labels. */
record Scrape(String text, Map<String, Double> samples) {
    static Scrape parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            // Label values may hold spaces; the value follows the closing brace, or the name.
            int end = line.indexOf('}') >= 0 ? line.indexOf('}') + 1 : line.indexOf(' ');
            samples.put(line.substring(0, end), Double.parseDouble(line.substring(end + 1).trim()));
        }
        return new Scrape(text, samples);
    }

    /** The sample {@code series}, e.g. {@code bayeux_errors_total{code="401"}}; fails if it is missing. */
    double get(String series) {
        Double v = samples.get(series);
        if (v == null) {
            throw new AssertionError("no sample " + series + " in the scrape");
        }
        return v;
    }

    double delta(Scrape before, String series) {
        return get(series) - before.get(series);
    }

    /** Every sample name, without labels. */
    Set<String> names() {
        Set<String> names = new TreeSet<>();
        for (String series : samples.keySet()) {
            int brace = series.indexOf('{');
            names.add(brace < 0 ? series : series.substring(0, brace));
        }
        return names;
    }
}
