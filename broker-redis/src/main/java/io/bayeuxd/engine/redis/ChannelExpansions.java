package io.bayeuxd.engine.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Redis channels a publication on a Bayeux channel is sent to: the channel itself and every
 * wildcard pattern that matches it. A node listens on the Redis channel of each name and pattern its
 * sessions subscribe to, so each node receives exactly the publications some local session wants.
 *
 * <p>{@code /a/b/c} expands to {@code /a/b/c}, {@code /a/b/*}, {@code /a/b/**}, {@code /a/**} and
 * {@code /**}: its depth plus two. Expansions are cached (like CometD's {@code ChannelId}), in a map
 * that is emptied when it grows past its bound, so a stream of one-off channels costs memory once.
 */
final class ChannelExpansions {
    private static final int MAX_CACHED = 16_384;

    private final String prefix;
    private final ConcurrentHashMap<String, byte[][]> cache = new ConcurrentHashMap<>();

    ChannelExpansions(String prefix) {
        this.prefix = prefix;
    }

    /** The Redis channel a node listens on for a Bayeux channel name or pattern. */
    String redisChannel(String channelOrPattern) {
        return prefix + channelOrPattern;
    }

    /** The Redis channel names, in UTF-8, a publication on {@code channel} goes to. Shared: do not modify. */
    byte[][] of(String channel) {
        byte[][] names = cache.get(channel);
        if (names == null) {
            names = expand(channel);
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(channel, names);
        }
        return names;
    }

    private byte[][] expand(String channel) {
        List<String> patterns = patterns(channel);
        byte[][] names = new byte[patterns.size()][];
        for (int i = 0; i < names.length; i++) {
            names[i] = redisChannel(patterns.get(i)).getBytes(StandardCharsets.UTF_8);
        }
        return names;
    }

    /** {@code channel} itself, then {@code <parent>/*}, then {@code <ancestor>/**} from the deepest to {@code /**}. */
    static List<String> patterns(String channel) {
        List<String> out = new ArrayList<>();
        out.add(channel);
        int lastSlash = channel.lastIndexOf('/');
        String parent = channel.substring(0, lastSlash);
        out.add(parent + "/*");
        for (int end = lastSlash; end >= 0; end = end == 0 ? -1 : channel.lastIndexOf('/', end - 1)) {
            out.add(channel.substring(0, end) + "/**");
        }
        return out;
    }
}
