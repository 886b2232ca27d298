package io.bayeuxd.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link ChannelTrie#match} against a naive reference: a subscriber matches a channel when one of its
 * subscriptions is in Faye's {@code Channel.expand} of that channel. Segments come from a three-letter
 * alphabet so that subscriptions overlap a lot.
 */
class ChannelTriePropertyTest {
    private static final String[] SEGMENTS = {"a", "b", "c"};
    private static final Subscriber[] SUBSCRIBERS = new Subscriber[6];
    /** Every channel of depth 1 to 4 over {@link #SEGMENTS}. */
    private static final List<String> ALL_CHANNELS = new ArrayList<>();

    static {
        for (int i = 0; i < SUBSCRIBERS.length; i++) {
            SUBSCRIBERS[i] = new Subscriber(i);
        }
        List<String> level = List.of("");
        for (int depth = 1; depth <= 4; depth++) {
            List<String> next = new ArrayList<>();
            for (String parent : level) {
                for (String segment : SEGMENTS) {
                    next.add(parent + "/" + segment);
                }
            }
            ALL_CHANNELS.addAll(next);
            level = next;
        }
    }

    /** No equals or hashCode: the trie must work by identity. */
    static final class Subscriber {
        final int id;

        Subscriber(int id) {
            this.id = id;
        }

        @Override
        public String toString() {
            return "s" + id;
        }
    }

    record Subscription(Subscriber subscriber, String channelOrPattern) {
    }

    @Property(tries = 500)
    void matchEqualsFayeExpansionBeforeAndAfterUnsubscribes(
            @ForAll("subscriptions") List<Subscription> subscriptions,
            @ForAll("subscriptions") List<Subscription> unsubscriptions) {
        ChannelTrie<Subscriber> trie = new ChannelTrie<>();
        MatchSet<Subscriber> out = new MatchSet<>();
        Set<Subscription> reference = new LinkedHashSet<>();

        for (Subscription s : subscriptions) {
            assertThat(trie.subscribe(s.channelOrPattern(), s.subscriber())).as("subscribe %s", s)
                    .isEqualTo(reference.add(s));
        }
        assertMatchesReference(trie, out, reference);

        // Unsubscribe some of what was subscribed, and some things that never were.
        for (int i = 0; i < unsubscriptions.size(); i++) {
            Subscription s = i % 2 == 0 && i / 2 < subscriptions.size() ? subscriptions.get(i / 2) : unsubscriptions.get(i);
            assertThat(trie.unsubscribe(s.channelOrPattern(), s.subscriber())).as("unsubscribe %s", s)
                    .isEqualTo(reference.remove(s));
        }
        assertMatchesReference(trie, out, reference);

        for (Subscription s : new ArrayList<>(reference)) {
            assertThat(trie.unsubscribe(s.channelOrPattern(), s.subscriber())).isTrue();
        }
        assertThat(trie.isEmpty()).isTrue();
        assertThat(trie.channelCount()).isZero();
        assertThat(trie.nodeCount()).isZero();
    }

    private static void assertMatchesReference(ChannelTrie<Subscriber> trie, MatchSet<Subscriber> out,
                                               Set<Subscription> reference) {
        Set<String> channels = new LinkedHashSet<>();
        for (Subscription s : reference) {
            channels.add(s.channelOrPattern());
        }
        assertThat(trie.subscriptionCount()).isEqualTo(reference.size());
        assertThat(trie.channelCount()).isEqualTo(channels.size());
        assertThat(trie.isEmpty()).isEqualTo(reference.isEmpty());

        for (String channel : ALL_CHANNELS) {
            List<String> expansion = expand(channel);
            Set<Subscriber> expected = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Subscription s : reference) {
                if (expansion.contains(s.channelOrPattern())) {
                    expected.add(s.subscriber());
                }
            }
            out.clear();
            trie.match(channel, out);
            List<Subscriber> actual = new ArrayList<>();
            for (int i = 0; i < out.size(); i++) {
                actual.add(out.get(i));
            }
            assertThat(actual).as("match(%s)", channel).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /** Faye 1.4's {@code Channel.expand}, transcribed naively. */
    static List<String> expand(String name) {
        String[] segments = name.substring(1).split("/");
        List<String> channels = new ArrayList<>();
        channels.add("/**");
        channels.add(name);
        String[] copy = segments.clone();
        copy[copy.length - 1] = "*";
        channels.add("/" + String.join("/", copy));
        for (int i = 1; i < segments.length; i++) {
            StringBuilder prefix = new StringBuilder();
            for (int j = 0; j < i; j++) {
                prefix.append('/').append(segments[j]);
            }
            channels.add(prefix + "/**");
        }
        return channels;
    }

    @Provide
    Arbitrary<List<Subscription>> subscriptions() {
        Arbitrary<Subscriber> subscriber = Arbitraries.of(SUBSCRIBERS);
        Arbitrary<List<String>> path = Arbitraries.of(SEGMENTS).list().ofMinSize(0).ofMaxSize(3);
        Arbitrary<String> tail = Arbitraries.of("", "/a", "/b", "/c", "/*", "/**");
        Arbitrary<String> channelOrPattern = Combinators.combine(path, tail)
                .as((segments, t) -> {
                    String prefix = segments.isEmpty() ? "" : "/" + String.join("/", segments);
                    return prefix + t;
                })
                .filter(s -> !s.isEmpty());
        return Combinators.combine(subscriber, channelOrPattern).as(Subscription::new).list().ofMaxSize(40);
    }
}
