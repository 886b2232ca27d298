package io.bayeuxd.broker;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bayeuxd.api.ServerListener;
import io.bayeuxd.api.ServerSession;
import io.bayeuxd.channel.ChannelName;
import io.bayeuxd.protocol.JsonValue;
import io.bayeuxd.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Join and leave events ({@code --presence-channels}): when a remote client subscribes to a channel that
 * matches one of the patterns, or stops being subscribed to it (it unsubscribed, was unsubscribed by the
 * API, disconnected, expired or was cut off), publishes
 * {@code {"action":"join"|"leave","channel":"/x","clientId":"...","user":"..."|null}} on
 * {@link #PREFIX}{@code /x}.
 *
 * <p>A server listener, so it runs on the events thread in the order the events happened, off every
 * event loop; it publishes through an in-process client, the normal publish path, so the events reach
 * subscribers on every node. Subscriptions to wildcard patterns are not announced (there is no channel
 * to publish them on), nor those of in-process clients, nor those to the events' own channels.
 */
final class JoinLeaveEvents implements ServerListener, ServerEvents.IgnoresPublishes {
    private static final Logger log = LoggerFactory.getLogger(JoinLeaveEvents.class);
    /** Events of {@code /x} are published on {@code /presence/x}. */
    static final String PREFIX = "/presence";

    private final List<String> patterns;
    private final LocalClient publisher;
    /** Touched by the events thread only. */
    private boolean refusalLogged;

    JoinLeaveEvents(List<String> patterns, LocalClient publisher) {
        this.patterns = List.copyOf(patterns);
        this.publisher = publisher;
    }

    /** Whether {@code pattern} may be given: a channel or pattern outside /meta, /service and the events' own. */
    static boolean isPresencePattern(String pattern) {
        return ChannelName.isValid(pattern) && !ChannelName.isMeta(pattern) && !ChannelName.isService(pattern)
                && !pattern.equals(PREFIX) && !pattern.startsWith(PREFIX + "/");
    }

    /** The channel {@code channel}'s events are published on. */
    static String eventsChannel(String channel) {
        return PREFIX + channel;
    }

    @Override
    public void onSubscribe(ServerSession session, String channel) {
        announce("join", session, channel);
    }

    @Override
    public void onUnsubscribe(ServerSession session, String channel) {
        announce("leave", session, channel);
    }

    private void announce(String action, ServerSession session, String channel) {
        if (session.isLocal() || !ChannelName.isValidName(channel) || channel.startsWith(PREFIX + "/") || !matches(channel)) {
            return;
        }
        ObjectNode event = JsonNodeFactory.instance.objectNode()
                .put("action", action).put("channel", channel).put("clientId", session.clientId()).put("user", session.user());
        Message reply = publisher.publish(eventsChannel(channel), JsonValue.of(event));
        if (!Boolean.TRUE.equals(reply.successful())) {
            // Refused for a reason of configuration (a channel too long or deep with the prefix): said
            // once, then only at debug, since every event of such channels would repeat it.
            if (!refusalLogged) {
                refusalLogged = true;
                log.warn("The {} event of {} on {} was refused: {} (further refusals are logged at debug)",
                        action, session.clientId(), channel, reply.error());
            } else {
                log.debug("The {} event of {} on {} was refused: {}", action, session.clientId(), channel, reply.error());
            }
        }
    }

    private boolean matches(String channel) {
        for (int i = 0, n = patterns.size(); i < n; i++) {
            if (ChannelName.matches(patterns.get(i), channel)) {
                return true;
            }
        }
        return false;
    }
}
