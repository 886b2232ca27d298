package io.bayeuxd.channel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.IdentityHashMap;
import java.util.function.ObjIntConsumer;

/**
 * One level of the {@link ChannelTrie}: the channel whose last segment is {@link #segment}, the
 * subscribers of that channel and of its two wildcard patterns, and the children.
 *
 * <p>The wildcards are not children. Subscribers of {@code /a/*} and {@code /a/**} live on node
 * {@code /a} in {@link #anyChild} and {@link #anyDescendant}, so a match reads them on its way down
 * without a second lookup, and a channel whose segment happens to be {@code *} never collides with
 * them.
 *
 * <p>Children are an open-addressing table with linear probing, keyed by the segment text. Readers
 * find a child from a range of the channel string and its precomputed hash, so a match makes no
 * substring. Thread safety, for lock-free readers and one writer at a time (the trie's lock):
 * <ul>
 *   <li>a slot only ever goes from empty to a node, from a node to {@link #REMOVED}, or from
 *   {@code REMOVED} to a node; it never becomes empty again and an entry never moves. So a reader
 *   probing from a key's home slot always reaches that key if it is present, whatever the writer
 *   does meanwhile;</li>
 *   <li>slots are read and written in volatile mode, like the fields, so a match that starts after a
 *   write has returned sees it (on x86 a volatile read is a plain load); nodes' identity fields are
 *   final;</li>
 *   <li>a resize builds a whole new array and publishes it through the volatile {@link #children}
 *   field. A reader still probing the old array sees the state before the resize, which stays
 *   consistent because the writer never touches an array after replacing it.</li>
 * </ul>
 * Subscriber lists are copy-on-write {@link SubscriberChunks}: the writer publishes a new version,
 * readers walk whichever version they read. For a list longer than {@link #INDEXED_ABOVE} the writer
 * also keeps each subscriber's position, so that (un)subscribing does not scan it.
 */
final class TrieNode {
    static final int EXACT = 0;
    static final int ANY_CHILD = 1;
    static final int ANY_DESCENDANT = 2;
    /** Lists longer than this get a position index; below half of it the index is dropped again. */
    static final int INDEXED_ABOVE = 64;

    /** Marks a slot whose child was removed, so probes for keys placed after it keep going. */
    private static final TrieNode REMOVED = new TrieNode(null, "", 0);
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(TrieNode[].class);
    private static final int MIN_CAPACITY = 4;

    final TrieNode parent;
    final String segment;
    /** {@code segment.hashCode()}, which a reader computes from the channel as it scans for '/'. */
    final int hash;

    /** Subscribers of exactly this channel. */
    volatile Object[][] exact = SubscriberChunks.NONE;
    /** Subscribers of this channel followed by {@code /*}. */
    volatile Object[][] anyChild = SubscriberChunks.NONE;
    /** Subscribers of this channel followed by {@code /**}. */
    volatile Object[][] anyDescendant = SubscriberChunks.NONE;
    /** Child table, a power of two long with at least one empty slot; {@code null} before the first child. */
    private volatile TrieNode[] children;

    // Writer state, guarded by the trie's lock.
    private int childCount;
    private int removedSlots;
    /** Positions in the list of each kind, or null while that list is short. */
    private IdentityHashMap<Object, Integer> exactPositions;
    private IdentityHashMap<Object, Integer> anyChildPositions;
    private IdentityHashMap<Object, Integer> anyDescendantPositions;

    TrieNode(TrieNode parent, String segment, int hash) {
        this.parent = parent;
        this.segment = segment;
        this.hash = hash;
    }

