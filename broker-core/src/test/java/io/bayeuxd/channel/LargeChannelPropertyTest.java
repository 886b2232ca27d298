package io.bayeuxd.channel;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Channels with many subscribers, where the trie keeps its subscriber lists in chunks of
 * {@link SubscriberChunks#CHUNK} and indexes positions above {@link TrieNode#INDEXED_ABOVE}: random
 * runs of subscribes and unsubscribes (repeats included) on one channel and one pattern against a
 * model set, checking the match, the counts and the chunk shape after every step.
 */
class LargeChannelPropertyTest {
    /** No equals or hashCode: the trie must work by identity. */
    static final class Subscriber {
    }

    /** One step: subscribe (true) or unsubscribe subscriber {@code who}. */
    record Step(boolean subscribe, int who, boolean pattern) {
    }

    @Property(tries = 60)
    void matchesTheModelAfterEveryStep(@ForAll("runs") List<Step> steps) {
        int population = 1200;
        Subscriber[] subscribers = new Subscriber[population];
        for (int i = 0; i < population; i++) {
            subscribers[i] = new Subscriber();
        }
        ChannelTrie<Subscriber> trie = new ChannelTrie<>();
        Set<Subscriber> exact = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Subscriber> pattern = Collections.newSetFromMap(new IdentityHashMap<>());
        int largest = 0;
        for (int k = 0; k < steps.size(); k++) {
            Step step = steps.get(k);
            Subscriber s = subscribers[step.who() % population];
            String channel = step.pattern() ? "/big/*" : "/big/x";
            Set<Subscriber> model = step.pattern() ? pattern : exact;
            boolean changed = step.subscribe() ? trie.subscribe(channel, s) : trie.unsubscribe(channel, s);
            assertThat(changed).isEqualTo(step.subscribe() ? model.add(s) : model.remove(s));
            largest = Math.max(largest, Math.max(exact.size(), pattern.size()));
            if (k % 50 == 0 || k == steps.size() - 1) {
                assertMatches(trie, exact, pattern);
            }
        }
        Statistics.label("largest list over 256").collect(largest > SubscriberChunks.CHUNK);
        // Empty it: every node is pruned.
        for (Subscriber s : new ArrayList<>(exact)) {
            assertThat(trie.unsubscribe("/big/x", s)).isTrue();
        }
        for (Subscriber s : new ArrayList<>(pattern)) {
            assertThat(trie.unsubscribe("/big/*", s)).isTrue();
        }
        assertThat(trie.isEmpty()).isTrue();
        assertThat(trie.nodeCount()).isZero();
    }

    private static void assertMatches(ChannelTrie<Subscriber> trie, Set<Subscriber> exact, Set<Subscriber> pattern) {
        MatchSet<Subscriber> out = new MatchSet<>();
        trie.match("/big/x", out);
        List<Subscriber> got = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            got.add(out.get(i));
        }
        Set<Subscriber> expected = Collections.newSetFromMap(new IdentityHashMap<>());
        expected.addAll(exact);
        expected.addAll(pattern);
        assertThat(got).hasSize(expected.size()).allMatch(expected::contains);
        assertThat(trie.subscriptionCount()).isEqualTo(exact.size() + pattern.size());
        assertThat(trie.channelCount()).isEqualTo((exact.isEmpty() ? 0 : 1) + (pattern.isEmpty() ? 0 : 1));
    }

    @Provide
    Arbitrary<List<Step>> runs() {
        // Mostly subscribes first so the lists grow past a chunk, then a mix that shrinks them again.
        Arbitrary<Step> grow = Arbitraries.integers().between(0, 1199).withDistribution(RandomDistribution.uniform()).tuple2().map(t -> new Step(t.get1() % 10 != 0, t.get2(), t.get1() % 3 == 0));
        Arbitrary<Step> mixed = Arbitraries.integers().between(0, 1199).withDistribution(RandomDistribution.uniform()).tuple2().map(t -> new Step(t.get1() % 2 == 0, t.get2(), t.get1() % 3 == 0));
        return grow.list().ofMinSize(600).ofMaxSize(2000).flatMap(g -> mixed.list().ofMaxSize(1500).map(m -> {
            List<Step> all = new ArrayList<>(g);
            all.addAll(m);
            return all;
        }));
    }
}
