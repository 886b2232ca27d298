package io.bayeuxd.storage;

import io.netty.buffer.ByteBuf;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last messages of one channel, each the very buffer its subscribers were given, with its position.
 * Not thread-safe: its {@link StoredChannel} guards it.
 *
 * <p>Owns one reference to each kept buffer, from {@link #append} until the entry falls out (too many,
 * too old) or {@link #clear}.
 */
final class History {
    private final int capacity;
    private final long maxAgeMillis;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();

    History(int capacity, long maxAgeMillis) {
        this.capacity = capacity;
        this.maxAgeMillis = maxAgeMillis;
    }

    int capacity() {
        return capacity;
    }

    /** Keeps {@code message} at {@code position}; TAKES its reference. */
    void append(long position, ByteBuf message, long nowMillis) {
        entries.addLast(new Entry(position, nowMillis, message));
        while (entries.size() > capacity) {
            entries.removeFirst().message().release();
        }
        expire(nowMillis);
    }

    /** Lets go of entries older than the age limit. */
    void expire(long nowMillis) {
        if (maxAgeMillis <= 0) {
            return;
        }
        Entry first;
        while ((first = entries.peekFirst()) != null && nowMillis - first.atMillis() > maxAgeMillis) {
            entries.removeFirst().message().release();
        }
    }

    /**
     * Whether every message after {@code seen} up to {@code last} (the channel's latest position) is
     * still here.
     */
    boolean reachesBackTo(long seen, long last) {
        Entry first = entries.peekFirst();
        return first == null ? seen == last : first.position() <= seen + 1;
    }

    /** How many kept messages come after {@code seen}. */
    int countAfter(long seen) {
        Entry first = entries.peekFirst();
        if (first == null) {
            return 0;
        }
        return (int) Math.max(0, Math.min(entries.size(), entries.size() - (seen + 1 - first.position())));
    }

    /** The kept messages after {@code seen}, oldest first, each retained once: the caller owns those references. */
    List<ByteBuf> after(long seen) {
        List<ByteBuf> out = new ArrayList<>(countAfter(seen));
        for (Entry e : entries) {
            if (e.position() > seen) {
                out.add(e.message().retain());
            }
        }
        return out;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    int size() {
        return entries.size();
    }

    /** Calls {@code each} with every kept entry, oldest first; for compacting the storage log. */
    void forEach(EntryVisitor each) {
        for (Entry e : entries) {
            each.entry(e.position(), e.atMillis(), e.message());
        }
    }

    interface EntryVisitor {
        void entry(long position, long atMillis, ByteBuf message);
    }

    void clear() {
        Entry e;
        while ((e = entries.pollFirst()) != null) {
            e.message().release();
        }
    }

    private record Entry(long position, long atMillis, ByteBuf message) {
    }
}
