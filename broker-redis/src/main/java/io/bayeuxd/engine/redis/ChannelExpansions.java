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
    private final ConcurrentHashMap<String, Expansion> cache = new ConcurrentHashMap<>();

    /**
     * What a publication on one channel needs, computed once per channel: its name in UTF-8 (for the
     * frame) and the Redis channels it goes to, as UTF-8 (a standalone script's arguments) and as strings
     * (a Cluster's {@code SPUBLISH} keys). Shared: do not modify the arrays.
     */
    record Expansion(byte[] channelUtf8, byte[][] redisChannels, String[] redisChannelNames) {
    }

    ChannelExpansions(String prefix) {
        this.prefix = prefix;
    }

    /** The Redis channel a node listens on for a Bayeux channel name or pattern. */
    String redisChannel(String channelOrPattern) {
        return prefix + channelOrPattern;
    }

    /** Where a publication on {@code channel} goes. */
    Expansion of(String channel) {
        Expansion e = cache.get(channel);
        if (e == null) {
            e = expand(channel);
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(channel, e);
        }
        return e;
    }

    private Expansion expand(String channel) {
        String[] names = patterns(channel).stream().map(this::redisChannel).toArray(String[]::new);
        byte[][] utf8 = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            utf8[i] = names[i].getBytes(StandardCharsets.UTF_8);
        }
        return new Expansion(channel.getBytes(StandardCharsets.UTF_8), utf8, names);
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
