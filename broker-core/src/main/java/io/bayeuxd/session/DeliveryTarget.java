package io.bayeuxd.session;

import io.netty.util.concurrent.EventExecutor;

/**
 * Where a session's queued messages go: an open WebSocket, a held long-poll, or an in-process client.
 *
 * <p>A transport attaches a target with {@link Session#attach}; from then on the session calls
 * {@link #onMessages} on {@link #executor()} whenever messages are queued, and that call is the only
 * consumer of the session's outbox until the target is detached.
 */
public interface DeliveryTarget {
    /** The thread (event loop) that owns this target; all callbacks run there. */
    EventExecutor executor();

    /**
     * Messages are waiting: drain them with {@link Session#drainInto} and write them. Runs on
     * {@link #executor()}. A target that cannot write now (a socket that is not writable) may leave them
     * queued and call {@link Session#wake()} later.
     */
    void onMessages(Session session);

    /** The session ended (disconnect or expiry) while this target was attached. Runs on {@link #executor()}. */
    void onSessionClosed(Session session);
}
