package io.bayeuxd.transport.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderCopyTest {
    private final HttpHeaders upgrade = new DefaultHttpHeaders()
            .add("Host", "localhost:8000")
            .add("Upgrade", "websocket")
            .add("Connection", "Upgrade")
            .add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
            .add("Sec-WebSocket-Version", "13")
            .add("Origin", "http://app.example")
            .add("Cookie", "a=1; b=2")
            .add("X-Token", "first")
            .add("X-Token", "second")
            .add("X-Empty", "")
            .add("X-Tok", "prefix");

    private final HeaderCopy copy = HeaderCopy.of(upgrade);

    @Test
    void answersAsTheHeadersDidInAnyCase() {
        for (String name : new String[] {"Host", "origin", "COOKIE", "x-token", "X-Tok", "X-Empty", "Nope"}) {
            assertThat(copy.get(name)).as(name).isEqualTo(upgrade.get(name));
        }
        assertThat(copy.get("x-token")).isEqualTo("first");
        assertThat(copy.get("X-Tok")).as("a name that is a prefix of another").isEqualTo("prefix");
        assertThat(copy.get("X-Empty")).isEmpty();
    }

    @Test
    void dropsTheHeadersThatOnlyDescribeTheHandshake() {
        for (String name : new String[] {"Upgrade", "Connection", "Sec-WebSocket-Key", "sec-websocket-version"}) {
            assertThat(copy.get(name)).as(name).isNull();
        }
    }

    @Test
    void aValueWithALineBreakIsNotKept() {
        HttpHeaders odd = new DefaultHttpHeaders(false).add("X-Odd", "a\nX-Token:forged").add("X-Token", "real");
        HeaderCopy c = HeaderCopy.of(odd);
        assertThat(c.get("X-Odd")).isNull();
        assertThat(c.get("X-Token")).isEqualTo("real");
    }
}
