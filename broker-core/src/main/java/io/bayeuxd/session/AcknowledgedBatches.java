package io.bayeuxd.session;

import io.bayeuxd.protocol.AckExt;
import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.protocol.SharedDelivery;
import io.netty.buffer.ByteBuf;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;

/**
 * The messages a session with CometD's acknowledgement extension was sent and the client has not yet
 * acknowledged, kept to be sent again.
 *
 * <p>Such a session receives messages only with a {@code /meta/connect} reply, and each reply ends a
 * numbered batch. {@link #drainInto} builds batch {@code n}: it writes every kept message again, oldest
 * first, then moves new messages from the outbox into the batch and keeps them too. The client's next
 * connect carries the number of the last batch it received; {@link #acknowledge} releases what that
 * batch carried.
 *
 * <p>Why every kept message goes out again in each batch, not only those of batches known to be lost:
 * the client acknowledges the latest batch it received, not each one, so an acknowledgement of {@code n}
 * may release only what batch {@code n} itself carried. Because every batch starts with all that is kept,
 * what batch {@code n} carried is exactly the front of the kept queue, {@code inBatch} messages long, and
 * receiving batch {@code n} means having received everything released by acknowledging it. A batch that
 * the frame limit cuts short leaves the rest kept and not yet in any batch; the next batch starts with
 * them. An acknowledgement of an older batch than the latest releases nothing: the client missed the
 * latest, which is sent again. So nothing is released unreceived, and first arrivals keep the order in
 * which messages left the outbox. A message is sent twice only when two replies race (a client that
 * gave up on a held connect while it was being answered).
 *
 * <p>Bound: at most {@code capacity} messages are kept. While that many are unacknowledged no more leave
 * the outbox, which then fills, and the broker's slow-consumer policy applies to the session.
 *
 * <p>Ownership: each kept buffer is one reference taken over from the outbox (one reference of the
 * shared encoded message); it is released by {@link #acknowledge} or {@link #releaseAll}, never by a
 * batch that writes it. Threads: the connect that acknowledges and the reply that drains may run on two
 * event loops (a client that reconnected on another connection), so every method holds this object's
 * monitor; under it they touch only this object, the outbox and the reply being built (no listener, no
 * extension), and each is bounded by {@code capacity}.
 */
final class AcknowledgedBatches {
    private final int capacity;
    private final ArrayDeque<ByteBuf> kept = new ArrayDeque<>();
    /** Number of the latest batch; 0 before the first, as the CometD client's first acknowledgement says. */
    private long batch;
    /** How many messages at the front of {@code kept} the latest batch carried. */
    private int inBatch;
    /** Counts messages written again, for the broker's metric; shared by every session. */
    private final LongAdder resent;
    private boolean closed;
    /** Publish time of the first message of the latest batch, for the delivery metrics. */
    private long drainedPublishNanos = BayeuxEncoder.NO_PUBLISH_TIME;

    AcknowledgedBatches(int capacity, LongAdder resent) {
        this.capacity = capacity;
        this.resent = resent;
    }

    /**
     * Starts a new batch: appends to {@code out} up to {@code limit} messages, first the kept ones, then
     * new ones taken from {@code outbox} (which may be {@code null}), each as a JSON array element, and
     * keeps them; writes the batch's number into {@code connectReply}'s {@code ext}. Numbering and filling
     * happen under one lock, so batch numbers follow the order in which batches are filled. Borrows
     * {@code out}. Must be called by the outbox's current consumer.
     *
     * @param commaFirst whether {@code out} already holds an array element
     * @return how many messages the batch carries
     */
    synchronized int drainInto(SessionOutbox outbox, ByteBuf out, int limit, boolean commaFirst, Message connectReply) {
        batch++;
        inBatch = 0;
        connectReply.ext(AckExt.withBatch(connectReply.ext(), batch));
        drainedPublishNanos = BayeuxEncoder.NO_PUBLISH_TIME;
        if (closed) {
            return 0;
        }
        if (!kept.isEmpty() && limit > 0) {
            drainedPublishNanos = BayeuxEncoder.publishNanos(kept.peek());
        }
        boolean comma = commaFirst;
        for (ByteBuf message : kept) {
            if (inBatch == limit) {
                break;
            }
            if (comma) {
                out.writeByte(',');
            }
            out.writeBytes(SharedDelivery.contentOf(message), message.readerIndex(), message.readableBytes());
            comma = true;
            inBatch++;
        }
        if (inBatch > 0) {
            resent.add(inBatch);
        }
        int room = Math.min(limit - inBatch, capacity - kept.size());
        if (outbox != null && room > 0) {
            int taken = outbox.drainKeeping(out, room, comma, kept);
            if (taken > 0 && inBatch == 0) {
                drainedPublishNanos = outbox.drainedPublishNanos();
            }
            inBatch += taken;
        }
        return inBatch;
    }

    /**
     * The client received batch {@code received} (and, as each batch begins with all that is kept,
     * everything it carried): when that is the latest, its messages are released. An older number
     * releases nothing, so the next batch sends them again.
     */
    synchronized void acknowledge(long received) {
        if (received < batch || inBatch == 0) {
            return;
        }
        for (int i = 0; i < inBatch; i++) {
            kept.poll().release();
        }
        inBatch = 0;
    }

    /** See {@link Session#drainedPublishNanos()}. */
    synchronized long drainedPublishNanos() {
        return drainedPublishNanos;
    }

    /** Whether messages wait to be acknowledged; a new connect must carry them again unless it acknowledges them. */
    synchronized boolean hasKept() {
        return !kept.isEmpty();
    }

    synchronized int size() {
        return kept.size();
    }

    /** Releases every kept message and keeps none from now on (the session ended). Returns how many. */
    synchronized int releaseAll() {
        closed = true;
        int n = kept.size();
        ByteBuf message;
        while ((message = kept.poll()) != null) {
            message.release();
        }
        inBatch = 0;
        return n;
    }
}
