package io.bayeuxd.channel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"/a", "/foo", "/foo/bar", "/a/b/c/d/e", "/meta", "/meta/connect", "/service/x",
            "/A-Z_a-z/0-9", "/!~()$@", "/-", "/_", "/chat/room-1/user_42", "/a/b$c/@d"})
    void validNames(String s) {
        assertThat(ChannelName.isValidName(s)).isTrue();
        assertThat(ChannelName.isValidPattern(s)).isFalse();
        assertThat(ChannelName.isValid(s)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/*", "/**", "/a/*", "/a/**", "/a/b/*", "/a/b/**", "/meta/*", "/service/**"})
    void validPatterns(String s) {
        assertThat(ChannelName.isValidPattern(s)).isTrue();
        assertThat(ChannelName.isValidName(s)).isFalse();
        assertThat(ChannelName.isValid(s)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "//", "///", "a", "a/b", "/a/", "/a//b", "//a", "/a/b/", "/a/*/b", "/a/***",
            "/***", "/a*", "/*a", "/a/*b", "/a/b*", "/*/", "/**/", "/*/*", "/**/a", "/a b", " /a", "/a ",
            "/caf\u00e9", "/\u00fcber/x", "/a/\u4e2d", "/a\n", "/a\tb", "/a.b", "/a#", "/a?b", "/a%20", "/a+b",
            "/a=b", "/a,b", "/a;b", "/a:b", "/a'b", "/a\"b", "/a\\b", "/a[0]", "/a{b}", "/a|b", "/a^b", "/a&b",
            "/a<b>", "/a`b", "/\u0000", "/\ud83d\ude00"})
    void invalid(String s) {
        assertThat(ChannelName.isValidName(s)).isFalse();
        assertThat(ChannelName.isValidPattern(s)).isFalse();
        assertThat(ChannelName.isValid(s)).isFalse();
        assertThat(ChannelName.isMeta(s)).isFalse();
        assertThat(ChannelName.isService(s)).isFalse();
        assertThat(ChannelName.isSubscribable(s)).isFalse();
        assertThat(ChannelName.depth(s)).isEqualTo(-1);
    }

    @Test
    void nullIsInvalidEverywhere() {
        assertThat(ChannelName.isValidName(null)).isFalse();
        assertThat(ChannelName.isValidPattern(null)).isFalse();
        assertThat(ChannelName.isValid(null)).isFalse();
        assertThat(ChannelName.isMeta(null)).isFalse();
        assertThat(ChannelName.isService(null)).isFalse();
        assertThat(ChannelName.isSubscribable(null)).isFalse();
        assertThat(ChannelName.depth(null)).isEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/meta", "/meta/connect", "/meta/subscribe", "/meta/*", "/meta/**", "/meta/a/b"})
    void meta(String s) {
        assertThat(ChannelName.isMeta(s)).isTrue();
        assertThat(ChannelName.isService(s)).isFalse();
        assertThat(ChannelName.isSubscribable(s)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/service", "/service/x", "/service/*", "/service/**", "/service/a/b"})
    void service(String s) {
        assertThat(ChannelName.isService(s)).isTrue();
        assertThat(ChannelName.isMeta(s)).isFalse();
        assertThat(ChannelName.isSubscribable(s)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/metadata", "/metal/x", "/a/meta", "/Meta", "/META/connect", "/services", "/servicex/a",
            "/a/service", "/*", "/**", "/foo", "/foo/*", "/foo/**"})
    void subscribable(String s) {
        assertThat(ChannelName.isMeta(s)).isFalse();
        assertThat(ChannelName.isService(s)).isFalse();
        assertThat(ChannelName.isSubscribable(s)).isTrue();
    }

    @Test
    void depthCountsSegmentsIncludingWildcard() {
        assertThat(ChannelName.depth("/a")).isEqualTo(1);
        assertThat(ChannelName.depth("/a/b")).isEqualTo(2);
        assertThat(ChannelName.depth("/a/b/c")).isEqualTo(3);
        assertThat(ChannelName.depth("/*")).isEqualTo(1);
        assertThat(ChannelName.depth("/**")).isEqualTo(1);
        assertThat(ChannelName.depth("/a/*")).isEqualTo(2);
        assertThat(ChannelName.depth("/a/b/**")).isEqualTo(3);
        assertThat(ChannelName.depth("/a/")).isEqualTo(-1);
    }

    @Test
    void segmentAlphabetIsExactlyFayes() {
        String allowed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_!~()$@";
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            assertThat(ChannelName.isSegmentChar(c)).as("char %d", (int) c).isEqualTo(allowed.indexOf(c) >= 0);
        }
        assertThat(ChannelName.isSegmentChar(Character.MAX_VALUE)).isFalse();
    }
}
