package io.bayeuxd.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingTest {
    private static final Setting<Long> IDLE = Setting.named("idle-timeout", ValueType.LONG)
            .defaultValue(-1L).unit(Unit.SECONDS).atLeast(0).special(-1, "follow")
            .description("seconds idle").build();

    @Test
    void theFlagTheVariableAndTheFileKeyComeFromTheName() {
        assertThat(IDLE.flag()).isEqualTo("--idle-timeout");
        assertThat(IDLE.envVar()).isEqualTo("BAYEUXD_IDLE_TIMEOUT");
        assertThat(IDLE.name()).isEqualTo("idle-timeout");
        assertThat(Setting.envVarOf("--max-connections-per-address")).isEqualTo("BAYEUXD_MAX_CONNECTIONS_PER_ADDRESS");
    }

    @Test
    void durationsAreSecondsOutsideAndMillisecondsInside() {
        assertThat(IDLE.toMillis(90)).isEqualTo(90_000);
        assertThat(IDLE.toMillis(-1)).as("a special value keeps its number").isEqualTo(-1);
        assertThat(IDLE.defaultMillis()).isEqualTo(-1);
        assertThat(IDLE.checkMillis(300)).isEqualTo(300);
        assertThatThrownBy(() -> IDLE.checkMillis(-2)).hasMessage("--idle-timeout must be at least 0 s (or -1: follow), not -0.002 s");
    }

    @Test
    void checksNameTheFlagTheRuleAndTheValue() {
        Setting<Integer> port = Setting.named("port", ValueType.INTEGER).defaultValue(8000).between(0, 65535)
                .description("TCP port").build();
        assertThat(port.check(0)).isZero();
        assertThatThrownBy(() -> port.check(65536)).hasMessage("--port must be between 0 and 65535, not 65536");
        assertThat(port.ruleSummary()).isEqualTo("0 to 65535");
        assertThat(IDLE.ruleSummary()).isEqualTo("at least 0; -1: follow");

        Setting<String> url = Setting.named("url", ValueType.TEXT).rule(u -> u.startsWith("redis://"), "must be a redis:// URL")
                .secret().description("where").build();
        assertThatThrownBy(() -> url.check("http://:pw@x")).hasMessage("--url must be a redis:// URL");
    }

    @Test
    void aDefaultMustObeyItsOwnRules() {
        assertThatThrownBy(() -> Setting.named("outbox", ValueType.INTEGER).defaultValue(1).atLeast(2).description("d").build())
                .hasMessageContaining("--outbox must be at least 2");
    }

    @Test
    void valuesReadAsTheyAreWritten() {
        assertThat(ValueType.LIST.parse(" a, b,,c ")).containsExactly("a", "b", "c");
        assertThat(ValueType.LIST.parse("")).isEmpty();
        assertThat(ValueType.LIST.format(List.of("a", "b"))).isEqualTo("a,b");
        assertThatThrownBy(() -> ValueType.INTEGER.parse("eighty")).hasMessage("'eighty' is not an integer");
        assertThat(ValueType.BOOLEAN.parse("TRUE")).isTrue();
        ValueType<Integer> level = ValueType.choice(Integer.class, Map.entry("low", 1), Map.entry("high", 9));
        assertThat(level.parse("high")).isEqualTo(9);
        assertThat(level.format(1)).isEqualTo("low");
        assertThat(level.label()).isEqualTo("`low` or `high`");
        assertThatThrownBy(() -> level.parse("mid")).hasMessage("must be low or high, not mid");
    }

    @Test
    void helpTextIsTheDescriptionWithoutMarkdown() {
        Setting<Long> drain = Setting.named("drain", ValueType.LONG).defaultValue(10L).unit(Unit.SECONDS)
                .description("seconds a `SIGTERM` waits ([operations](operations.md))").build();
        assertThat(drain.plainDescription()).isEqualTo("seconds a SIGTERM waits (operations)");
    }
}
