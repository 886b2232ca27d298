package io.bayeuxd.engine.redis;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * What one publication looks like on the Redis bus: a small binary header, then the delivery's JSON
 * bytes exactly as local subscribers receive them, so a receiving node encodes nothing again.
 *
 * <pre>
 *   byte  version (1)
 *   long  origin   the publishing node's random id: a node skips its own publications
 *   long  sequence unique per origin: tells the copies of one publication apart from the next
 *   short channel length, then the channel name in UTF-8
 *   ...   the encoded delivery
 * </pre>
 *
 * The header is at least {@value #MIN_HEADER_BYTES} bytes, more than the 8 bytes of publish time a
 * delivery buffer carries before its reader index; the receiver writes its own arrival time there.
 */
final class BusFrame {
    static final byte VERSION = 1;
    static final int MIN_HEADER_BYTES = 1 + 8 + 8 + 2;

    private BusFrame() {
    }

    /** The frame for a publication. BORROWS {@code payload}; its readable bytes are copied. */
    static byte[] encode(long origin, long sequence, byte[] channelUtf8, ByteBuf payload) {
        int payloadBytes = payload.readableBytes();
        byte[] out = new byte[MIN_HEADER_BYTES + channelUtf8.length + payloadBytes];
        out[0] = VERSION;
        putLong(out, 1, origin);
        putLong(out, 9, sequence);
        out[17] = (byte) (channelUtf8.length >>> 8);
        out[18] = (byte) channelUtf8.length;
        System.arraycopy(channelUtf8, 0, out, MIN_HEADER_BYTES, channelUtf8.length);
        payload.getBytes(payload.readerIndex(), out, MIN_HEADER_BYTES + channelUtf8.length, payloadBytes);
        return out;
    }

    /** Whether {@code frame} is one this version reads: long enough, and of our version. */
    static boolean isReadable(byte[] frame) {
        return frame.length >= MIN_HEADER_BYTES && frame[0] == VERSION
                && MIN_HEADER_BYTES + channelLength(frame) <= frame.length;
    }

    static long origin(byte[] frame) {
        return getLong(frame, 1);
    }

    static long sequence(byte[] frame) {
        return getLong(frame, 9);
    }

    static int channelLength(byte[] frame) {
        return ((frame[17] & 0xff) << 8) | (frame[18] & 0xff);
    }

    static String channel(byte[] frame) {
        return new String(frame, MIN_HEADER_BYTES, channelLength(frame), StandardCharsets.UTF_8);
    }

    /** Where the delivery's bytes start. */
    static int payloadOffset(byte[] frame) {
        return MIN_HEADER_BYTES + channelLength(frame);
    }

    static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }
}
