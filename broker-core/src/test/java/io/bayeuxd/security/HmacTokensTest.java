package io.bayeuxd.security;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HmacTokensTest {
    private final HmacTokens tokens = new HmacTokens("0123456789abcdef-secret");

    @Test
    void validTokenYieldsItsPrincipalUntilItExpires() {
        String t = tokens.issue("alice", Set.of("admin", "ops"), 1_000);
        Principal p = tokens.verify(t, 999);
        assertThat(p.user()).isEqualTo("alice");
        assertThat(p.roles()).containsExactlyInAnyOrder("admin", "ops");
        assertThat(tokens.verify(t, 1_000)).isNull();
    }

    @Test
    void tamperedOrForeignTokensAreRejected() {
        String t = tokens.issue("alice", Set.of(), 1_000);
        String[] parts = t.split("\\.");
        String otherUser = parts[0] + "." + "Ym9i" + "." + parts[2] + "." + parts[3] + "." + parts[4];
        assertThat(tokens.verify(otherUser, 0)).isNull();
        assertThat(tokens.verify(t.substring(0, t.length() - 2) + "xx", 0)).isNull();
        assertThat(new HmacTokens("another-secret-of-16+").verify(t, 0)).isNull();
        assertThat(tokens.verify("garbage", 0)).isNull();
        assertThat(tokens.verify("v1.a.b.notanumber.c", 0)).isNull();
        assertThat(tokens.verify(null, 0)).isNull();
    }

    @Test
    void shortSecretsAreRefused() {
        assertThatThrownBy(() -> new HmacTokens("short")).isInstanceOf(IllegalArgumentException.class);
    }
}
