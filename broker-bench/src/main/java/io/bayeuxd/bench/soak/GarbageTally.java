package io.bayeuxd.bench.soak;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** How the broker answered each kind of garbage, and how many answers were not among the right ones. Thread-safe. */
final class GarbageTally {

    private final Map<GarbageKind, Map<String, Long>> outcomes = new EnumMap<>(GarbageKind.class);
    private long total;
    private long unexpected;

    synchronized void add(GarbageKind kind, String outcome) {
        outcomes.computeIfAbsent(kind, k -> new TreeMap<>()).merge(outcome, 1L, Long::sum);
        total++;
        if (!kind.expected().contains(outcome)) {
            unexpected++;
        }
    }

    synchronized long total() {
        return total;
    }

    synchronized long unexpected() {
        return unexpected;
    }

    synchronized long count(GarbageKind kind, String outcome) {
        return outcomes.getOrDefault(kind, Map.of()).getOrDefault(outcome, 0L);
    }

    /** One line per kind: {@code KIND  outcome xN, ...  (expected: ...)}, unexpected outcomes marked with {@code !}. */
    synchronized String table() {
        StringBuilder out = new StringBuilder();
        for (GarbageKind kind : GarbageKind.values()) {
            Map<String, Long> byOutcome = outcomes.get(kind);
            if (byOutcome == null) {
                continue;
            }
            StringBuilder answers = new StringBuilder();
            for (Map.Entry<String, Long> e : byOutcome.entrySet()) {
                if (answers.length() > 0) {
                    answers.append(", ");
                }
                answers.append(kind.expected().contains(e.getKey()) ? "" : "!").append(e.getKey()).append(" x").append(e.getValue());
            }
            out.append(String.format(Locale.ROOT, "  %-20s %s%n", kind, answers));
        }
        return out.toString();
    }
}
