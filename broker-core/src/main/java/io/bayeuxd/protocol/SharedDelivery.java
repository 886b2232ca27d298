package io.bayeuxd.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.WrappedByteBuf;

import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * The encoded form of one publication, shared by every subscriber's outbox (step 4 of the message path),
 * with room for one more form of the same bytes made later by a transport: the compressed copy that every
 * {@code permessage-deflate} WebSocket sends ({@code transport.websocket.DeflatedFrames}). Reads, indices
 * and reference counts are the wrapped buffer's.
 *
 * <p>Ownership: the kept copy belongs to this delivery from a successful {@link #keepDeflated} on, and is
 * released when the delivery's last reference is released through {@link #release()} or
 * {@link #release(int)}. A caller reads it with {@link #deflated()} while holding a reference to the
 * delivery (as every drain does), so it cannot be released under the reader; the reader MUST NOT release
 * it, nor keep it past its own reference. Derived buffers ({@code retainedSlice}, {@code retainedDuplicate})
 * release the wrapped buffer directly: nothing in the broker takes them of a delivery, and none may.
 */
public final class SharedDelivery extends WrappedByteBuf {
    private static final AtomicReferenceFieldUpdater<SharedDelivery, ByteBuf> DEFLATED =
            AtomicReferenceFieldUpdater.newUpdater(SharedDelivery.class, ByteBuf.class, "deflated");

    private volatile ByteBuf deflated;

    /** Takes ownership of {@code encoded}: releasing this delivery releases it. */
    public SharedDelivery(ByteBuf encoded) {
        super(encoded);
    }

    /**
     * What to copy {@code message}'s bytes from: a delivery's wrapped buffer, else {@code message} itself.
     * Same bytes and indices; BORROWED as {@code message} is. Copying from the wrapper instead makes
     * Netty's pooled buffers take a view of it (a new {@code ByteBuffer}, 64 bytes of garbage) for every
     * copy: one per subscriber on the fan-out's drain path.
     */
    public static ByteBuf contentOf(ByteBuf message) {
        return message instanceof SharedDelivery delivery ? delivery.buf : message;
    }

    /** The compressed copy kept by {@link #keepDeflated}, or null; BORROWED, see the class comment. */
    public ByteBuf deflated() {
        return deflated;
    }

    /**
     * Keeps {@code copy} beside these bytes when none is kept yet. On true the delivery owns {@code copy};
     * on false (another thread kept one first) the caller still owns it, and {@link #deflated()} has the one
     * kept. Call only while holding a reference to this delivery.
     */
    public boolean keepDeflated(ByteBuf copy) {
        return DEFLATED.compareAndSet(this, null, copy);
    }

    @Override
    public SharedDelivery retain() {
        buf.retain();
        return this;
    }

    @Override
    public SharedDelivery retain(int increment) {
        buf.retain(increment);
        return this;
    }

    @Override
    public SharedDelivery touch() {
        buf.touch();
        return this;
    }

    @Override
    public SharedDelivery touch(Object hint) {
        buf.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return released(buf.release());
    }

    @Override
    public boolean release(int decrement) {
        return released(buf.release(decrement));
    }

    private boolean released(boolean last) {
        if (last) {
            // Nobody holds a reference any more, so nobody can be reading or keeping the copy now.
            ByteBuf copy = DEFLATED.getAndSet(this, null);
            if (copy != null) {
                copy.release();
            }
        }
        return last;
    }
}
