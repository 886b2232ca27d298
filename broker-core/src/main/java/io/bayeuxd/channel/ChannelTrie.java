package io.bayeuxd.channel;

import java.util.Objects;
import java.util.function.ObjIntConsumer;

/**
 * The subscription index: which subscribers receive a message published to a channel.
 *
 * <p>A subscription is a channel name ({@code /a/b}) or pattern ({@code /a/*}, {@code /a/**}), with
 * Faye's {@code Channel.expand} semantics: {@code /a/b/c} is matched by subscriptions to exactly
 * {@code /a/b/c}, {@code /a/b/*}, {@code /**}, {@code /a/**} and {@code /a/b/**}. So {@code *}
 * stands for exactly one last segment, and {@code /x/**} for any channel strictly below {@code /x}.
 * The trie knows nothing of meta or service channels; refusing those is the caller's job.
 *
 * <p>One node per segment; a node holds the subscribers of its channel and of that channel followed
 * by {@code /*} and by {@code /**} (see {@link TrieNode}). {@link #match} walks one node per segment
 * of the published channel, collecting {@code /**} subscribers on the way, then {@code /*} at the
 * parent of the last segment and the exact subscribers at the last node, and stops early when a
 * segment has no node. Its cost is the channel's length plus the subscribers found.
 *
 * <p>Threads: {@link #match} is the publish path. It takes no lock, allocates nothing (it hashes each
 * segment in place and compares it against the child's key with {@code regionMatches}), and may run
 * on any number of threads while others subscribe or unsubscribe. A concurrent match sees each node
 * either before or after a given change, never a torn state; once {@code subscribe} or
 * {@code unsubscribe} has returned, every match that starts later sees the change. Writes are
 * serialised by one lock; they are rare next to publishes. A write copies the outer array and at most
 * two chunks of one channel's subscriber list ({@link SubscriberChunks}), so it costs
 * {@code O(n / 256 + 256)} for a channel or pattern with {@code n} subscribers.
 *
 * @param <S> the subscriber type; subscribers are compared by identity
 */
public final class ChannelTrie<S> {
    /** The empty path: holds {@code /*} and {@code /**}; never has exact subscribers. */
    private final TrieNode root = new TrieNode(null, "", 0);
    /** Serialises writers. Readers never take it. Everything in {@link TrieNode} marked "caller holds the lock" needs it. */
    private final Object writeLock = new Object();
    // Written under the lock, read without it.
    private volatile int subscriptionCount;
    private volatile int channelCount;

    /**
     * Subscribes {@code subscriber} to a channel name or pattern.
     *
     * @return true if the subscription is new, false if {@code subscriber} already had it
     * @throws IllegalArgumentException if {@code channelOrPattern} is not a valid name or pattern
     */
    public boolean subscribe(String channelOrPattern, S subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        int kind = kindOf(channelOrPattern);
        int pathEnd = pathEnd(channelOrPattern, kind);
        synchronized (writeLock) {
            TrieNode node = root;
            for (int start = 1; start <= pathEnd; ) {
                int end = segmentEnd(channelOrPattern, start, pathEnd);
                node = node.childForUpdate(channelOrPattern.substring(start, end));
                start = end + 1;
            }
            int before = node.addSubscriber(kind, subscriber);
            if (before < 0) {
                return false;
            }
            subscriptionCount++;
            if (before == 0) {
                channelCount++;
            }
            return true;
        }
    }

    /**
     * Removes the subscription of {@code subscriber} to a channel name or pattern, and any node left
     * with neither subscribers nor children.
     *
     * @return true if the subscription existed
     * @throws IllegalArgumentException if {@code channelOrPattern} is not a valid name or pattern
     */
    public boolean unsubscribe(String channelOrPattern, S subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        int kind = kindOf(channelOrPattern);
        int pathEnd = pathEnd(channelOrPattern, kind);
        synchronized (writeLock) {
            TrieNode node = root;
            for (int start = 1; start <= pathEnd; ) {
                int end = segmentEnd(channelOrPattern, start, pathEnd);
                node = node.child(channelOrPattern, start, end, hash(channelOrPattern, start, end));
                if (node == null) {
                    return false;
                }
                start = end + 1;
            }
            int before = node.removeSubscriber(kind, subscriber);
            if (before < 0) {
                return false;
            }
            subscriptionCount--;
            if (before == 1) {
                channelCount--;
            }
            while (node != root && node.isUnused()) {
                node.parent.removeChild(node);
                node = node.parent;
            }
            return true;
        }
    }

