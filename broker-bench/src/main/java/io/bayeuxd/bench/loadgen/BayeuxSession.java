package io.bayeuxd.bench.loadgen;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.TimeUnit;

/**
 * A {@link ClientSession} of the load generator: counts every error in {@link RunStats}, and
 * recovers as a real client would, within bounds. Subclasses add what the client does once
 * handshaken: {@link SubscriberSession} subscribes and records deliveries, {@link PublisherSession}
 * publishes.
 *
 * <p>Recovery is bounded: a dropped link or refused handshake costs one of {@link #MAX_FAILURES}
 * attempts, after which the session gives up, so a broken server cannot make the run loop.
 */
abstract class BayeuxSession extends ClientSession {

    static final int MAX_FAILURES = 5;
    static final long RETRY_DELAY_MS = 500;
    static final long MAX_RETRY_DELAY_MS = 5_000;

    protected final RunContext run;
    private final Runnable startTask = this::start;
    private int failures;
    /** Closed or given up: never starts again. */
    private boolean ended;

    BayeuxSession(RunContext run, LoopContext loop, boolean ownPublishLink) {
        this(run, loop, run.links, ownPublishLink);
    }

    /** A session whose links go through {@code links}: to one server of a run that has several. */
    BayeuxSession(RunContext run, LoopContext loop, LinkOpener links, boolean ownPublishLink) {
        super(loop, links, run.clock, run.config.transport(), run.config.payloadBytes(), run.config.textPayload(), ownPublishLink);
        this.run = run;
    }

    /** The server no longer knows this session (re-handshake, restart, close): forget subscriptions. */
    protected abstract void onSessionLost();

    /** Ends the session for good: a polite {@code /meta/disconnect} over WebSocket, then closes the links. */
    final void close() {
        if (ended && state() == State.CLOSED) {
            return;
        }
        ended = true;
        onSessionLost();
        // Over long-polling the held connect occupies the connection; the server expires the session instead.
        leave(transport == TransportKind.WEBSOCKET, 0);
    }

    /** Closed, or gave up: this session will not start again. */
    final boolean isEnded() {
        return ended;
    }

    @Override
    protected boolean isStopping() {
        return ended || run.timeline.isStopping();
    }

    @Override
    protected void onDelivery(ServerMessage message, long arrivalNs) {
        run.stats.foreignMessages.increment();
    }

    @Override
    protected void onMalformedFrame(ByteBuf frame) {
        run.stats.error(ErrorKind.MALFORMED_FRAME, preview(frame));
    }

    @Override
    protected void onEnded() {
        onSessionLost();
    }

    /** Drops nothing more (the links are down already) and starts over after a delay. */
    @Override
    protected void onLinkLost(String reason) {
        if (run.timeline.isStopping()) {
            ended = true;
            return;
        }
        run.stats.error(ErrorKind.LINK, reason);
        if (!countFailure()) {
            giveUp("too many failures");
            return;
        }
        loop.loop.schedule(startTask, retryDelayMs(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void onHandshakeRefused(ServerMessage m) {
        run.stats.error(ErrorKind.HANDSHAKE, m.error);
        if (m.reconnect == ServerMessage.Reconnect.NONE || !countFailure()) {
            giveUp("handshake refused: " + m.error);
            return;
        }
        // A server that paces handshakes says when to come back (advice.interval, capped): honour it.
        long delayMs = Math.max(retryDelayMs(), Math.min(m.adviceIntervalMs, MAX_CONNECT_INTERVAL_MS));
        loop.loop.schedule(this::retryHandshake, delayMs, TimeUnit.MILLISECONDS);
    }

    private void retryHandshake() {
        if (state() == State.HANDSHAKING && !run.timeline.isStopping()) {
            handshakeAgain();
        }
    }

    @Override
    protected void onConnectRefused(ServerMessage m) {
        if (run.timeline.isStopping()) {
            return;
        }
        run.stats.error(ErrorKind.CONNECT, m.error);
        if (m.reconnect == ServerMessage.Reconnect.NONE) {
            giveUp("connect refused with reconnect none: " + m.error);
        } else if (needsHandshake(m)) {
            rehandshake();
        } else {
            scheduleConnect(Math.max(connectIntervalMs(), RETRY_DELAY_MS));
        }
    }

    /** Handshakes again on the same link(s), after the server said it no longer knows the client. */
    protected final void rehandshake() {
        if (state() != State.HANDSHAKEN) {
            return;
        }
        onSessionLost();
        run.stats.rehandshakes.increment();
        if (!countFailure()) {
            giveUp("too many re-handshakes");
            return;
        }
        handshakeAgain();
    }

    /** Stops this session for good and counts it as dead. */
    protected final void giveUp(String why) {
        if (state() == State.HANDSHAKEN) {
            onSessionLost();
        }
        ended = true;
        run.stats.error(ErrorKind.SESSION_GAVE_UP, why);
        run.stats.deadSessions.incrementAndGet();
        leave(false, 0);
    }

    /** Counts a failure; false once the session has used up its attempts. */
    private boolean countFailure() {
        return ++failures <= MAX_FAILURES;
    }

    private long retryDelayMs() {
        return Math.min(MAX_RETRY_DELAY_MS, RETRY_DELAY_MS << Math.min(failures, 4));
    }
}
