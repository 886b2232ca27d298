package io.bayeuxd.engine.redis;

import java.util.HashMap;
import java.util.Map;

/**
 * Which frames of each origin node arrived already, so that the copies a node receives through several
 * matching channels are delivered once. Each origin numbers its frames in order; a window of the last
 * {@value #WINDOW} numbers per origin is kept as bits. Copies of one frame arrive close together (one
 * script on a standalone Redis; one burst of {@code SPUBLISH}es on a Cluster), far inside the window.
 * A frame older than the window counts as seen: a copy is far likelier than a frame that late.
 *
 * <p>Not thread-safe: the bus calls it under its receive lock.
 */
final class RecentFrames {
    static final int WINDOW = 1 << 16;
    /** Origins remembered at most: each node start is a new origin, and old ones are forgotten. */
    private static final int MAX_ORIGINS = 1024;

    private final Map<Long, Window> origins = new HashMap<>();

    /** Records frame {@code sequence} of {@code origin}; true when it was seen before (a copy). */
    boolean seenBefore(long origin, long sequence) {
        Window w = origins.get(origin);
        if (w == null) {
            if (origins.size() >= MAX_ORIGINS) {
                origins.clear();
            }
            w = new Window();
            origins.put(origin, w);
        }
        return w.seenBefore(sequence);
    }

    private static final class Window {
        private final long[] bits = new long[WINDOW / 64];
        private long highest = -1;

        boolean seenBefore(long seq) {
            if (seq > highest) {
                // Clear the slots between the old highest and seq: they now stand for newer numbers.
                long from = Math.max(highest + 1, seq - WINDOW + 1);
                for (long s = from; s < seq; s++) {
                    clear(s);
                }
                highest = seq;
                set(seq);
                return false;
            }
            if (seq <= highest - WINDOW) {
                return true;
            }
            if (isSet(seq)) {
                return true;
            }
            set(seq);
            return false;
        }

        private int slot(long seq) {
            return (int) (seq & (WINDOW - 1));
        }

        private boolean isSet(long seq) {
            int i = slot(seq);
            return (bits[i >>> 6] & (1L << i)) != 0;
        }

        private void set(long seq) {
            int i = slot(seq);
            bits[i >>> 6] |= 1L << i;
        }

        private void clear(long seq) {
            int i = slot(seq);
            bits[i >>> 6] &= ~(1L << i);
        }
    }
}
