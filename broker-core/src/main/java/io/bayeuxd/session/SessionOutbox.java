package io.bayeuxd.session;

import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.protocol.SharedDelivery;
import io.netty.buffer.ByteBuf;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscChunkedArrayQueue;
import org.jctools.queues.MpscUnboundedArrayQueue;

import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import java.util.Queue;

/**
 * A session's bounded queue of encoded messages waiting for delivery.
 *
 * <p>Many publishers offer (lock-free, JCTools MPSC); one consumer at a time drains. Every element is one
 * reference to a shared, encoded message: the outbox owns that reference from a successful
 * {@link #offer} until a drain writes the bytes out and releases it. A full outbox refuses the offer:
 * the caller keeps its reference and counts a slow-consumer drop.
 *
 * <p>The queue grows in small chunks up to its bound instead of allocating the whole bound up front:
 * most sessions are idle most of the time, and a preallocated 4,096-slot array would cost 16 KB each.
 *
 * <p>Beside the live queue sits a second one, created only when first used, for what a stored channel
 * hands a subscriber ahead of live traffic (its history after a recovery position, or its current
 * records). Every drain empties it before the live queue, so a replay is delivered before any live
 * message that was queued after it was handed over (see {@code storage.StoredChannel}).
 */
final class SessionOutbox {
    private static final int CHUNK = 16;
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<SessionOutbox, MpscUnboundedArrayQueue> REPLAYS =
            AtomicReferenceFieldUpdater.newUpdater(SessionOutbox.class, MpscUnboundedArrayQueue.class, "replays");

    private final MpscChunkedArrayQueue<ByteBuf> queue;
    private volatile MpscUnboundedArrayQueue<ByteBuf> replays;
    /** Publish time of the first message of the latest drain; written and read by the consumer only. */
    private long drainedPublishNanos = BayeuxEncoder.NO_PUBLISH_TIME;

    SessionOutbox(int capacity) {
        int max = Math.max(4, capacity);
        this.queue = new MpscChunkedArrayQueue<>(Math.min(CHUNK, max / 2), max);
    }

    /** Takes ownership of one reference to {@code message} when it returns true. */
    boolean offer(ByteBuf message) {
        return queue.offer(message);
    }

    /**
     * Queues replayed messages ahead of live ones, unless that would put more than {@code limit}
     * replayed messages in waiting. Takes ownership of one reference to each when it returns true; on
     * false the caller keeps them all.
     */
    boolean offerReplays(List<ByteBuf> messages, int limit) {
        MpscUnboundedArrayQueue<ByteBuf> r = replays;
        if (r == null) {
            REPLAYS.compareAndSet(this, null, new MpscUnboundedArrayQueue<ByteBuf>(CHUNK));
            r = replays;
        }
        if (r.size() + messages.size() > limit) {
            return false;
        }
        for (int i = 0, n = messages.size(); i < n; i++) {
            r.offer(messages.get(i));
        }
        return true;
    }

    boolean isEmpty() {
        MpscUnboundedArrayQueue<ByteBuf> r = replays;
        return queue.isEmpty() && (r == null || r.isEmpty());
    }

    int size() {
        MpscUnboundedArrayQueue<ByteBuf> r = replays;
        return queue.size() + (r == null ? 0 : r.size());
    }

    /**
     * Appends up to {@code limit} queued messages to {@code out}, each preceded by a comma when
     * {@code out} already holds an element ({@code commaFirst}) or after the first, and releases them.
     * Consumer thread only. Replayed messages go first. Remembers the publish time of the oldest live
     * message for {@link #drainedPublishNanos()} (a replay's age is not a delivery delay).
     *
     * @return how many messages were appended
     */
    int drainInto(ByteBuf out, int limit, boolean commaFirst) {
        return drainInto(out, limit, commaFirst, null);
    }

    /**
     * As {@link #drainInto(ByteBuf, int, boolean)}, but each message taken is handed to {@code keep}
     * instead of released: its reference is {@code keep}'s from then on. For sessions with acknowledged
     * delivery ({@link AcknowledgedBatches}). Consumer thread only.
     */
    int drainKeeping(ByteBuf out, int limit, boolean commaFirst, Queue<ByteBuf> keep) {
        return drainInto(out, limit, commaFirst, keep);
    }

    private int drainInto(ByteBuf out, int limit, boolean commaFirst, Queue<ByteBuf> keep) {
        int n = 0;
        MpscUnboundedArrayQueue<ByteBuf> r = replays;
        if (r != null && !r.isEmpty()) {
            n = drain(r, out, limit, commaFirst, keep);
        }
        ByteBuf oldest = n < limit ? queue.relaxedPeek() : null;
        drainedPublishNanos = oldest == null ? BayeuxEncoder.NO_PUBLISH_TIME : BayeuxEncoder.publishNanos(oldest);
        return n + drain(queue, out, limit - n, commaFirst || n > 0, keep);
    }

    /**
     * As {@link #drainInto(ByteBuf, int, boolean)} into an empty frame, each message written by {@code writer}
     * instead of copied, then released. Consumer thread only.
     */
    int drainInto(ByteBuf out, int limit, ElementWriter writer) {
        int n = 0;
        MpscUnboundedArrayQueue<ByteBuf> r = replays;
        if (r != null && !r.isEmpty()) {
            n = drain(r, out, limit, 0, writer);
        }
        ByteBuf oldest = n < limit ? queue.relaxedPeek() : null;
        drainedPublishNanos = oldest == null ? BayeuxEncoder.NO_PUBLISH_TIME : BayeuxEncoder.publishNanos(oldest);
        return n + drain(queue, out, limit - n, n, writer);
    }

    private static int drain(MessagePassingQueue<ByteBuf> from, ByteBuf out, int limit, int before, ElementWriter writer) {
        int n = 0;
        ByteBuf message;
        while (n < limit && (message = from.relaxedPoll()) != null) {
            try {
                writer.writeElement(out, message, before + n == 0);
            } finally {
                message.release();
            }
            n++;
        }
        return n;
    }

    /** Copies up to {@code limit} messages of {@code from} into {@code out}; each then goes to {@code keep}, or is released when that is null. */
    private static int drain(MessagePassingQueue<ByteBuf> from, ByteBuf out, int limit, boolean commaFirst, Queue<ByteBuf> keep) {
        int n = 0;
        boolean comma = commaFirst;
        ByteBuf message;
        while (n < limit && (message = from.relaxedPoll()) != null) {
            try {
                if (comma) {
                    out.writeByte(',');
                }
                out.writeBytes(SharedDelivery.contentOf(message), message.readerIndex(), message.readableBytes());
            } finally {
                if (keep == null) {
                    message.release();
                } else {
                    keep.add(message);
                }
            }
            comma = true;
            n++;
        }
        return n;
    }

    /** See {@link #drainInto}; {@link BayeuxEncoder#NO_PUBLISH_TIME} when that drained nothing stamped. */
    long drainedPublishNanos() {
        return drainedPublishNanos;
    }

    /** Releases every queued message. Consumer thread only. */
    int releaseAll() {
        int n = 0;
        ByteBuf message;
        while ((message = queue.relaxedPoll()) != null) {
            message.release();
            n++;
        }
        MpscUnboundedArrayQueue<ByteBuf> r = replays;
        while (r != null && (message = r.relaxedPoll()) != null) {
            message.release();
            n++;
        }
        return n;
    }
}
