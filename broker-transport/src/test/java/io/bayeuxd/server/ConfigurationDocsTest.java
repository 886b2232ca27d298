package io.bayeuxd.server;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings table of {@code docs/configuration.md} is the one {@link SettingsTable} writes from the
 * declarations. After changing a declaration, regenerate it with
 * {@code mvn -pl broker-transport -am verify -Dtest=ConfigurationDocsTest -Dsurefire.failIfNoSpecifiedTests=false -Dbayeuxd.writeDocs=true}.
 */
class ConfigurationDocsTest {
    private static final Path DOC = Path.of("..", "docs", "configuration.md");
    static final String BEGIN = "<!-- settings table: written by SettingsTable from the declarations; ConfigurationDocsTest checks it -->\n";
    static final String END = "<!-- end of settings table -->";

    @Test
    void theTableInTheDocsIsTheOneTheDeclarationsGive() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertThat(begin).as("%s has the table's begin marker", DOC).isNotNegative();
        assertThat(end).as("%s has the table's end marker", DOC).isGreaterThan(begin);
        String expected = SettingsTable.markdown(SettingsCatalog.ALL);
        String actual = doc.substring(begin + BEGIN.length(), end);
        if (Boolean.getBoolean("bayeuxd.writeDocs") && !actual.equals(expected)) {
            Files.writeString(DOC, doc.substring(0, begin + BEGIN.length()) + expected + doc.substring(end), StandardCharsets.UTF_8);
            actual = expected;
        }
        assertThat(actual).as("docs/configuration.md's table; rerun this test with -Dbayeuxd.writeDocs=true to rewrite it")
                .isEqualTo(expected);
    }
}
