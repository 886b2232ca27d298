package io.bayeuxd.channel;

/**
 * Faye 1.4's channel grammar, checked by hand.
 *
 * <p>A channel <em>name</em> is {@code /seg(/seg)*}; a channel <em>pattern</em> is zero or more
 * {@code /seg} followed by {@code /*} or {@code /**}. Every segment is one or more of
 * {@code [A-Za-z0-9-_!~()$@]}, so a wildcard can only be the whole last segment. These methods run on
 * the publish path, so they scan characters in one pass instead of using a regular expression, and
 * allocate nothing. Every method accepts {@code null} and treats it as invalid.
 */
public final class ChannelName {
    private static final int INVALID = 0;
    private static final int NAME = 1;
    private static final int PATTERN = 2;

    /** Segment characters 0..63 as bits, then 64..127; a mask test needs no array bounds check. */
    private static final long SEGMENT_CHARS_LOW;
    private static final long SEGMENT_CHARS_HIGH;

    static {
        String allowed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_!~()$@";
        long low = 0;
        long high = 0;
        for (int i = 0; i < allowed.length(); i++) {
            char c = allowed.charAt(i);
            if (c < 64) {
                low |= 1L << c;
            } else {
                high |= 1L << (c - 64);
            }
        }
        SEGMENT_CHARS_LOW = low;
        SEGMENT_CHARS_HIGH = high;
    }

    private ChannelName() {
    }

    /** Whether {@code s} is a channel name such as {@code /chat/room-1}; patterns are not names. */
    public static boolean isValidName(String s) {
        return classify(s) == NAME;
    }

    /** Whether {@code s} is a channel pattern: {@code /*}, {@code /**}, {@code /a/*}, {@code /a/b/**}... */
    public static boolean isValidPattern(String s) {
        return classify(s) == PATTERN;
    }

    /** Whether {@code s} is a channel name or a channel pattern. */
    public static boolean isValid(String s) {
        return classify(s) != INVALID;
    }

    /**
     * Whether {@code s} is a valid name or pattern whose first segment is {@code meta}: {@code /meta}
     * itself counts, {@code /metadata} does not. Faye's {@code Channel.isMeta} rule, and the broker's only
     * one.
     */
    public static boolean isMeta(String s) {
        return firstSegmentIs(s, "meta");
    }

    /** Whether {@code s} is a valid name or pattern whose first segment is {@code service}. */
    public static boolean isService(String s) {
        return firstSegmentIs(s, "service");
    }

    /** Whether a client may subscribe to {@code s}: valid, and neither meta nor service. */
    public static boolean isSubscribable(String s) {
        return classify(s) != INVALID && !startsWithSegment(s, "meta") && !startsWithSegment(s, "service");
    }

    /**
     * The number of segments of a valid name or pattern, counting a trailing wildcard as one
     * ({@code /a/b} and {@code /a/**} are both 2), or -1 when {@code s} is not valid.
     */
    public static int depth(String s) {
        if (classify(s) == INVALID) {
            return -1;
        }
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '/') {
                depth++;
            }
        }
        return depth;
    }

    /** Whether {@code c} may appear in a (non-wildcard) segment. */
    static boolean isSegmentChar(char c) {
        if (c < 64) {
            return (SEGMENT_CHARS_LOW & (1L << c)) != 0;
        }
        if (c < 128) {
            return (SEGMENT_CHARS_HIGH & (1L << (c - 64))) != 0;
        }
        return false;
    }

    /**
     * One pass over {@code s}. A {@code *} is only legal as the first character of a segment, and then
     * the rest of the string must be at most one more {@code *}, which is what makes it the last segment.
     */
    private static int classify(String s) {
        if (s == null) {
            return INVALID;
        }
        int length = s.length();
        if (length < 2 || s.charAt(0) != '/') {
            return INVALID;
        }
        int segmentStart = 1;
        for (int i = 1; i < length; i++) {
            char c = s.charAt(i);
            if (c == '/') {
                if (i == segmentStart) {
                    return INVALID;
                }
                segmentStart = i + 1;
            } else if (!isSegmentChar(c)) {
                if (c != '*' || i != segmentStart) {
                    return INVALID;
                }
                int wildcardEnd = i + 1;
                if (wildcardEnd < length && s.charAt(wildcardEnd) == '*') {
                    wildcardEnd++;
                }
                return wildcardEnd == length ? PATTERN : INVALID;
            }
        }
        // The loop only checks for empty segments when it meets a '/', so check the last one here.
        return segmentStart == length ? INVALID : NAME;
    }

    private static boolean firstSegmentIs(String s, String segment) {
        return classify(s) != INVALID && startsWithSegment(s, segment);
    }

    /** Assumes {@code s} is valid, so it starts with '/'. */
    private static boolean startsWithSegment(String s, String segment) {
        int end = 1 + segment.length();
        return s.startsWith(segment, 1) && (s.length() == end || s.charAt(end) == '/');
    }

    /**
     * Faye's matching rule for one subscription: {@code /a/*} matches one segment below {@code /a},
     * {@code /a/**} anything below it, a name only itself. Both arguments are assumed valid; for the
     * few places that match one pattern at a time (the trie does the matching on the publish path).
     */
    public static boolean matches(String pattern, String channel) {
        if (pattern.endsWith("/**")) {
            int prefix = pattern.length() - 2;
            return channel.length() > prefix && channel.startsWith(pattern.substring(0, prefix));
        }
        if (pattern.endsWith("/*")) {
            int prefix = pattern.length() - 1;
            return channel.length() > prefix && channel.startsWith(pattern.substring(0, prefix))
                    && channel.indexOf('/', prefix) < 0;
        }
        return pattern.equals(channel);
    }

    /**
     * Whether a granted pattern (a security rule's, a token's claim) covers a channel or a subscription
     * pattern: {@code /a/**} covers everything below {@code /a}, patterns included; {@code /a/*} covers
     * one segment below it, so a subscription to {@code /a/*} but not to {@code /a/**}. Both arguments
     * are assumed valid.
     */
    public static boolean covers(String granted, String channel) {
        // A one-segment grant does not cover a subscription to everything below it.
        return matches(granted, channel) && !(granted.endsWith("/*") && channel.endsWith("/**"));
    }
}
