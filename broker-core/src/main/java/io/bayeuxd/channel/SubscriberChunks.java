package io.bayeuxd.channel;

import java.util.Arrays;

/**
 * The subscribers of one channel or pattern, as readers see them: an array of chunks, each full
 * ({@link #CHUNK} subscribers) except the last, which is exactly as long as it needs to be. A version
 * is never modified once published; the writer builds the next one and shares the untouched chunks.
 *
 * <p>Why chunks and not one array: copy-on-write of one array costs time and garbage in proportion to
 * the channel's size, so 50,000 clients resubscribing to one broadcast channel after a restart copied
 * about 1.25 billion references. Here adding or removing a subscriber copies the outer array and at
 * most two chunks, {@code O(n / CHUNK + CHUNK)}, while a publish still reads plain arrays in order.
 *
 * <p>Removal moves the last subscriber into the hole, so order is not kept; a fan-out has none.
 * All methods but the readers' loops are for the writer, which holds the trie's lock.
 */
final class SubscriberChunks {
    static final int CHUNK = 256;
    static final Object[][] NONE = new Object[0][];

    private SubscriberChunks() {
    }

    static int size(Object[][] chunks) {
        int n = chunks.length;
        return n == 0 ? 0 : (n - 1) * CHUNK + chunks[n - 1].length;
    }

    static Object get(Object[][] chunks, int position) {
        return chunks[position / CHUNK][position % CHUNK];
    }

    /** The position of {@code subscriber} (by identity), or -1; a scan, for lists too small to index. */
    static int indexOf(Object[][] chunks, Object subscriber) {
        for (int c = 0; c < chunks.length; c++) {
            Object[] chunk = chunks[c];
            for (int i = 0; i < chunk.length; i++) {
                if (chunk[i] == subscriber) {
                    return c * CHUNK + i;
                }
            }
        }
        return -1;
    }

    /** A new version with {@code subscriber} added at position {@code size(chunks)}. */
    static Object[][] append(Object[][] chunks, Object subscriber) {
        int n = chunks.length;
        if (n == 0 || chunks[n - 1].length == CHUNK) {
            Object[][] next = Arrays.copyOf(chunks, n + 1);
            next[n] = new Object[] {subscriber};
            return next;
        }
        Object[][] next = chunks.clone();
        Object[] last = chunks[n - 1];
        Object[] grown = Arrays.copyOf(last, last.length + 1);
        grown[last.length] = subscriber;
        next[n - 1] = grown;
        return next;
    }

    /**
     * A new version without the subscriber at {@code position}: the last subscriber takes its place.
     * Returns {@link #NONE} when the list becomes empty.
     */
    static Object[][] removeAt(Object[][] chunks, int position) {
        int size = size(chunks);
        int lastPosition = size - 1;
        if (lastPosition == 0) {
            return NONE;
        }
        int n = chunks.length;
        Object[] lastChunk = chunks[n - 1];
        Object moved = lastChunk[lastChunk.length - 1];
        Object[][] next;
        if (lastChunk.length == 1) {
            next = Arrays.copyOf(chunks, n - 1);
        } else {
            next = chunks.clone();
            next[n - 1] = Arrays.copyOf(lastChunk, lastChunk.length - 1);
        }
        if (position != lastPosition) {
            int c = position / CHUNK;
            // Copy the chunk unless it is the shortened last one, already a fresh copy.
            Object[] target = next[c] == chunks[c] ? chunks[c].clone() : next[c];
            target[position % CHUNK] = moved;
            next[c] = target;
        }
        return next;
    }
}
