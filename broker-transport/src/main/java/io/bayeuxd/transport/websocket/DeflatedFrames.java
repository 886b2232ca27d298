package io.bayeuxd.transport.websocket;

import io.bayeuxd.fanout.FrameEncoding;
import io.bayeuxd.protocol.SharedDelivery;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes a push frame of queued messages already compressed, for every WebSocket that negotiated
 * {@code permessage-deflate}: each publication is compressed once, by the first such socket that sends it,
 * and the compressed bytes are kept beside its shared encoded bytes ({@link SharedDelivery#keepDeflated})
 * for every other socket to copy. The frame {@code [m1,m2]} is the concatenation of independently compressed
 * pieces, {@code [}, {@code m1}, {@code ,}, {@code m2}, {@code ]}, each ended by a sync flush (see
 * {@link RawDeflate}), less the last piece's empty stored block, as RFC 7692 7.2.1 asks. It is sent with RSV1
 * set, which Netty's per-message encoder passes through untouched.
 *
 * <p>That is only valid because the broker always negotiates {@code server_no_context_takeover} at window 15
 * ({@link DeflateNegotiation}): a client then expects no back-reference into earlier messages, and inflates
 * any window-15 stream. Replies and the frames that carry them keep Netty's per-connection path.
 *
 * <p>The counters tell how many compressions ran and how many elements reused one; shared by all sockets.
 */
public final class DeflatedFrames implements FrameEncoding {
    private static final byte[] OPEN = RawDeflate.deflate(ascii("["));
    private static final byte[] COMMA = RawDeflate.deflate(ascii(","));
    /** The last piece of every frame, without the empty stored block the client puts back before inflating. */
    private static final byte[] CLOSE = withoutTail(RawDeflate.deflate(ascii("]")));

    private final LongAdder upgrades = new LongAdder();
    private final LongAdder made = new LongAdder();
    private final LongAdder shared = new LongAdder();
    private final LongAdder own = new LongAdder();

    @Override
    public void open(ByteBuf out) {
        out.writeBytes(OPEN);
    }

    /** BORROWS {@code message}; a compressed copy it makes is kept by the message, when it is shared. */
    @Override
    public void writeElement(ByteBuf out, ByteBuf message, boolean first) {
        if (!first) {
            out.writeBytes(COMMA);
        }
        if (!(message instanceof SharedDelivery delivery)) {
            // Not one of the encoder's shared deliveries: compressed for this frame alone.
            RawDeflate.deflate(message, out);
            own.increment();
            return;
        }
        ByteBuf copy = delivery.deflated();
        if (copy != null) {
            shared.increment();
        } else {
            copy = compress(out, delivery);
        }
        out.writeBytes(copy, copy.readerIndex(), copy.readableBytes());
    }

    /** Compresses {@code delivery} and keeps the result beside it; returns the copy it keeps, BORROWED. */
    private ByteBuf compress(ByteBuf out, SharedDelivery delivery) {
        ByteBuf copy = out.alloc().buffer(64 + delivery.readableBytes() / 2);
        try {
            RawDeflate.deflate(delivery, copy);
        } catch (RuntimeException e) {
            copy.release();
            throw e;
        }
        made.increment();
        if (delivery.keepDeflated(copy)) {
            return copy;
        }
        // Another event loop compressed it at the same moment and kept its own: use that one.
        copy.release();
        return delivery.deflated();
    }

    @Override
    public void close(ByteBuf out) {
        out.writeBytes(CLOSE);
    }

    /** Counts one upgrade that negotiated {@code permessage-deflate}. */
    void onCompressedUpgrade() {
        upgrades.increment();
    }

    /** WebSocket upgrades that negotiated {@code permessage-deflate}. */
    public long compressedUpgrades() {
        return upgrades.sum();
    }

    /** Queued messages compressed by this path (the first compressed socket to send each). */
    public long messagesCompressed() {
        return made.sum();
    }

    /** Queued messages written from a copy compressed earlier for another frame. */
    public long compressedCopiesReused() {
        return shared.sum();
    }

    /** Queued messages that had no shared form to keep a copy in, compressed for one frame alone. */
    public long messagesCompressedUnshared() {
        return own.sum();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] withoutTail(byte[] piece) {
        int n = piece.length - RawDeflate.TAIL_BYTES;
        if (n < 0 || piece[n] != 0 || piece[n + 1] != 0 || piece[n + 2] != (byte) 0xff || piece[n + 3] != (byte) 0xff) {
            throw new IllegalStateException("a sync flush ends with 00 00 ff ff");
        }
        return Arrays.copyOf(piece, n);
    }
}
