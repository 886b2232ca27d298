package io.bayeuxd.bench.soak;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ProbeReplyTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void findsTheEndOfTheHeaderBlockAndTheStatus() {
        byte[] response = ascii("HTTP/1.1 413 Request Entity Too Large\r\ncontent-length: 0\r\n\r\nrest");
        assertThat(ProbeReply.headerEnd(response, response.length)).isEqualTo(response.length - 4);
        assertThat(ProbeReply.status(response, response.length)).isEqualTo(413);
        assertThat(ProbeReply.headerEnd(response, 20)).isEqualTo(-1);
    }

    @Test
    void somethingThatIsNotAStatusLineHasNoStatus() {
        byte[] junk = ascii("SSH-2.0-OpenSSH\r\n\r\n");
        assertThat(ProbeReply.status(junk, junk.length)).isEqualTo(-1);
        byte[] shortLine = ascii("HTTP/1.1 4");
        assertThat(ProbeReply.status(shortLine, shortLine.length)).isEqualTo(-1);
    }

    @Test
    void readsTheCloseCodeOfAServerFrame() {
        byte[] close = {(byte) 0x88, 0x02, 0x03, (byte) 0xEB};
        assertThat(ProbeReply.firstFrame(close, 0, close.length)).isEqualTo("close 1003");
        assertThat(ProbeReply.firstFrame(close, 0, 3)).as("incomplete").isNull();
        byte[] bareClose = {(byte) 0x88, 0x00};
        assertThat(ProbeReply.firstFrame(bareClose, 0, 2)).isEqualTo("close");
    }

    @Test
    void namesOtherFrames() {
        assertThat(ProbeReply.firstFrame(new byte[] {(byte) 0x81, 0x02, '[', ']'}, 0, 4)).isEqualTo("text");
        assertThat(ProbeReply.firstFrame(new byte[] {(byte) 0x89, 0x00}, 0, 2)).isEqualTo("ping");
        assertThat(ProbeReply.firstFrame(new byte[] {(byte) 0x81}, 0, 1)).isNull();
    }

    @Test
    void clientFramesAreMaskedAndReadBack() {
        byte[] mask = {1, 2, 3, 4};
        byte[] frame = ProbeReply.clientFrame(0x8, new byte[] {0x03, (byte) 0xF1}, mask);
        assertThat(frame[0]).isEqualTo((byte) 0x88);
        assertThat(frame[1] & 0x80).as("mask bit").isEqualTo(0x80);
        assertThat(frame[6]).isEqualTo((byte) (0x03 ^ 1));
        assertThat(ProbeReply.firstFrame(frame, 0, frame.length)).isEqualTo("close 1009");
    }

    @Test
    void lengthsUseTheTwoAndEightByteFormsAboveTheirThresholds() {
        byte[] medium = ProbeReply.clientFrame(0x1, new byte[300], new byte[4]);
        assertThat(medium[1] & 0x7F).isEqualTo(126);
        assertThat(((medium[2] & 0xFF) << 8) | (medium[3] & 0xFF)).isEqualTo(300);
        assertThat(medium).hasSize(2 + 2 + 4 + 300);

        byte[] large = ProbeReply.clientFrame(0x1, new byte[70_000], null);
        assertThat(large[1] & 0xFF).as("unmasked, 8-byte length").isEqualTo(127);
        assertThat(large).hasSize(2 + 8 + 70_000);
        assertThat(ProbeReply.firstFrame(large, 0, large.length)).isEqualTo("text");
    }
}
