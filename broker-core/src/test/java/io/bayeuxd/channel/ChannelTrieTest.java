package io.bayeuxd.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ChannelTrieTest {
    private final ChannelTrie<String> trie = new ChannelTrie<>();
    private final MatchSet<String> out = new MatchSet<>();

    private List<String> match(String channel) {
        out.clear();
        trie.match(channel, out);
        List<String> found = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            found.add(out.get(i));
        }
        return found;
    }

    /** Subscribes a subscriber named after the subscription itself. */
    private void subscribeSelf(String... channelsOrPatterns) {
        for (String s : channelsOrPatterns) {
            assertThat(trie.subscribe(s, s)).isTrue();
        }
    }

    private Map<String, Integer> subscribed() {
        Map<String, Integer> counts = new TreeMap<>();
        trie.forEachSubscribed((channel, n) -> assertThat(counts.put(channel, n)).as("reported once: %s", channel).isNull());
        return counts;
    }

    @Test
    void forEachSubscribedReportsEveryChannelAndPatternWithItsCount() {
        assertThat(subscribed()).isEmpty();
        trie.subscribe("/a/b", "s1");
        trie.subscribe("/a/b", "s2");
        trie.subscribe("/a/*", "s1");
        trie.subscribe("/a/**", "s3");
        trie.subscribe("/**", "s1");
        trie.subscribe("/*", "s2");
        trie.subscribe("/a/b/c/d", "s2");
        assertThat(subscribed()).isEqualTo(Map.of("/a/b", 2, "/a/*", 1, "/a/**", 1, "/**", 1, "/*", 1, "/a/b/c/d", 1));

        trie.unsubscribe("/a/b", "s1");
        trie.unsubscribe("/a/b/c/d", "s2");
        trie.unsubscribe("/**", "s1");
        assertThat(subscribed()).isEqualTo(Map.of("/a/b", 1, "/a/*", 1, "/a/**", 1, "/*", 1));
        assertThat(subscribed().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(trie.subscriptionCount());
        assertThat(subscribed()).hasSize(trie.channelCount());
    }

    @Test
    void literalChannelIsMatchedExactlyByFayesExpansion() {
        subscribeSelf("/a/b/c", "/a/b/*", "/**", "/a/**", "/a/b/**",
                "/a/b", "/a/b/c/d", "/a/b/c/*", "/a/b/c/**", "/a/*", "/*", "/b/**", "/a/c", "/a/b/d", "/x/b/c");
        assertThat(match("/a/b/c")).containsExactlyInAnyOrder("/a/b/c", "/a/b/*", "/**", "/a/**", "/a/b/**");
    }

    @Test
    void doubleStarMatchesStrictlyBelowNotItself() {
        subscribeSelf("/x/**");
        assertThat(match("/x")).isEmpty();
        assertThat(match("/x/y")).containsExactly("/x/**");
        assertThat(match("/x/y/z/w")).containsExactly("/x/**");
        assertThat(match("/xy/z")).isEmpty();
    }

    @Test
    void singleStarMatchesExactlyOneLastSegment() {
        subscribeSelf("/x/*", "/*");
        assertThat(match("/x")).containsExactly("/*");
        assertThat(match("/y")).containsExactly("/*");
        assertThat(match("/x/y")).containsExactly("/x/*");
        assertThat(match("/x/y/z")).isEmpty();
    }

    @Test
    void rootDoubleStarMatchesEverything() {
        subscribeSelf("/**");
        assertThat(match("/a")).containsExactly("/**");
        assertThat(match("/a/b/c/d/e/f")).containsExactly("/**");
        assertThat(match("/meta/connect")).containsExactly("/**");
    }

    @Test
    void aSubscriberMatchedByManyPatternsIsReportedOnce() {
        for (String s : new String[] {"/a/b", "/a/*", "/**", "/a/**"}) {
            assertThat(trie.subscribe(s, "alice")).isTrue();
        }
        trie.subscribe("/a/b", "bob");
        assertThat(match("/a/b")).containsExactlyInAnyOrder("alice", "bob");
    }

    @Test
    void matchAddsToWhatIsAlreadyInTheSetWithoutDuplicates() {
        trie.subscribe("/a", "alice");
        trie.subscribe("/b", "alice");
        trie.subscribe("/b", "bob");
        out.clear();
        trie.match("/a", out);
        trie.match("/b", out);
        assertThat(out.size()).isEqualTo(2);
        assertThat(List.of(out.get(0), out.get(1))).containsExactlyInAnyOrder("alice", "bob");
    }

    @Test
    void subscribersAreComparedByIdentity() {
        String one = new String("same");
        String two = new String("same");
        assertThat(trie.subscribe("/a", one)).isTrue();
        assertThat(trie.subscribe("/a", two)).isTrue();
        assertThat(trie.subscribe("/a", one)).isFalse();
        assertThat(match("/a")).hasSize(2);
        assertThat(trie.unsubscribe("/a", new String("same"))).isFalse();
        assertThat(trie.unsubscribe("/a", two)).isTrue();
        assertThat(out.size()).isEqualTo(2);
        List<String> left = match("/a");
        assertThat(left).hasSize(1);
        assertThat(left.get(0)).isSameAs(one);
    }

    @Test
    void wildcardSubscriptionsDoNotMatchALiteralStarSegment() {
        // "/a/*" as a subscription is a pattern, so it must not be confused with a child named "*".
        subscribeSelf("/a/*");
        assertThat(match("/a/b")).containsExactly("/a/*");
        assertThat(match("/a/b/c")).isEmpty();
    }

    @Test
    void malformedChannelsMatchNothingAndNeverFail() {
        subscribeSelf("/a", "/a/*");
        assertThat(match("")).isEmpty();
        assertThat(match("/")).isEmpty();
        assertThat(match("a")).isEmpty();
        assertThat(match("/a/")).containsExactly("/a/*");
        assertThat(match("//a")).isEmpty();
    }

    @Test
    void subscribeAndUnsubscribeReportChangesAndKeepCounts() {
        assertThat(trie.isEmpty()).isTrue();
        assertThat(trie.subscribe("/a/b", "x")).isTrue();
        assertThat(trie.subscribe("/a/b", "x")).isFalse();
        assertThat(trie.subscribe("/a/b", "y")).isTrue();
        assertThat(trie.subscribe("/a/*", "x")).isTrue();
        assertThat(trie.subscribe("/**", "x")).isTrue();
        assertThat(trie.subscriptionCount()).isEqualTo(4);
        assertThat(trie.channelCount()).isEqualTo(3);
        assertThat(trie.isEmpty()).isFalse();

        assertThat(trie.unsubscribe("/a/b", "z")).isFalse();
        assertThat(trie.unsubscribe("/a/c", "x")).isFalse();
        assertThat(trie.unsubscribe("/a/**", "x")).isFalse();
        assertThat(trie.unsubscribe("/a/b", "x")).isTrue();
        assertThat(trie.unsubscribe("/a/b", "x")).isFalse();
        assertThat(trie.subscriptionCount()).isEqualTo(3);
        assertThat(trie.channelCount()).isEqualTo(3);
        assertThat(trie.unsubscribe("/a/b", "y")).isTrue();
        assertThat(trie.channelCount()).isEqualTo(2);
        assertThat(trie.unsubscribe("/a/*", "x")).isTrue();
        assertThat(trie.unsubscribe("/**", "x")).isTrue();
        assertThat(trie.subscriptionCount()).isZero();
        assertThat(trie.channelCount()).isZero();
        assertThat(trie.isEmpty()).isTrue();
    }

    @Test
    void unsubscribePrunesEmptyNodesButKeepsUsedAncestors() {
        trie.subscribe("/a/b/c/d", "x");
        trie.subscribe("/a/**", "y");
        assertThat(trie.nodeCount()).isEqualTo(4);
        trie.unsubscribe("/a/b/c/d", "x");
        // "/a" holds y's "/a/**"; "/a/b", "/a/b/c" and "/a/b/c/d" have nothing left.
        assertThat(trie.nodeCount()).isEqualTo(1);
        trie.unsubscribe("/a/**", "y");
        assertThat(trie.nodeCount()).isZero();
        assertThat(match("/a/b/c/d")).isEmpty();

        trie.subscribe("/a/b/c/d", "x");
        assertThat(match("/a/b/c/d")).containsExactly("x");
    }

    @Test
    void manyChildrenSurviveGrowthRemovalAndShrinking() {
        int n = 2000;
        // Subscribers are compared by identity, so keep the very objects that were subscribed.
        String[] first = new String[n];
        String[] second = new String[n];
        for (int i = 0; i < n; i++) {
            first[i] = "s" + i;
            second[i] = "t" + i;
            trie.subscribe("/c/user" + i, first[i]);
        }
        assertThat(trie.channelCount()).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            assertThat(match("/c/user" + i)).containsExactly(first[i]);
        }
        // Remove all but every 97th, forcing removed slots, then a shrink, then reuse of removed slots.
        for (int i = 0; i < n; i++) {
            if (i % 97 != 0) {
                assertThat(trie.unsubscribe("/c/user" + i, first[i])).isTrue();
            }
        }
        assertThat(trie.nodeCount()).isEqualTo(1 + (n + 96) / 97);
        for (int i = 0; i < n; i++) {
            assertThat(match("/c/user" + i)).isEqualTo(i % 97 == 0 ? List.of(first[i]) : List.of());
        }
        for (int i = 0; i < n; i += 2) {
            trie.subscribe("/c/user" + i, second[i]);
        }
        for (int i = 0; i < n; i++) {
            List<String> expected = new ArrayList<>();
            if (i % 97 == 0) {
                expected.add(first[i]);
            }
            if (i % 2 == 0) {
                expected.add(second[i]);
            }
            assertThat(match("/c/user" + i)).isEqualTo(expected);
        }
        assertThat(match("/c/nobody")).isEmpty();
    }

    @Test
    void segmentsWithEqualHashesAreKeptApart() {
        // "Aa" and "BB" have the same String hash code.
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        subscribeSelf("/Aa", "/BB", "/x/AaAa", "/x/BBBB", "/x/AaBB", "/x/BBAa");
        assertThat(match("/Aa")).containsExactly("/Aa");
        assertThat(match("/BB")).containsExactly("/BB");
        assertThat(match("/x/AaBB")).containsExactly("/x/AaBB");
        trie.unsubscribe("/x/AaAa", "/x/AaAa");
        assertThat(match("/x/AaAa")).isEmpty();
        assertThat(match("/x/BBBB")).containsExactly("/x/BBBB");
        assertThat(match("/x/BBAa")).containsExactly("/x/BBAa");
    }

    @Test
    void invalidSubscriptionsAreRefused() {
        assertThatThrownBy(() -> trie.subscribe("/a/*/b", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> trie.subscribe("", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> trie.unsubscribe("/a/", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> trie.subscribe("/a", null)).isInstanceOf(NullPointerException.class);
        assertThat(trie.isEmpty()).isTrue();
    }
}
