package io.bayeuxd.engine;

import io.bayeuxd.channel.ChannelName;
import io.bayeuxd.channel.ChannelTrie;
import io.bayeuxd.channel.MatchSet;
import io.bayeuxd.fanout.Fanout;
import io.bayeuxd.session.ClientIdGenerator;
import io.bayeuxd.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The single-node engine: sessions in a concurrent map, subscriptions in a {@link ChannelTrie}, queued
 * messages in each session's outbox.
 *
 * <p>{@link #publish} is the fan-out: match the channel once, take all the references at once with
 * {@code retain(n)}, offer to each outbox. It takes no lock and allocates nothing per subscriber.
 */
public final class MemoryEngine implements Engine, Fanout.SlowConsumers {
    private static final FastThreadLocal<MatchSet<Session>> MATCHES = new FastThreadLocal<>() {
        @Override
        protected MatchSet<Session> initialValue() {
            return new MatchSet<>();
        }
    };

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final ChannelTrie<Session> trie = new ChannelTrie<>();
    private final ClientIdGenerator ids = new ClientIdGenerator();
    private final int outboxCapacity;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder disconnected = new LongAdder();
    private final boolean disconnectSlowConsumers;
    private final LongAdder discarded = new LongAdder();

    public MemoryEngine(int outboxCapacity) {
        this(outboxCapacity, false);
    }

    /**
     * @param disconnectSlowConsumers end the session of a client whose outbox is full, instead of only
     *                                dropping the message that did not fit
     */
    public MemoryEngine(int outboxCapacity, boolean disconnectSlowConsumers) {
        this.outboxCapacity = outboxCapacity;
        this.disconnectSlowConsumers = disconnectSlowConsumers;
    }

    @Override
    public Session createSession(boolean local, long nowNanos) {
        for (;;) {
            Session session = new Session(ids.next(), local, outboxCapacity, nowNanos);
            if (sessions.putIfAbsent(session.clientId(), session) == null) {
                return session;
            }
        }
    }

    @Override
    public Session session(String clientId) {
        return clientId == null ? null : sessions.get(clientId);
    }

    @Override
    public boolean destroySession(Session session) {
        if (!sessions.remove(session.clientId(), session)) {
            return false;
        }
        for (String channel : session.subscriptions()) {
            trie.unsubscribe(channel, session);
        }
        discarded.add(session.close());
        return true;
    }

    @Override
    public boolean subscribe(Session session, String channel) {
        if (session.isClosed()) {
            return false;
        }
        boolean added = session.addSubscription(channel);
        if (added) {
            trie.subscribe(channel, session);
            if (session.isClosed()) {
                // Lost a race with destroySession, which may have walked the subscriptions already.
                trie.unsubscribe(channel, session);
            }
        }
        return added;
    }

    @Override
    public boolean unsubscribe(Session session, String channel) {
        boolean removed = session.removeSubscription(channel);
        if (removed) {
            trie.unsubscribe(channel, session);
        }
        return removed;
    }

    @Override
    public int publish(String channel, ByteBuf payload) {
        MatchSet<Session> matches = MATCHES.get();
        matches.clear();
        trie.match(channel, matches);
        int n = matches.size();
        if (n == 0) {
            return 0;
        }
        int queued = Fanout.offerAll(matches, payload, ChannelName.isService(channel), this);
        matches.clear();
        return queued;
    }

    @Override
    public void onOutboxFull(Session session) {
        dropped.increment();
        if (disconnectSlowConsumers && destroySession(session)) {
            disconnected.increment();
        }
    }

    /** Sessions ended because they did not keep up (with the disconnect policy). */
    public long disconnectedSlowConsumers() {
        return disconnected.sum();
    }

    @Override
    public Collection<Session> sessions() {
        return sessions.values();
    }

    @Override
    public int sessionCount() {
        return sessions.size();
    }

    @Override
    public int channelCount() {
        return trie.channelCount();
    }

    @Override
    public int subscriptionCount() {
        return trie.subscriptionCount();
    }

    @Override
    public long droppedMessages() {
        return dropped.sum();
    }

    @Override
    public long discardedMessages() {
        return discarded.sum();
    }

    @Override
    public void close() {
        // The index goes away with the engine: unsubscribing each session would copy a channel's
        // subscriber array once per member, which is quadratic for a large channel.
        for (Session session : sessions.values()) {
            if (sessions.remove(session.clientId(), session)) {
                discarded.add(session.close());
            }
        }
    }
}
