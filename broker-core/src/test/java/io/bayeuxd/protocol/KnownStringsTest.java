package io.bayeuxd.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KnownStringsTest {
    private final BayeuxDecoder decoder = new BayeuxDecoder();

    private Message decode(String json) {
        return decoder.decode(json.getBytes(StandardCharsets.UTF_8), 0, json.length()).get(0);
    }

    @Test
    void knownValuesAreSharedInstances() {
        Message a = decode("{\"channel\":\"/meta/connect\",\"clientId\":\"abc\",\"connectionType\":\"long-polling\"}");
        Message b = decode("{\"channel\":\"/meta/connect\",\"clientId\":\"abc\",\"connectionType\":\"long-polling\"}");
        assertThat(a.channel()).isEqualTo("/meta/connect").isSameAs(b.channel());
        assertThat(a.connectionType()).isEqualTo("long-polling").isSameAs(b.connectionType());
        assertThat(a.clientId()).as("not a known string").isEqualTo("abc").isNotSameAs(b.clientId());
    }

    @Test
    void nearMissesAndEscapesAreReadAsSent() {
        assertThat(decode("{\"channel\":\"/meta/connectx\"}").channel()).isEqualTo("/meta/connectx");
        assertThat(decode("{\"channel\":\"/meta/connec\"}").channel()).isEqualTo("/meta/connec");
        assertThat(decode("{\"channel\":\"\\/meta\\/connect\"}").channel()).isEqualTo("/meta/connect");
        assertThat(decode("{\"channel\":\"/m\\u00e9ta\"}").channel()).isEqualTo("/m\u00e9ta");
        assertThat(decode("{\"channel\":\"\"}").channel()).isEmpty();
        Message h = decode("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\",\"x-custom\"]}");
        assertThat(h.version()).isEqualTo("1.0");
        assertThat(h.supportedConnectionTypes()).isEqualTo(List.of("websocket", "x-custom"));
    }
}
