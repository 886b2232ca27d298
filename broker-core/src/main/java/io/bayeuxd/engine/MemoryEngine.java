package io.bayeuxd.engine;

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
import java.util.function.ObjIntConsumer;

/**
 * The engine of one node: sessions in a concurrent map, subscriptions in a {@link ChannelTrie}, queued
 * messages in each session's outbox, and a {@link ClusterBus} to the other nodes ({@link ClusterBus#NONE}
 * when there are none).
 *
 * <p>{@link #publish} is the fan-out: match the channel once, take all the references at once with
 * {@code retain(n)}, offer to each outbox, then hand the same bytes to the bus. It takes no lock and
 * allocates nothing per subscriber. Policy (who may receive what, what a slow consumer costs its
 * session) is the broker's: it arrives here as an {@link Engine.Audience} and a
 * {@link Fanout.SlowConsumers}.
 */
public final class MemoryEngine implements Engine, Fanout.SlowConsumers, ClusterBus.RemotePublications {
    private static final FastThreadLocal<MatchSet<Session>> MATCHES = new FastThreadLocal<>() {
        @Override
        protected MatchSet<Session> initialValue() {
            return new MatchSet<>();
        }
    };

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final ChannelTrie<Session> trie = new ChannelTrie<>();
    private final ClientIdGenerator ids;
    private final int outboxCapacity;
    private final ClusterBus bus;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder discarded = new LongAdder();
    /** Written once by the broker before traffic starts; read on every full outbox. */
    private volatile Fanout.SlowConsumers slowConsumers = Fanout.SlowConsumers.IGNORE;

    /** A single node's engine. */
    public MemoryEngine(int outboxCapacity) {
        this(outboxCapacity, ClusterBus.NONE);
    }

    /** An engine that shares publications with other nodes over {@code bus}, which it starts and closes. */
    public MemoryEngine(int outboxCapacity, ClusterBus bus) {
        this.outboxCapacity = outboxCapacity;
        this.bus = bus;
        bus.start(this);
        this.ids = bus.nodeToken() == null ? new ClientIdGenerator() : ClientIdGenerator.forNode(bus.nodeToken());
    }

    @Override
    public void onSlowConsumer(Fanout.SlowConsumers policy) {
        this.slowConsumers = policy;
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
            if (trie.unsubscribe(channel, session)) {
                bus.unsubscribed(channel);
            }
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
            if (trie.subscribe(channel, session)) {
                bus.subscribed(channel);
            }
            if (session.isClosed() && trie.unsubscribe(channel, session)) {
                // Lost a race with destroySession, which may have walked the subscriptions already.
                bus.unsubscribed(channel);
            }
        }
        return added;
    }

    @Override
    public boolean unsubscribe(Session session, String channel) {
        boolean removed = session.removeSubscription(channel);
        if (removed && trie.unsubscribe(channel, session)) {
            bus.unsubscribed(channel);
        }
        return removed;
    }

    @Override
    public int publish(String channel, ByteBuf payload, Audience audience) {
        int queued = fanOut(channel, payload, audience == Audience.SERVER_SIDE);
        if (audience == Audience.EVERYONE) {
            bus.publish(channel, payload);
        }
        return queued;
    }

    /** A publication of another node, from the bus: local fan-out only. */
    @Override
    public int deliver(String channel, ByteBuf payload) {
        return fanOut(channel, payload, false);
    }

    private int fanOut(String channel, ByteBuf payload, boolean serverSideOnly) {
        MatchSet<Session> matches = MATCHES.get();
        matches.clear();
        trie.match(channel, matches);
        if (matches.size() == 0) {
            return 0;
        }
        int queued = Fanout.offerAll(matches, payload, serverSideOnly, this);
        matches.clear();
        return queued;
    }

    @Override
    public void onOutboxFull(Session session) {
        dropped.increment();
        slowConsumers.onOutboxFull(session);
    }

    @Override
    public ClusterBus bus() {
        return bus;
    }

    @Override
    public boolean isClusterHealthy() {
        return bus.isHealthy();
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
    public void forEachSubscribed(ObjIntConsumer<String> action) {
        trie.forEachSubscribed(action);
    }

    @Override
    public boolean hasSubscribers(String channel) {
        MatchSet<Session> matches = new MatchSet<>();
        trie.match(channel, matches);
        return !matches.isEmpty();
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
        // Other nodes stop sending first, so nothing arrives for sessions being closed.
        bus.close();
        // The index goes away with the engine: unsubscribing each session would copy a channel's
        // subscriber array once per member, which is quadratic for a large channel.
        for (Session session : sessions.values()) {
            if (sessions.remove(session.clientId(), session)) {
                discarded.add(session.close());
            }
        }
    }
}
