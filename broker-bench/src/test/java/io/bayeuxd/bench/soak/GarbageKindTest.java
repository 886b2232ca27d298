package io.bayeuxd.bench.soak;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GarbageKindTest {

    private static final GarbageKind.Target TARGET = new GarbageKind.Target("127.0.0.1:8000", "/bayeux", 4096);

    private static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void everyKindSaysWhatARightAnswerIs() {
        for (GarbageKind kind : GarbageKind.values()) {
            assertThat(kind.expected()).as(kind.name()).isNotEmpty();
            assertThat(kind.request(TARGET)).as(kind.name()).isNotEmpty();
        }
    }

    @Test
    void webSocketKindsUpgradeOnTheMountThenSendTheirFrame() {
        for (GarbageKind kind : GarbageKind.values()) {
            if (!kind.webSocket()) {
                assertThatThrownBy(() -> kind.frame(TARGET)).isInstanceOf(UnsupportedOperationException.class);
                continue;
            }
            String upgrade = ascii(kind.request(TARGET));
            assertThat(upgrade).startsWith("GET /bayeux HTTP/1.1\r\n").contains("Upgrade: websocket\r\n")
                    .contains("Sec-WebSocket-Version: 13\r\n").endsWith("\r\n\r\n");
            assertThat(kind.frame(TARGET)[0] & 0x80).as("FIN").isEqualTo(0x80);
        }
        assertThat(GarbageKind.WS_BINARY_FRAME.frame(TARGET)[0] & 0x0F).isEqualTo(0x2);
        assertThat(GarbageKind.WS_UNMASKED.frame(TARGET)[1] & 0x80).as("no mask bit").isZero();
        assertThat(GarbageKind.WS_BINARY_FRAME.frame(TARGET)[1] & 0x80).isEqualTo(0x80);
    }

    @Test
    void oversizedKindsExceedTheBrokersLimit() {
        assertThat(ascii(GarbageKind.OVERSIZED_DECLARED.request(TARGET))).contains("Content-Length: 4097\r\n");
        assertThat(GarbageKind.OVERSIZED_CHUNKED.request(TARGET).length).isGreaterThan(4096 + 1024);
        assertThat(ascii(GarbageKind.OVERSIZED_CHUNKED.request(TARGET))).contains("Transfer-Encoding: chunked\r\n")
                .endsWith("\r\n0\r\n\r\n");
        assertThat(GarbageKind.WS_OVERSIZED.frame(TARGET).length).isGreaterThan(4096);
    }

    @Test
    void postsCarryTheirExactLength() {
        String post = ascii(GarbageKind.TRUNCATED_JSON.request(TARGET));
        String body = post.substring(post.indexOf("\r\n\r\n") + 4);
        assertThat(post).contains("Content-Length: " + body.length() + "\r\n").startsWith("POST /bayeux HTTP/1.1");
    }

    @Test
    void theHalfRequestWaitsOutTheIdleTimeoutAndTheBadJsonFrameOnlyBriefly() {
        assertThat(GarbageKind.HALF_REQUEST.deadlineMs(40_000)).isGreaterThan(40_000);
        assertThat(ascii(GarbageKind.HALF_REQUEST.request(TARGET))).doesNotContain("\r\n\r\n");
        assertThat(GarbageKind.WS_BAD_JSON.expected()).containsExactly(ProbeReply.NO_ANSWER);
        assertThat(GarbageKind.WS_BAD_JSON.deadlineMs(40_000)).isLessThan(GarbageKind.DEFAULT_DEADLINE_MS);
    }

    @Test
    void theTallyCountsAnswersAndMarksTheWrongOnes() {
        GarbageTally tally = new GarbageTally();
        tally.add(GarbageKind.WS_BINARY_FRAME, "close 1003");
        tally.add(GarbageKind.WS_BINARY_FRAME, "close 1003");
        tally.add(GarbageKind.WS_INVALID_UTF8, ProbeReply.NO_ANSWER);

        assertThat(tally.total()).isEqualTo(3);
        assertThat(tally.unexpected()).isEqualTo(1);
        assertThat(tally.count(GarbageKind.WS_BINARY_FRAME, "close 1003")).isEqualTo(2);
        assertThat(tally.table()).contains("WS_BINARY_FRAME").contains("close 1003 x2").contains("!no answer x1")
                .doesNotContain("NOT_HTTP");
    }
}
