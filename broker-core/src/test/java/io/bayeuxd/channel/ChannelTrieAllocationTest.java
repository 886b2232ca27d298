package io.bayeuxd.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The publish path allocates nothing once a thread's {@link MatchSet} has grown: counted with the
 * JVM's per-thread allocation counter, not timed. This is a check, not a benchmark.
 */
class ChannelTrieAllocationTest {

    @Test
    void matchAllocatesNothingInSteadyState() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        ChannelTrie<Object> trie = new ChannelTrie<>();
        for (int i = 0; i < 50; i++) {
            // Each subscriber matches /a/b/cN through three subscriptions, so deduplication is exercised,
            // and 50 subscribers take MatchSet past its linear scan into its hash table.
            Object subscriber = new Object();
            trie.subscribe("/a/b/c" + (i % 5), subscriber);
            trie.subscribe("/a/**", subscriber);
            trie.subscribe("/a/b/*", subscriber);
        }
        for (int i = 0; i < 40; i++) {
            trie.subscribe("/wide/child" + i, new Object());
        }
        String[] channels = {"/a/b/c0", "/a/b/c1", "/a/b/x", "/a/zz/y/q", "/nothing/here", "/wide/child7", "/wide/none"};
        MatchSet<Object> out = new MatchSet<>();
        long tid = Thread.currentThread().getId();

        int warmUpMatched = matchAll(trie, channels, out);
        for (int round = 0; round < 3; round++) {
            long before = threads.getThreadAllocatedBytes(tid);
            int matched = matchAll(trie, channels, out);
            long allocated = threads.getThreadAllocatedBytes(tid) - before;
            assertThat(matched).isEqualTo(warmUpMatched);
            assertThat(allocated).as("bytes allocated by round %d", round).isZero();
        }
    }

    private static int matchAll(ChannelTrie<Object> trie, String[] channels, MatchSet<Object> out) {
        int matched = 0;
        for (int i = 0; i < 20_000; i++) {
            out.clear();
            trie.match(channels[i % channels.length], out);
            matched += out.size();
        }
        return matched;
    }
}
