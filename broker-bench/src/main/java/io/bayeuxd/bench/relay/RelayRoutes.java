package io.bayeuxd.bench.relay;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelMatchers;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Which sockets subscribed to which channel name, matched by exact string: no wildcards, no
 * channel grammar. A closed socket leaves its groups by itself ({@link ChannelGroup} removes it).
 * Thread-safe: publishers on any event loop read it while subscribers add to it.
 */
final class RelayRoutes {

    private final ConcurrentMap<String, ChannelGroup> groups = new ConcurrentHashMap<>();

    void subscribe(String channelName, Channel socket) {
        groups.computeIfAbsent(channelName, name -> new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE)).add(socket);
    }

    void unsubscribe(String channelName, Channel socket) {
        ChannelGroup group = groups.get(channelName);
        if (group != null) {
            group.remove(socket);
        }
    }

    /**
     * Writes the frame to every socket subscribed to {@code channelName}, without flushing: the
     * caller flushes the returned group once per read batch ({@link ChannelGroup#flush()}), so that
     * the messages of one batch leave each subscriber in one write, as a broker's would.
     *
     * @param frame owned: released here, after each subscriber got its own retained duplicate
     * @return the group written to, or null when nobody subscribed to the channel
     */
    ChannelGroup forward(String channelName, TextWebSocketFrame frame) {
        ChannelGroup group = groups.get(channelName);
        if (group == null) {
            frame.release();
            return null;
        }
        // With a void promise the group builds no per-call future map; it releases the frame itself.
        group.write(frame, ChannelMatchers.all(), true);
        return group;
    }

    /** Subscribers of one channel name, for tests. */
    int subscribers(String channelName) {
        ChannelGroup group = groups.get(channelName);
        return group == null ? 0 : group.size();
    }
}
