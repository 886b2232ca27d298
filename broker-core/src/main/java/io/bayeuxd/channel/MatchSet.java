package io.bayeuxd.channel;

import java.util.Arrays;
import java.util.Objects;

/**
 * The subscribers that {@link ChannelTrie#match} found for one channel, each once, in the order found.
 *
 * <p>Membership is by identity ({@code ==}), not {@code equals}: a subscriber is a session object, and
 * two sessions are never the same subscriber. A publisher keeps one {@code MatchSet} per thread and
 * calls {@link #clear()} before each match; after the first few publishes its arrays are large enough
 * and no further match allocates. Not thread-safe: one thread at a time.
 *
 * <p>Up to {@value #LINEAR_LIMIT} members, duplicates are found by scanning the members, which beats
 * hashing for the common small fan-out. Beyond that an open-addressing identity table takes over. It
 * records the slot of each member so that {@link #clear()} empties exactly the used slots, in time
 * proportional to the size rather than the capacity, and drops every reference so that a closed
 * session is not kept alive by a thread's idle {@code MatchSet}.
 *
 * @param <S> the subscriber type
 */
public final class MatchSet<S> {
    /** Sizes up to this use a linear scan for duplicates; larger sizes use the identity table. */
    static final int LINEAR_LIMIT = 8;

    private Object[] members;
    private int size;
    /** Identity table, {@code null} until the first time the size passes {@link #LINEAR_LIMIT}. */
    private Object[] table;
    /** {@code slots[i]} is the table slot of {@code members[i]}, valid while {@link #hashed}. */
    private int[] slots;
    /** Whether the members are in the table; false again after {@link #clear()}. */
    private boolean hashed;

    /** An empty set with room for a small fan-out. */
    public MatchSet() {
        this(16);
    }

    /** An empty set with room for {@code expectedSize} members before it grows. */
    public MatchSet(int expectedSize) {
        if (expectedSize < 0) {
            throw new IllegalArgumentException("expectedSize < 0: " + expectedSize);
        }
        members = new Object[Math.max(expectedSize, LINEAR_LIMIT)];
    }

    /** Empties the set, keeping its arrays for the next match. */
    public void clear() {
        if (hashed) {
            for (int i = 0; i < size; i++) {
                table[slots[i]] = null;
            }
            hashed = false;
        }
        for (int i = 0; i < size; i++) {
            members[i] = null;
        }
        size = 0;
    }

    /** The number of distinct subscribers in the set. */
    public int size() {
        return size;
    }

    /** Whether the set has no member. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** The {@code index}-th subscriber, in the order they were found; {@code 0 <= index < size()}. */
    @SuppressWarnings("unchecked")
    public S get(int index) {
        Objects.checkIndex(index, size);
        return (S) members[index];
    }

    /** Adds {@code subscriber} unless the same object is already a member; returns whether it was added. */
    boolean add(S subscriber) {
        if (!hashed) {
            if (size < LINEAR_LIMIT) {
                for (int i = 0; i < size; i++) {
                    if (members[i] == subscriber) {
                        return false;
                    }
                }
                members[size++] = subscriber;
                return true;
            }
            indexMembers(Math.max(table == null ? 0 : table.length, 4 * LINEAR_LIMIT));
        }
        Object[] t = table;
        int mask = t.length - 1;
        int slot = home(subscriber, mask);
        Object o;
        while ((o = t[slot]) != null) {
            if (o == subscriber) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        if (size == members.length) {
            members = Arrays.copyOf(members, size * 2);
        }
        if (size == slots.length) {
            slots = Arrays.copyOf(slots, members.length);
        }
        t[slot] = subscriber;
        slots[size] = slot;
        members[size++] = subscriber;
        // Keep the load at most one half so that probe runs stay short.
        if (2 * size > t.length) {
            indexMembers(2 * t.length);
        }
        return true;
    }

    /**
     * Puts every current member into an empty table of at least {@code capacity} slots (a power of
     * two), replacing the table if it is too small. Called when the size first passes the linear limit
     * after a clear, and when the table is half full.
     */
    private void indexMembers(int capacity) {
        if (table == null || table.length < capacity) {
            table = new Object[Integer.highestOneBit(capacity - 1) << 1];
        } else {
            // The table was emptied by clear(); only the members being indexed now go in.
            assert isTableEmpty();
        }
        if (slots == null || slots.length < members.length) {
            slots = new int[members.length];
        }
        Object[] t = table;
        int mask = t.length - 1;
        for (int i = 0; i < size; i++) {
            int slot = home(members[i], mask);
            while (t[slot] != null) {
                slot = (slot + 1) & mask;
            }
            t[slot] = members[i];
            slots[i] = slot;
        }
        hashed = true;
    }

    private boolean isTableEmpty() {
        for (Object o : table) {
            if (o != null) {
                return false;
            }
        }
        return true;
    }

    /** Identity hashes are often close together, so spread them before masking. */
    private static int home(Object o, int mask) {
        int h = System.identityHashCode(o) * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }
}
