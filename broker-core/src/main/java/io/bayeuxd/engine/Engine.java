package io.bayeuxd.engine;

import io.bayeuxd.session.Session;
import io.netty.buffer.ByteBuf;

import java.util.Collection;

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
     * once per session. BORROWS {@code payload}: the engine takes its own references for the outboxes and
     * the caller still releases its own.
     *
     * @return the number of sessions it was queued for
     */
    int publish(String channel, ByteBuf payload);

    Collection<Session> sessions();

    int sessionCount();

    int channelCount();

    int subscriptionCount();

    /** Messages refused because a subscriber's outbox was full. */
    long droppedMessages();

    /** Messages that were queued for a session but released undelivered when it was destroyed. */
    long discardedMessages();

    @Override
    void close();
}
