package io.bayeuxd.transport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The client's side of RFC 6455 written out by hand, so tests can send any frame a hostile client can
 * (reserved bits and opcodes, unmasked, fragmented control frames) and read the server's frames strictly.
 */
public final class WebSocketWire {
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private static final byte[] MASK = {0x37, (byte) 0xFA, 0x21, 0x3D};

    private WebSocketWire() {
    }

    /** A valid version-13 upgrade request for {@code path}. */
    public static byte[] upgradeRequest(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] text(String s) {
        return frame(true, 0, TEXT, s.getBytes(StandardCharsets.UTF_8), true);
    }

    public static byte[] text(byte[] payload) {
        return frame(true, 0, TEXT, payload, true);
    }

    /** Any frame: {@code rsv} is the three reserved bits (0..7), {@code opcode} any of 0..15. */
    public static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
        out.write((fin ? 0x80 : 0) | (rsv & 7) << 4 | (opcode & 0xF));
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        } else if (payload.length < 65_536) {
            out.write(maskBit | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length);
        } else {
            out.write(maskBit | 127);
            long n = payload.length;
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (n >>> shift));
            }
        }
        if (masked) {
            out.writeBytes(MASK);
            byte[] body = payload.clone();
            for (int i = 0; i < body.length; i++) {
                body[i] ^= MASK[i & 3];
            }
            out.writeBytes(body);
        } else {
            out.writeBytes(payload);
        }
        return out.toByteArray();
    }

    /** A close frame's payload: the code, then the reason in UTF-8. */
    public static byte[] closePayload(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }

    /** One frame the server sent. */
    public record ServerFrame(boolean fin, int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame, or 1005 (none given) when it has no payload. */
        public int closeCode() {
            return payload.length < 2 ? 1005 : (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF);
        }

        @Override
        public String toString() {
            return "frame(op=" + opcode + ", " + (opcode == CLOSE ? "code " + closeCode() : payload.length + "B") + ")";
        }
    }

    /**
     * Reads the server's frames; throws {@link AssertionError} unless every byte belongs to a whole,
     * valid server frame: no reserved bits, a defined opcode, no mask, control frames final and at most
     * 125 bytes, a close frame's code one that may be sent (RFC 6455, 7.4; 1012 to 1014 are registered
     * with IANA since).
     */
    public static List<ServerFrame> read(byte[] wire) {
        return read(wire, Set.of());
    }

    /** As {@link #read(byte[])}, also allowing close codes in {@code echoedCodes}: the client's own, sent back. */
    public static List<ServerFrame> read(byte[] wire, Set<Integer> echoedCodes) {
        List<ServerFrame> frames = new ArrayList<>();
        int at = 0;
        while (at < wire.length) {
            if (wire.length - at < 2) {
                throw new AssertionError("truncated frame header");
            }
            int b0 = wire[at] & 0xFF;
            int b1 = wire[at + 1] & 0xFF;
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0xF;
            check((b0 & 0x70) == 0, "reserved bits set");
            check(opcode <= 2 || opcode >= 8 && opcode <= 10, "undefined opcode " + opcode);
            check((b1 & 0x80) == 0, "server frame is masked");
            long length = b1 & 0x7F;
            at += 2;
            if (length == 126) {
                check(wire.length - at >= 2, "truncated length");
                length = (wire[at] & 0xFF) << 8 | (wire[at + 1] & 0xFF);
                at += 2;
            } else if (length == 127) {
                check(wire.length - at >= 8, "truncated length");
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = length << 8 | (wire[at + i] & 0xFF);
                }
                at += 8;
            }
            check(length <= wire.length - at, "truncated payload");
            if (opcode >= 8) {
                check(fin && length <= 125, "control frame fragmented or over 125 bytes");
            }
            ServerFrame f = new ServerFrame(fin, opcode, Arrays.copyOfRange(wire, at, at + (int) length));
            if (opcode == CLOSE) {
                check(length != 1, "close frame with a one-byte payload");
                int code = f.closeCode();
                check(length == 0 || echoedCodes.contains(code) || code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999,
                        "close code " + code + " may not be sent");
            }
            frames.add(f);
            at += (int) length;
        }
        return frames;
    }

    private static void check(boolean ok, String why) {
        if (!ok) {
            throw new AssertionError("bad server frame: " + why);
        }
    }
}