    /**
     * Adds to {@code out} every subscriber with a subscription matching {@code channel}, each once
     * however many of its subscriptions match. {@code out} is not cleared first.
     *
     * <p>{@code channel} must be a channel name, not a pattern; it is not validated here (the session
     * has done that), but a malformed one only matches less, it never fails.
     */
    public void match(String channel, MatchSet<S> out) {
        int length = channel.length();
        if (length < 2 || channel.charAt(0) != '/') {
            return;
        }
        TrieNode node = root;
        int start = 1;
        while (true) {
            // Find the segment and compute its String hash in the same pass.
            int hash = 0;
            int end = start;
            char c;
            while (end < length && (c = channel.charAt(end)) != '/') {
                hash = 31 * hash + c;
                end++;
            }
            boolean last = end == length;
            // There is a segment below this node, so its "/**" subscribers match.
            addAll(node.anyDescendant, out);
            if (last) {
                addAll(node.anyChild, out);
            }
            node = node.child(channel, start, end, hash);
            if (node == null) {
                return;
            }
            if (last) {
                addAll(node.exact, out);
                return;
            }
            start = end + 1;
        }
    }

    /** The number of (channel or pattern, subscriber) pairs. */
    public int subscriptionCount() {
        return subscriptionCount;
    }

    /** The number of distinct channels and patterns with at least one subscriber. */
    public int channelCount() {
        return channelCount;
    }

    /** Whether there is no subscription at all. */
    boolean isEmpty() {
        return subscriptionCount == 0;
    }

    /**
     * Calls {@code action} with every channel and pattern that has subscribers, and how many. For
     * operators, not the publish path: it walks the whole trie and builds each name. It takes no lock,
     * so writers are never held up; a walk that runs beside them sees each list before or after a given
     * change, and the counts it gives are a consistent view of each list, not of the whole trie.
     */
    public void forEachSubscribed(ObjIntConsumer<String> action) {
        Objects.requireNonNull(action, "action");
        root.forEachSubscribed("", action);
    }

    /** Nodes below the root, so tests can see that unsubscribing prunes. */
    int nodeCount() {
        synchronized (writeLock) {
            return root.countNodes() - 1;
        }
    }

    @SuppressWarnings("unchecked")
    private static <S> void addAll(Object[][] subscribers, MatchSet<S> out) {
        for (Object[] chunk : subscribers) {
            for (int i = 0; i < chunk.length; i++) {
                out.add((S) chunk[i]);
            }
        }
    }

    private static int kindOf(String channelOrPattern) {
        if (!ChannelName.isValid(channelOrPattern)) {
            throw new IllegalArgumentException("not a channel name or pattern: " + channelOrPattern);
        }
        if (channelOrPattern.endsWith("/**")) {
            return TrieNode.ANY_DESCENDANT;
        }
        return channelOrPattern.endsWith("/*") ? TrieNode.ANY_CHILD : TrieNode.EXACT;
    }

    /** The end of the path part, without the wildcard segment. {@code /**} has the empty path. */
    private static int pathEnd(String channelOrPattern, int kind) {
        int length = channelOrPattern.length();
        if (kind == TrieNode.ANY_DESCENDANT) {
            return length - 3;
        }
        return kind == TrieNode.ANY_CHILD ? length - 2 : length;
    }

    private static int segmentEnd(String s, int start, int pathEnd) {
        int end = s.indexOf('/', start);
        return end < 0 || end > pathEnd ? pathEnd : end;
    }

    /** {@code s.substring(start, end).hashCode()} without the substring. */
    private static int hash(String s, int start, int end) {
        int hash = 0;
        for (int i = start; i < end; i++) {
            hash = 31 * hash + s.charAt(i);
        }
        return hash;
    }
}
