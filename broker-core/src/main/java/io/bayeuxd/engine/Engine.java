package io.bayeuxd.engine;

import io.bayeuxd.fanout.Fanout;
import io.bayeuxd.session.Session;
import io.netty.buffer.ByteBuf;

import java.util.Collection;
import java.util.function.ObjIntConsumer;

/**
 * Where clients, subscriptions and queued messages live. The protocol handlers and the transports only
 * talk to this interface, so an engine that shares state between several nodes (Redis) can replace the
 * in-memory one without touching them.
 */
public interface Engine extends AutoCloseable {
    /** Creates and registers a session with a new, unguessable client id. */
    Session createSession(boolean local, long nowNanos);

    /** The session for {@code clientId}, or {@code null} when it does not exist (any more). */
    Session session(String clientId);

    /** Removes the session, its subscriptions and its queued messages; returns false if it was already gone. */
    boolean destroySession(Session session);

    /** Subscribes to a channel name or pattern already validated by the caller; false if it already was. */
    boolean subscribe(Session session, String channel);

    boolean unsubscribe(Session session, String channel);

    /**
     * Queues an encoded publication for every session subscribed to a pattern matching {@code channel},
     * once per session, on this node and (through the cluster bus) on every other. BORROWS
     * {@code payload}: the engine takes its own references for the outboxes and the caller still
     * releases its own.
     *
     * @param audience who may receive it: the broker decides ({@code /service/**} reaches only
     *                 server-side sessions, and never leaves the node)
     * @return the number of sessions on this node it was queued for
     */
    int publish(String channel, ByteBuf payload, Audience audience);

    /** {@link #publish(String, ByteBuf, Audience)} to {@link Audience#EVERYONE}. */
    default int publish(String channel, ByteBuf payload) {
        return publish(channel, payload, Audience.EVERYONE);
    }

    /**
     * Tells the engine what to do with a session whose outbox was full when a publication arrived; the
     * broker installs its slow-consumer policy here once, before any traffic. It is called on the
     * publisher's thread, inside the fan-out loop: it must not block or take a lock.
     */
    void onSlowConsumer(Fanout.SlowConsumers policy);

    Collection<Session> sessions();

    int sessionCount();

    int channelCount();

    int subscriptionCount();

    /**
     * Calls {@code action} with every channel and pattern that sessions of this node subscribe to, and
     * how many sessions each. For operators (the HTTP API's {@code /api/channels}), never on the publish
     * path; it takes no lock that publishes or subscribes wait for.
     */
    void forEachSubscribed(ObjIntConsumer<String> action);

    /**
     * Whether a session of this node subscribes to {@code channel}, by name or by a pattern. For the
     * sweep, never on the publish path: it allocates.
     */
    boolean hasSubscribers(String channel);

    /** Messages refused because a subscriber's outbox was full. */
    long droppedMessages();

    /** Messages that were queued for a session but released undelivered when it was destroyed. */
    long discardedMessages();

    /** The link to the other nodes of a cluster ({@link ClusterBus#NONE} for a node alone). */
    ClusterBus bus();

    /** Whether every node's publications can reach this node now (always, for a single node). */
    boolean isClusterHealthy();

    @Override
    void close();

    /** Who may receive a publication. */
    enum Audience {
        /** Every subscriber, on every node. */
        EVERYONE,
        /** In-process clients of the server on this node only ({@code /service/**}). */
        SERVER_SIDE,
        /**
         * Every subscriber on this node only: a publication that reached every node another way (a
         * stored channel's, numbered by the cluster bus).
         */
        THIS_NODE
    }
}
