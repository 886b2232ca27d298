package io.bayeuxd.broker;

import io.bayeuxd.channel.ChannelName;
import io.bayeuxd.protocol.BayeuxError;
import io.bayeuxd.session.RateLimiter;
import io.bayeuxd.session.Session;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The broker's protocol limits in one place: channel size, subscriptions per client, publish rate per
 * session and handshake rate per client address. Each refusal is counted.
 */
final class Limits {
    static final String TOO_MANY_SUBSCRIPTIONS = "Too many subscriptions";
    static final String TOO_MANY_PUBLISHES = "Too many publishes";
    static final String TOO_MANY_HANDSHAKES = "Too many handshakes";

    private final BrokerConfig config;
    private final ConcurrentHashMap<InetAddress, RateLimiter> handshakes = new ConcurrentHashMap<>();
    private final LongAdder refused = new LongAdder();

    Limits(BrokerConfig config) {
        this.config = config;
    }

    /** A channel within the configured length and depth (assumed otherwise valid). */
    boolean channelFits(String channel) {
        if (channel.length() <= config.maxChannelLength() && ChannelName.depth(channel) <= config.maxChannelDepth()) {
            return true;
        }
        refused.increment();
        return false;
    }

    /** Whether the session may subscribe to {@code channel}: it has room, or holds it already. Counts nothing. */
    boolean hasRoomFor(Session session, String channel) {
        return session.subscriptionCount() < config.maxSubscriptionsPerSession() || session.isSubscribed(channel);
    }

    /** The error for one more subscription, or {@code null} when the session has room. */
    String subscriptionError(Session session, String channel) {
        if (hasRoomFor(session, channel)) {
            return null;
        }
        refused.increment();
        return BayeuxError.format(403, TOO_MANY_SUBSCRIPTIONS, channel);
    }

    /** The error for a publish over the session's rate, or {@code null}. */
    String publishError(Session session, String channel, long nowNanos) {
        RateLimiter limiter = session == null ? null : session.publishLimiter();
        if (limiter == null || limiter.tryAcquire(nowNanos)) {
            return null;
        }
        refused.increment();
        return BayeuxError.format(429, TOO_MANY_PUBLISHES, channel);
    }

    /** Gives a new session its publish limiter, when publishes are limited. */
    void limitPublishes(Session session) {
        if (config.publishesPerSecond() > 0) {
            session.publishLimiter(new RateLimiter(config.publishesPerSecond(), config.publishBurst()));
        }
    }

    /** Whether another handshake from this address is within the rate. */
    boolean allowHandshake(SocketAddress remote, long nowNanos) {
        int rate = config.handshakesPerSecondPerAddress();
        if (rate == 0 || !(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return true;
        }
        RateLimiter limiter = handshakes.computeIfAbsent(inet.getAddress(), a -> new RateLimiter(rate, rate));
        if (limiter.tryAcquire(nowNanos)) {
            return true;
        }
        refused.increment();
        return false;
    }

    /** Forgets addresses whose buckets are full again, so the map holds only recent handshakers. */
    void sweep(long nowNanos) {
        handshakes.values().removeIf(l -> l.isIdle(nowNanos));
    }

    long refused() {
        return refused.sum();
    }
}
