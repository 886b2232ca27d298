package io.bayeuxd.channel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ChannelName#matches} agrees with Faye's expand rule, as the trie does. */
class ChannelNameMatchesTest {
    @Test
    void onePatternAtATime() {
        assertThat(ChannelName.matches("/a/*", "/a/b")).isTrue();
        assertThat(ChannelName.matches("/a/*", "/a/b/c")).isFalse();
        assertThat(ChannelName.matches("/a/*", "/a")).isFalse();
        assertThat(ChannelName.matches("/a/**", "/a/b/c")).isTrue();
        assertThat(ChannelName.matches("/a/**", "/a")).isFalse();
        assertThat(ChannelName.matches("/a/**", "/ab/c")).isFalse();
        assertThat(ChannelName.matches("/**", "/x/y")).isTrue();
        assertThat(ChannelName.matches("/*", "/x")).isTrue();
        assertThat(ChannelName.matches("/a/b", "/a/b")).isTrue();
        assertThat(ChannelName.matches("/a/b", "/a/c")).isFalse();
    }
}
