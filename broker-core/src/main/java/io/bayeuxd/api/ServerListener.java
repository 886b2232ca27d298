package io.bayeuxd.api;

import io.bayeuxd.protocol.JsonValue;

/**
 * Server events, as Faye's {@code server.bind('handshake' | 'subscribe' | ...)}: for online status,
 * clean-up and audit. Register with {@code Broker#addListener} (or {@code BrokerServer#addListener}).
 *
 * <p>Listeners never run on an event loop: each event is queued (lock-free, bounded) and one thread of
 * the broker's calls every listener in turn, so the events of one session arrive in the order they
 * happened. A listener that is slow delays only the events after it; when the queue is full, new events
 * are dropped and counted ({@code Broker#droppedEvents}) rather than wait. A listener that throws is
 * counted ({@code Broker#listenerFailures}) and logged once, and is called again for the next event.
 *
 * <p>To publish from a listener (Faye's {@code server.getClient().publish(...)}), use an in-process client,
 * {@code BrokerServer#newLocalClient()}: it publishes through the normal path, and called here it runs on
 * the events thread, delaying only the events after it. {@code docs/api.md} has an example.
 *
 * <p>The session passed is the live one: its client id, principal and handshake {@code ext} can be read
 * from any thread. Events of the server's own in-process clients come with {@link ServerSession#isLocal()}
 * true (their creation and end are not events).
 */
public interface ServerListener {
    /** A client handshook: its session exists and the reply is on its way. */
    default void onHandshake(ServerSession session) {
    }

    /**
     * A session's first {@code /meta/connect} ({@code previousConnectionType} {@code null}), and each
     * connect that came over another connection type than the one before (a Faye client moving from
     * long-polling to its WebSocket). Connects that only keep the session alive are not events.
     */
    default void onConnect(ServerSession session, String connectionType, String previousConnectionType) {
    }

    /**
     * The same events as {@link #onConnect(ServerSession, String, String)}, with the connect's {@code advice}
     * and {@code ext}. The broker calls this one; by default it calls the other, so a listener overrides
     * whichever it needs.
     */
    default void onConnect(ServerSession session, ConnectRequest connect) {
        onConnect(session, connect.connectionType(), connect.previousConnectionType());
    }

    /** A session subscribed to a channel or pattern it was not subscribed to. */
    default void onSubscribe(ServerSession session, String channel) {
    }

    /**
     * A session stopped being subscribed to a channel or pattern: it unsubscribed, the server API
     * unsubscribed it, or its session ended (then once per subscription, before {@link #onDisconnect}).
     */
    default void onUnsubscribe(ServerSession session, String channel) {
    }

    /**
     * A message was accepted for publication on {@code channel}. {@code session} is {@code null} for a
     * publish without handshake, which Faye allows.
     */
    default void onPublish(ServerSession session, String channel, JsonValue data) {
    }

    /** A session ended, and why. */
    default void onDisconnect(ServerSession session, DisconnectReason reason) {
    }
}
