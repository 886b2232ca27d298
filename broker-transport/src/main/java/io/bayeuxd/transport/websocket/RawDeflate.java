package io.bayeuxd.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/**
 * Compresses bytes on their own into raw DEFLATE (RFC 1951, no zlib header) ending in a sync flush: never
 * the final block, and byte-aligned with the empty stored block {@code 00 00 ff ff} last. Pieces made so
 * may be concatenated into one {@code permessage-deflate} message (RFC 7692 7.2.1): each starts with a fresh
 * dictionary, so none refers back into another.
 *
 * <p>One {@link Deflater} per thread (an event loop: about 256 KB of zlib state at window 15, memory level
 * 8), reset before each piece and ended when the thread's locals are removed. Window 15 is the only one
 * {@code java.util.zip} writes, and the only server window the broker negotiates ({@link DeflateNegotiation}).
 */
final class RawDeflate {
    /** zlib's default level, as Netty's encoder and Faye's extension use. */
    static final int LEVEL = 6;
    /** The empty stored block a sync flush ends with, which RFC 7692 has the sender drop from a message. */
    static final int TAIL_BYTES = 4;

    private static final FastThreadLocal<Deflater> DEFLATERS = new FastThreadLocal<>() {
        @Override
        protected Deflater initialValue() {
            return new Deflater(LEVEL, true);
        }

        @Override
        protected void onRemoval(Deflater deflater) {
            deflater.end();
        }
    };

    private RawDeflate() {
    }

    /**
     * Appends the compressed form of {@code src}'s readable bytes to {@code out}, growing it as needed.
     * BORROWS both: neither is released, {@code src}'s indices do not move.
     */
    static void deflate(ByteBuf src, ByteBuf out) {
        Deflater deflater = DEFLATERS.get();
        deflater.reset();
        deflater.setInput(src.nioBuffer(src.readerIndex(), src.readableBytes()));
        int room = 64 + (src.readableBytes() >> 2);
        // No finish(): that would mark the last block final. zlib's rule for a sync flush: once it leaves
        // output space unused, everything given has been written out.
        while (true) {
            out.ensureWritable(room);
            ByteBuffer dst = out.nioBuffer(out.writerIndex(), out.writableBytes());
            int written = deflater.deflate(dst, Deflater.SYNC_FLUSH);
            out.writerIndex(out.writerIndex() + written);
            if (dst.hasRemaining()) {
                break;
            }
            room = Math.max(room, out.capacity());
        }
    }

    /** The compressed form of {@code bytes}, for constants made once. */
    static byte[] deflate(byte[] bytes) {
        Deflater deflater = new Deflater(LEVEL, true);
        try {
            deflater.setInput(bytes);
            byte[] out = new byte[64 + bytes.length * 2];
            int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
            byte[] piece = new byte[n];
            System.arraycopy(out, 0, piece, 0, n);
            return piece;
        } finally {
            deflater.end();
        }
    }
}
