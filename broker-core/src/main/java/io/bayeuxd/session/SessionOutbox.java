package io.bayeuxd.session;

import io.bayeuxd.protocol.BayeuxEncoder;
import io.netty.buffer.ByteBuf;
import org.jctools.queues.MpscChunkedArrayQueue;

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
 */
final class SessionOutbox {
    private static final int CHUNK = 16;

    private final MpscChunkedArrayQueue<ByteBuf> queue;
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

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }

    /**
     * Appends up to {@code limit} queued messages to {@code out}, each preceded by a comma when
     * {@code out} already holds an element ({@code commaFirst}) or after the first, and releases them.
     * Consumer thread only. Remembers the publish time of the first (oldest) message for
     * {@link #drainedPublishNanos()}.
     *
     * @return how many messages were appended
     */
    int drainInto(ByteBuf out, int limit, boolean commaFirst) {
        ByteBuf oldest = limit > 0 ? queue.relaxedPeek() : null;
        drainedPublishNanos = oldest == null ? BayeuxEncoder.NO_PUBLISH_TIME : BayeuxEncoder.publishNanos(oldest);
        int n = 0;
        boolean comma = commaFirst;
        ByteBuf message;
        while (n < limit && (message = queue.relaxedPoll()) != null) {
            try {
                if (comma) {
                    out.writeByte(',');
                }
                out.writeBytes(message, message.readerIndex(), message.readableBytes());
            } finally {
                message.release();
            }
            comma = true;
            n++;
        }
        return n;
    }

    /**
     * As {@link #drainInto}, but each message taken is handed to {@code keep} instead of released: its
     * reference is {@code keep}'s from then on. For sessions with acknowledged delivery
     * ({@link AcknowledgedBatches}). Consumer thread only.
     */
    int drainKeeping(ByteBuf out, int limit, boolean commaFirst, Queue<ByteBuf> keep) {
        ByteBuf oldest = limit > 0 ? queue.relaxedPeek() : null;
        drainedPublishNanos = oldest == null ? BayeuxEncoder.NO_PUBLISH_TIME : BayeuxEncoder.publishNanos(oldest);
        int n = 0;
        boolean comma = commaFirst;
        ByteBuf message;
        while (n < limit && (message = queue.relaxedPoll()) != null) {
            keep.add(message);
            if (comma) {
                out.writeByte(',');
            }
            out.writeBytes(message, message.readerIndex(), message.readableBytes());
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
        return n;
    }
}
