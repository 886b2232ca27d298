package io.bayeuxd.bench.soak;

import java.nio.charset.StandardCharsets;

/**
 * Reads what the broker sent back to a garbage probe, from the raw bytes received so far: an HTTP
 * status line and header block, then, after a {@code 101}, WebSocket frames. Pure functions over a
 * byte array, so the probe handler stays small and the parsing is unit-tested.
 */
final class ProbeReply {

    /** The probe's deadline passed with nothing conclusive from the broker. */
    static final String NO_ANSWER = "no answer";
    /** The broker closed the connection without sending anything conclusive. */
    static final String CLOSED = "closed";

    private ProbeReply() {
    }

    /** Index just past the {@code \r\n\r\n} ending the HTTP header block, or -1 while incomplete. */
    static int headerEnd(byte[] bytes, int length) {
        for (int i = 3; i < length; i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    /** The status code of an {@code HTTP/1.x NNN} first line, or -1 when the bytes do not start with one. */
    static int status(byte[] bytes, int length) {
        int lineEnd = -1;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\r' || bytes[i] == '\n') {
                lineEnd = i;
                break;
            }
        }
        String line = new String(bytes, 0, lineEnd < 0 ? Math.min(length, 64) : lineEnd, StandardCharsets.ISO_8859_1);
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
            return -1;
        }
        try {
            return Integer.parseInt(line.substring(9, 12));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Describes the first complete WebSocket frame starting at {@code from}: {@code "close 1003"} (or
     * {@code "close"} without a code), {@code "text"}, {@code "binary"}, {@code "ping"}, {@code "pong"},
     * {@code "opcode N"}; null while the frame is incomplete. Server frames are not masked; a masked
     * one is read all the same.
     */
    static String firstFrame(byte[] bytes, int from, int length) {
        if (length - from < 2) {
            return null;
        }
        int opcode = bytes[from] & 0x0F;
        boolean masked = (bytes[from + 1] & 0x80) != 0;
        long payloadLength = bytes[from + 1] & 0x7F;
        int at = from + 2;
        if (payloadLength == 126) {
            if (length - at < 2) {
                return null;
            }
            payloadLength = ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
            at += 2;
        } else if (payloadLength == 127) {
            if (length - at < 8) {
                return null;
            }
            payloadLength = 0;
            for (int i = 0; i < 8; i++) {
                payloadLength = (payloadLength << 8) | (bytes[at + i] & 0xFF);
            }
            at += 8;
        }
        byte[] mask = null;
        if (masked) {
            if (length - at < 4) {
                return null;
            }
            mask = new byte[] {bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]};
            at += 4;
        }
        switch (opcode) {
            case 0x1:
                return "text";
            case 0x2:
                return "binary";
            case 0x9:
                return "ping";
            case 0xA:
                return "pong";
            case 0x8:
                if (payloadLength < 2) {
                    return length - at >= payloadLength ? "close" : null;
                }
                if (length - at < 2) {
                    return null;
                }
                int hi = bytes[at] ^ (mask == null ? 0 : mask[0]);
                int lo = bytes[at + 1] ^ (mask == null ? 0 : mask[1]);
                return "close " + (((hi & 0xFF) << 8) | (lo & 0xFF));
            default:
                return "opcode " + opcode;
        }
    }

    /**
     * A client-to-server frame ({@code FIN} set, one fragment): masked with {@code maskKey} as RFC 6455
     * requires, or unmasked when {@code maskKey} is null (which a server must refuse).
     */
    static byte[] clientFrame(int opcode, byte[] payload, byte[] maskKey) {
        int headerLength = 2 + (payload.length < 126 ? 0 : payload.length <= 0xFFFF ? 2 : 8) + (maskKey == null ? 0 : 4);
        byte[] frame = new byte[headerLength + payload.length];
        frame[0] = (byte) (0x80 | (opcode & 0x0F));
        int maskBit = maskKey == null ? 0 : 0x80;
        int at = 2;
        if (payload.length < 126) {
            frame[1] = (byte) (maskBit | payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame[1] = (byte) (maskBit | 126);
            frame[2] = (byte) (payload.length >>> 8);
            frame[3] = (byte) payload.length;
            at = 4;
        } else {
            frame[1] = (byte) (maskBit | 127);
            long length = payload.length;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) (length >>> (56 - 8 * i));
            }
            at = 10;
        }
        if (maskKey != null) {
            System.arraycopy(maskKey, 0, frame, at, 4);
            at += 4;
        }
        for (int i = 0; i < payload.length; i++) {
            frame[at + i] = (byte) (maskKey == null ? payload[i] : payload[i] ^ maskKey[i & 3]);
        }
        return frame;
    }
}
