package io.bayeuxd.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * Writers change the trie while readers match without pause. Every thread runs a bounded amount of
 * work and the test joins them; nothing is timed and nothing sleeps.
 */
class ChannelTrieConcurrencyTest {
    private static final int WRITERS = 2;
    private static final int READERS = 2;
    private static final int SUBSCRIBERS_PER_WRITER = 4;
    private static final int OPS_PER_WRITER = 30_000;
    private static final int CHILDREN = 64;
    private static final int[] PINNED_CHILDREN = {3, 17, 42};

    private final ChannelTrie<Object> trie = new ChannelTrie<>();
    private final Object everywhere = named("everywhere");
    private final Object belowW = named("belowW");
    private final Object[] pinned = new Object[PINNED_CHILDREN.length];
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLongArray matchesPerReader = new AtomicLongArray(READERS);
    private final CountDownLatch writersMayStart = new CountDownLatch(1);
    private volatile boolean writersDone;

    private static Object named(String name) {
        return new Object() {
            @Override
            public String toString() {
                return name;
            }
        };
    }

    /**
     * Writers churn subscriptions under {@code /w} (creating and pruning nodes, growing and shrinking
     * the child table of {@code /w}). Subscriptions that never change must be seen by every match, a
     * channel nobody writes to must never show a writer's subscriber, and at the end the trie must hold
     * exactly what the writers think they left.
     */
    @Test
    void readersNeverSeeLostOrPhantomSubscriptionsAndTheEndStateIsExact() throws InterruptedException {
        trie.subscribe("/**", everywhere);
        trie.subscribe("/w/**", belowW);
        for (int i = 0; i < PINNED_CHILDREN.length; i++) {
            pinned[i] = named("pinned" + PINNED_CHILDREN[i]);
            trie.subscribe("/w/" + PINNED_CHILDREN[i], pinned[i]);
        }

        List<String> patterns = writerPatterns();
        Writer[] writers = new Writer[WRITERS];
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            int reader = r;
            threads.add(new Thread(() -> read(reader), "reader-" + r));
        }
        for (int w = 0; w < WRITERS; w++) {
            writers[w] = new Writer(w, patterns);
            threads.add(new Thread(writers[w], "writer-" + w));
        }
        threads.forEach(Thread::start);
        try {
            // Make sure readers are running before writers start, so the two really overlap.
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (int r = 0; r < READERS; r++) {
                    if (matchesPerReader.get(r) < 1_000) {
                        return false;
                    }
                }
                return true;
            });
        } finally {
            // Even if the wait failed, let every thread run to its end so that none outlives the test.
            writersMayStart.countDown();
            for (int i = READERS; i < threads.size(); i++) {
                threads.get(i).join();
            }
            writersDone = true;
            for (int i = 0; i < READERS; i++) {
                threads.get(i).join();
            }
        }
        assertThat(failures).isEmpty();

        // The final state is exactly what the writers left plus the fixed subscriptions.
        int expectedSubscriptions = 2 + PINNED_CHILDREN.length;
        Set<String> expectedChannels = new HashSet<>(List.of("/**", "/w/**"));
        for (int k : PINNED_CHILDREN) {
            expectedChannels.add("/w/" + k);
        }
        for (Writer writer : writers) {
            for (Set<String> held : writer.held) {
                expectedSubscriptions += held.size();
                expectedChannels.addAll(held);
            }
        }
        assertThat(trie.subscriptionCount()).isEqualTo(expectedSubscriptions);
        assertThat(trie.channelCount()).isEqualTo(expectedChannels.size());

        MatchSet<Object> out = new MatchSet<>();
        for (String channel : readerChannels()) {
            Set<Object> expected = identitySet();
            expected.add(everywhere);
            for (String pattern : ChannelTriePropertyTest.expand(channel)) {
                if (pattern.equals("/w/**")) {
                    expected.add(belowW);
                }
                for (int i = 0; i < PINNED_CHILDREN.length; i++) {
                    if (pattern.equals("/w/" + PINNED_CHILDREN[i])) {
                        expected.add(pinned[i]);
                    }
                }
                for (Writer writer : writers) {
                    for (int s = 0; s < SUBSCRIBERS_PER_WRITER; s++) {
                        if (writer.held[s].contains(pattern)) {
                            expected.add(writer.subscribers[s]);
                        }
                    }
                }
            }
            out.clear();
            trie.match(channel, out);
            List<Object> actual = new ArrayList<>();
            for (int i = 0; i < out.size(); i++) {
                actual.add(out.get(i));
            }
            assertThat(actual).as("match(%s)", channel).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(expected);
        }

        // Unsubscribing everything leaves an empty, fully pruned trie.
        for (Writer writer : writers) {
            for (int s = 0; s < SUBSCRIBERS_PER_WRITER; s++) {
                for (String pattern : writer.held[s]) {
                    assertThat(trie.unsubscribe(pattern, writer.subscribers[s])).isTrue();
                }
            }
        }
        trie.unsubscribe("/**", everywhere);
        trie.unsubscribe("/w/**", belowW);
        for (int i = 0; i < PINNED_CHILDREN.length; i++) {
            trie.unsubscribe("/w/" + PINNED_CHILDREN[i], pinned[i]);
        }
        assertThat(trie.isEmpty()).isTrue();
        assertThat(trie.nodeCount()).isZero();
    }

    /**
     * Aimed at the child table: one writer grows the children of {@code /t} to hundreds and removes
     * them again, over and over (every resize, removed slot and shrink), while readers look up
     * children that stay subscribed throughout and so must always be found.
     */
    @Test
    void childrenThatStayAreNeverMissedWhileSiblingsComeAndGo() throws InterruptedException {
        int rounds = 150;
        int siblings = 300;
        String[] stay = new String[8];
        Object[] stayers = new Object[stay.length];
        for (int i = 0; i < stay.length; i++) {
            stay[i] = "/t/stay" + i;
            stayers[i] = named("stay" + i);
            trie.subscribe(stay[i], stayers[i]);
        }
        Object churn = named("churn");
        String[] siblingChannels = new String[siblings];
        for (int i = 0; i < siblings; i++) {
            siblingChannels[i] = "/t/s" + i;
        }

        Thread writer = new Thread(() -> {
            try {
                writersMayStart.await();
                for (int round = 0; round < rounds; round++) {
                    for (String channel : siblingChannels) {
                        trie.subscribe(channel, churn);
                    }
                    for (String channel : siblingChannels) {
                        trie.unsubscribe(channel, churn);
                    }
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        }, "writer");
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            int reader = r;
            readers.add(new Thread(() -> {
                try {
                    MatchSet<Object> out = new MatchSet<>();
                    int i = reader;
                    while (!writersDone) {
                        int k = i++ % stay.length;
                        out.clear();
                        trie.match(stay[k], out);
                        if (out.size() != 1 || out.get(0) != stayers[k]) {
                            throw new AssertionError("match(" + stay[k] + ") found " + out.size() + " subscribers");
                        }
                        matchesPerReader.incrementAndGet(reader);
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }, "reader-" + r));
        }
        readers.forEach(Thread::start);
        writer.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> matchesPerReader.get(0) > 1_000);
        } finally {
            writersMayStart.countDown();
            writer.join();
            writersDone = true;
            for (Thread reader : readers) {
                reader.join();
            }
        }

        assertThat(failures).isEmpty();
        assertThat(trie.subscriptionCount()).isEqualTo(stay.length);
        assertThat(trie.nodeCount()).isEqualTo(1 + stay.length);
    }

    private static List<String> writerPatterns() {
        List<String> patterns = new ArrayList<>(List.of("/w/*", "/w/**", "/w"));
        for (int k = 0; k < CHILDREN; k++) {
            patterns.add("/w/" + k);
            patterns.add("/w/" + k + "/*");
            patterns.add("/w/" + k + "/**");
            patterns.add("/w/" + k + "/x");
        }
        return patterns;
    }

    private static List<String> readerChannels() {
        List<String> channels = new ArrayList<>(List.of("/r", "/r/x", "/r/x/y", "/w"));
        for (int k = 0; k < CHILDREN; k++) {
            channels.add("/w/" + k);
            channels.add("/w/" + k + "/x");
            channels.add("/w/" + k + "/x/y");
        }
        return channels;
    }

    private static Set<Object> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    /** Matches until the writers are done, checking what must hold at every instant. */
    private void read(int reader) {
        try {
            MatchSet<Object> out = new MatchSet<>();
            List<String> channels = readerChannels();
            Set<Object> seen = identitySet();
            SplittableRandom random = new SplittableRandom(reader);
            while (!writersDone) {
                String channel = channels.get(random.nextInt(channels.size()));
                out.clear();
                trie.match(channel, out);
                seen.clear();
                for (int i = 0; i < out.size(); i++) {
                    if (!seen.add(out.get(i))) {
                        throw new AssertionError("duplicate " + out.get(i) + " in match(" + channel + ")");
                    }
                }
                if (!seen.contains(everywhere)) {
                    throw new AssertionError("lost /** in match(" + channel + ")");
                }
                if (channel.startsWith("/r")) {
                    if (out.size() != 1) {
                        throw new AssertionError("phantom subscriber in match(" + channel + "): " + seen);
                    }
                } else if (channel.startsWith("/w/")) {
                    if (!seen.contains(belowW)) {
                        throw new AssertionError("lost /w/** in match(" + channel + ")");
                    }
                    for (int i = 0; i < PINNED_CHILDREN.length; i++) {
                        if (channel.equals("/w/" + PINNED_CHILDREN[i]) && !seen.contains(pinned[i])) {
                            throw new AssertionError("lost " + channel + " in match(" + channel + ")");
                        }
                    }
                }
                matchesPerReader.incrementAndGet(reader);
            }
        } catch (Throwable t) {
            failures.add(t);
        }
    }

    /** Random subscribes and unsubscribes for its own subscribers, checking each return value. */
    private final class Writer implements Runnable {
        final Object[] subscribers = new Object[SUBSCRIBERS_PER_WRITER];
        @SuppressWarnings("unchecked")
        final Set<String>[] held = new Set[SUBSCRIBERS_PER_WRITER];
        private final List<String> patterns;
        private final SplittableRandom random;

        Writer(int id, List<String> patterns) {
            this.patterns = patterns;
            this.random = new SplittableRandom(1000 + id);
            for (int s = 0; s < SUBSCRIBERS_PER_WRITER; s++) {
                subscribers[s] = named("writer" + id + "-" + s);
                held[s] = new HashSet<>();
            }
        }

        @Override
        public void run() {
            try {
                writersMayStart.await();
                for (int op = 0; op < OPS_PER_WRITER; op++) {
                    int s = random.nextInt(SUBSCRIBERS_PER_WRITER);
                    // Favour unsubscribing what is held, so nodes are pruned and tables shrink as well as grow.
                    boolean unsubscribe = !held[s].isEmpty() && random.nextInt(100) < 55;
                    if (unsubscribe) {
                        String pattern = held[s].iterator().next();
                        if (!trie.unsubscribe(pattern, subscribers[s])) {
                            throw new AssertionError("lost " + pattern + " of " + subscribers[s]);
                        }
                        held[s].remove(pattern);
                    } else {
                        String pattern = patterns.get(random.nextInt(patterns.size()));
                        boolean added = trie.subscribe(pattern, subscribers[s]);
                        if (added != held[s].add(pattern)) {
                            throw new AssertionError("subscribe " + pattern + " of " + subscribers[s] + " said " + added);
                        }
                    }
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        }
    }
}