    /**
     * The child whose segment equals {@code channel[start, end)}, or {@code null}. {@code hash} must
     * be that range's {@link String#hashCode()}. Lock-free; allocates nothing.
     */
    TrieNode child(String channel, int start, int end, int hash) {
        TrieNode[] table = children;
        if (table == null) {
            return null;
        }
        int length = end - start;
        int mask = table.length - 1;
        int slot = home(hash, mask);
        // The writer keeps an empty slot, so the loop ends; the bound only guards against a bug there.
        for (int probes = 0; probes <= mask; probes++) {
            TrieNode node = (TrieNode) SLOT.getVolatile(table, slot);
            if (node == null) {
                return null;
            }
            if (node != REMOVED && node.hash == hash && node.segment.length() == length
                    && channel.regionMatches(start, node.segment, 0, length)) {
                return node;
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    /** The child named {@code segment}, created if absent. Caller holds the trie's lock. */
    TrieNode childForUpdate(String segment) {
        int hash = segment.hashCode();
        TrieNode existing = child(segment, 0, segment.length(), hash);
        if (existing != null) {
            return existing;
        }
        TrieNode created = new TrieNode(this, segment, hash);
        TrieNode[] table = children;
        // Count REMOVED slots as used: they never become empty, and probes must find an empty slot.
        if (table == null || 4 * (childCount + removedSlots + 1) > 3 * table.length) {
            publishResized(created);
        } else {
            int slot = home(hash, table.length - 1);
            TrieNode node;
            while ((node = table[slot]) != null && node != REMOVED) {
                slot = (slot + 1) & (table.length - 1);
            }
            if (node == REMOVED) {
                removedSlots--;
            }
            SLOT.setVolatile(table, slot, created);
        }
        childCount++;
        return created;
    }

    /** Removes {@code child}, which must be a child of this node. Caller holds the trie's lock. */
    void removeChild(TrieNode child) {
        TrieNode[] table = children;
        int mask = table.length - 1;
        int slot = home(child.hash, mask);
        while (table[slot] != child) {
            slot = (slot + 1) & mask;
        }
        SLOT.setVolatile(table, slot, REMOVED);
        childCount--;
        removedSlots++;
        if (childCount == 0) {
            children = null;
            removedSlots = 0;
        } else if (table.length > MIN_CAPACITY && 8 * childCount < table.length) {
            // Shrink, so that a channel that once had many children does not keep a large table.
            publishResized(null);
        }
    }

    /**
     * Adds {@code subscriber} to the list of {@code kind}. Caller holds the trie's lock.
     *
     * @return the list's size before, or -1 if {@code subscriber} was already in it
     */
    int addSubscriber(int kind, Object subscriber) {
        Object[][] current = subscribers(kind);
        IdentityHashMap<Object, Integer> positions = positions(kind);
        if (positions != null ? positions.containsKey(subscriber) : SubscriberChunks.indexOf(current, subscriber) >= 0) {
            return -1;
        }
        int size = SubscriberChunks.size(current);
        Object[][] next = SubscriberChunks.append(current, subscriber);
        if (positions != null) {
            positions.put(subscriber, size);
        } else if (size + 1 > INDEXED_ABOVE) {
            setPositions(kind, index(next));
        }
        setSubscribers(kind, next);
        return size;
    }

    /**
     * Removes {@code subscriber} from the list of {@code kind}. Caller holds the trie's lock.
     *
     * @return the list's size before, or -1 if {@code subscriber} was not in it
     */
    int removeSubscriber(int kind, Object subscriber) {
        Object[][] current = subscribers(kind);
        IdentityHashMap<Object, Integer> positions = positions(kind);
        int at;
        if (positions != null) {
            Integer p = positions.remove(subscriber);
            at = p == null ? -1 : p;
        } else {
            at = SubscriberChunks.indexOf(current, subscriber);
        }
        if (at < 0) {
            return -1;
        }
        int size = SubscriberChunks.size(current);
        Object moved = SubscriberChunks.get(current, size - 1);
        setSubscribers(kind, SubscriberChunks.removeAt(current, at));
        if (positions != null) {
            if (size - 1 < INDEXED_ABOVE / 2) {
                setPositions(kind, null);
            } else if (moved != subscriber) {
                positions.put(moved, at);
            }
        }
        return size;
    }

    private static IdentityHashMap<Object, Integer> index(Object[][] chunks) {
        int size = SubscriberChunks.size(chunks);
        IdentityHashMap<Object, Integer> positions = new IdentityHashMap<>(size);
        for (int i = 0; i < size; i++) {
            positions.put(SubscriberChunks.get(chunks, i), i);
        }
        return positions;
    }

    private Object[][] subscribers(int kind) {
        switch (kind) {
            case EXACT:
                return exact;
            case ANY_CHILD:
                return anyChild;
            default:
                return anyDescendant;
        }
    }

    private void setSubscribers(int kind, Object[][] subscribers) {
        switch (kind) {
            case EXACT:
                exact = subscribers;
                break;
            case ANY_CHILD:
                anyChild = subscribers;
                break;
            default:
                anyDescendant = subscribers;
                break;
        }
    }

    private IdentityHashMap<Object, Integer> positions(int kind) {
        switch (kind) {
            case EXACT:
                return exactPositions;
            case ANY_CHILD:
                return anyChildPositions;
            default:
                return anyDescendantPositions;
        }
    }

    private void setPositions(int kind, IdentityHashMap<Object, Integer> positions) {
        switch (kind) {
            case EXACT:
                exactPositions = positions;
                break;
            case ANY_CHILD:
                anyChildPositions = positions;
                break;
            default:
                anyDescendantPositions = positions;
                break;
        }
    }

    /** Whether nothing is subscribed here and there is no child, so the node may be pruned. Caller holds the lock. */
    boolean isUnused() {
        return childCount == 0 && exact.length == 0 && anyChild.length == 0 && anyDescendant.length == 0;
    }

    /**
     * Reports the non-empty subscriber lists of this node and its descendants, {@code path} being this
     * node's channel ({@code ""} for the root). Lock-free, like a match: it reads the volatile fields and
     * slots once each.
     */
    void forEachSubscribed(String path, ObjIntConsumer<String> action) {
        int exactCount = SubscriberChunks.size(exact);
        if (exactCount > 0 && !path.isEmpty()) {
            action.accept(path, exactCount);
        }
        int anyChildCount = SubscriberChunks.size(anyChild);
        if (anyChildCount > 0) {
            action.accept(path + "/*", anyChildCount);
        }
        int anyDescendantCount = SubscriberChunks.size(anyDescendant);
        if (anyDescendantCount > 0) {
            action.accept(path + "/**", anyDescendantCount);
        }
        TrieNode[] table = children;
        if (table != null) {
            for (int i = 0; i < table.length; i++) {
                TrieNode node = (TrieNode) SLOT.getVolatile(table, i);
                if (node != null && node != REMOVED) {
                    node.forEachSubscribed(path + "/" + node.segment, action);
                }
            }
        }
    }

    /** This node and all its descendants, counted for tests. Caller holds the lock. */
    int countNodes() {
        int n = 1;
        TrieNode[] table = children;
        if (table != null) {
            for (TrieNode node : table) {
                if (node != null && node != REMOVED) {
                    n += node.countNodes();
                }
            }
        }
        return n;
    }

    /**
     * Publishes a fresh table with the current children plus {@code added} (if not null), sized for
     * a load of at most one half, without removed slots.
     */
    private void publishResized(TrieNode added) {
        int live = childCount + (added == null ? 0 : 1);
        int capacity = MIN_CAPACITY;
        while (capacity < 2 * live) {
            capacity <<= 1;
        }
        TrieNode[] fresh = new TrieNode[capacity];
        TrieNode[] old = children;
        if (old != null) {
            for (TrieNode node : old) {
                if (node != null && node != REMOVED) {
                    place(fresh, node);
                }
            }
        }
        if (added != null) {
            place(fresh, added);
        }
        removedSlots = 0;
        // The volatile write publishes the plain writes to the new array.
        children = fresh;
    }

    private static void place(TrieNode[] table, TrieNode node) {
        int mask = table.length - 1;
        int slot = home(node.hash, mask);
        while (table[slot] != null) {
            slot = (slot + 1) & mask;
        }
        table[slot] = node;
    }

    /** String hashes of names like {@code user1}, {@code user2} are consecutive; spread them. */
    private static int home(int hash, int mask) {
        int h = hash * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }
}
