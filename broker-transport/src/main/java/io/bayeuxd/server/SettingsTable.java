package io.bayeuxd.server;

import io.bayeuxd.config.Setting;
import io.bayeuxd.config.Unit;

import java.util.List;

/**
 * The Markdown table of {@code docs/configuration.md}, written from the declarations; a test keeps the
 * docs equal to it, so the table cannot drift from what the command line does.
 */
final class SettingsTable {
    private SettingsTable() {
    }

    /** The table for these settings, one row each, ending with a newline. */
    static String markdown(List<Setting<?>> settings) {
        StringBuilder table = new StringBuilder()
                .append("| flag | environment variable | default | value | meaning |\n")
                .append("|---|---|---|---|---|\n");
        for (Setting<?> s : settings) {
            table.append("| `").append(s.flag()).append("` | `").append(s.envVar()).append("` | ")
                    .append(defaultCell(s)).append(" | ").append(cell(valueCell(s))).append(" | ")
                    .append(cell(s.description())).append(" |\n");
        }
        return table.toString();
    }

    private static String defaultCell(Setting<?> s) {
        String text = s.defaultText();
        return text == null || text.isEmpty() ? "(" + s.noDefault() + ")" : "`" + cell(text) + "`";
    }

    /** What the value is: its unit or kind, then its rule: "seconds, at least 1". */
    private static String valueCell(Setting<?> s) {
        String kind = s.unit() == Unit.NONE ? s.type().label() : s.unit().label();
        String rule = s.ruleSummary();
        return rule.isEmpty() ? kind : kind + ", " + rule;
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
