package io.bayeuxd.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** {@link ChannelName} against Faye 1.4's own regular expressions, used here as the reference. */
class ChannelNamePropertyTest {
    /** Faye's {@code Grammar.CHANNEL_NAME}, verbatim. */
    private static final Pattern FAYE_CHANNEL_NAME = Pattern.compile(
            "^\\/(((([a-z]|[A-Z])|[0-9])|(\\-|\\_|\\!|\\~|\\(|\\)|\\$|\\@)))+"
                    + "(\\/(((([a-z]|[A-Z])|[0-9])|(\\-|\\_|\\!|\\~|\\(|\\)|\\$|\\@)))+)*$");
    /** Faye's {@code Grammar.CHANNEL_PATTERN}, verbatim. */
    private static final Pattern FAYE_CHANNEL_PATTERN = Pattern.compile(
            "^(\\/(((([a-z]|[A-Z])|[0-9])|(\\-|\\_|\\!|\\~|\\(|\\)|\\$|\\@)))+)*\\/\\*{1,2}$");

    private static final String SEGMENT_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_!~()$@";
    /** Characters outside the grammar, including ones a regex might treat specially. */
    private static final String BAD_CHARS = " .#?%+=,;:'\"\\[]{}|^&<>`\n\t\u0000\u00e9\u4e2d\ud83d";

    @Property(tries = 1000)
    void randomStringsAgreeWithFaye(@ForAll("noisyStrings") String s) {
        assertAgreesWithFaye(s);
    }

    @Property(tries = 1000)
    void builtNamesAndPatternsAgreeWithFaye(@ForAll("channelLike") String s) {
        assertAgreesWithFaye(s);
    }

    @Property(tries = 500)
    void builtNamesWithOneBadCharacterAgreeWithFaye(@ForAll("channelLike") String s,
                                                    @ForAll("badChar") char bad,
                                                    @ForAll @IntRange(min = 0, max = 1000) int where) {
        int at = where % (s.length() + 1);
        assertAgreesWithFaye(s.substring(0, at) + bad + s.substring(at));
    }

    private static void assertAgreesWithFaye(String s) {
        boolean name = FAYE_CHANNEL_NAME.matcher(s).matches();
        boolean pattern = FAYE_CHANNEL_PATTERN.matcher(s).matches();
        assertThat(ChannelName.isValidName(s)).as("isValidName(%s)", s).isEqualTo(name);
        assertThat(ChannelName.isValidPattern(s)).as("isValidPattern(%s)", s).isEqualTo(pattern);
        assertThat(ChannelName.isValid(s)).as("isValid(%s)", s).isEqualTo(name || pattern);

        // Faye's Channel.parse splits a valid name or pattern into segments; meta and service use the first.
        String first = name || pattern ? s.substring(1).split("/", -1)[0] : null;
        assertThat(ChannelName.isMeta(s)).as("isMeta(%s)", s).isEqualTo("meta".equals(first));
        assertThat(ChannelName.isService(s)).as("isService(%s)", s).isEqualTo("service".equals(first));
        assertThat(ChannelName.isSubscribable(s)).as("isSubscribable(%s)", s)
                .isEqualTo(first != null && !first.equals("meta") && !first.equals("service"));
        int depth = name || pattern ? s.substring(1).split("/", -1).length : -1;
        assertThat(ChannelName.depth(s)).as("depth(%s)", s).isEqualTo(depth);
    }

    /** Short strings over slashes, stars, a few good and a few bad characters: mostly invalid, some valid. */
    @Provide
    Arbitrary<String> noisyStrings() {
        return Arbitraries.strings().withChars("///***abmt-_@ .\u00e9\n")
                .ofMinLength(0).ofMaxLength(12);
    }

    /** Names and patterns built from segments, sometimes with an empty segment or a misplaced star. */
    @Provide
    Arbitrary<String> channelLike() {
        Arbitrary<String> segment = Arbitraries.oneOf(
                Arbitraries.strings().withChars(SEGMENT_CHARS).ofMinLength(1).ofMaxLength(6),
                Arbitraries.of("meta", "service", "metadata", "services", "*", "**", "***", "", "a*", "*a"));
        Arbitrary<List<String>> segments = segment.list().ofMinSize(0).ofMaxSize(5);
        Arbitrary<String> tail = Arbitraries.of("", "", "/*", "/**", "/", "/***");
        return Combinators.combine(segments, tail)
                .as((segs, t) -> (segs.isEmpty() ? "" : "/" + String.join("/", segs)) + t);
    }

    @Provide
    Arbitrary<Character> badChar() {
        return Arbitraries.oneOf(Arbitraries.of(BAD_CHARS.chars().mapToObj(c -> (char) c).toArray(Character[]::new)),
                Arbitraries.chars().range('\u0080', '\uffff'));
    }

}
