package io.bayeuxd.bench.loadgen;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One simulated Bayeux client: opens its link(s), handshakes, keeps a {@code /meta/connect}
 * outstanding as a real client does, and follows the server's advice. Subclasses add what the
 * client does once handshaken: {@link SubscriberSession} subscribes and records deliveries,
 * {@link PublisherSession} publishes.
 *
 * <p>Single writer: every method runs on the session's event loop ({@link LoopContext#loop}); other
 * threads reach it with {@code loop.execute}. Events from links that the session has already
 * replaced are ignored.
 *
 * <p>Recovery is bounded: a dropped link or refused handshake costs one of {@link #MAX_FAILURES}
 * attempts, after which the session gives up, so a broken server cannot make the run loop.
 */
abstract class BayeuxSession implements LinkListener, ServerMessageSink {

    static final int MAX_FAILURES = 5;
    static final long RETRY_DELAY_MS = 500;
    static final long MAX_RETRY_DELAY_MS = 5_000;
    /** Cap on {@code advice.interval}, so that a server's advice cannot stall a run. */
    static final long MAX_CONNECT_INTERVAL_MS = 10_000;

    enum State { IDLE, OPENING, HANDSHAKING, HANDSHAKEN, CLOSED }

    protected final RunContext run;
    protected final LoopContext loop;
    protected final RequestEncoder encoder;
    private final CookieJar cookies = new CookieJar();
    private final Runnable connectTask = this::connectNow;
    private final Runnable startTask = this::start;

    private State state = State.IDLE;
    private Link control;
    private Link publishLink;
    private long nextMessageId = 1;
    private boolean connectOutstanding;
    /** Connects sent under a client id that a re-handshake replaced; their replies are ignored. */
    private int staleConnectReplies;
    private Future<?> scheduledConnect;
    private long connectIntervalMs;
    private int failures;
    private long frameArrivalNs;

    BayeuxSession(RunContext run, LoopContext loop) {
        this.run = run;
        this.loop = loop;
        this.encoder = new RequestEncoder(run.config.transport(), run.config.payloadBytes());
    }

    /**
     * Whether publishes need a connection of their own. Over long-polling the session's held
     * connect occupies its connection, so a publishing client uses a second one, like a browser.
     */
    protected abstract boolean needsPublishLink();

    /** The handshake succeeded (first time or again): continue the session. */
    protected abstract void onHandshaken();

    /** The server no longer knows this session (re-handshake, restart, close): forget subscriptions. */
    protected abstract void onSessionLost();

    protected void onSubscribeReply(ServerMessage message) {
    }

    protected void onPublishReply(ServerMessage message) {
    }

    /** A message with data; {@code arrivalNs} is when its frame arrived. */
    protected void onDelivery(ServerMessage message, long arrivalNs) {
        run.stats.foreignMessages.increment();
    }

    /** Opens the link(s) and handshakes once they are up. */
    final void start() {
        if (state != State.IDLE || run.timeline.isStopping()) {
            return;
        }
        state = State.OPENING;
        cookies.clear();
        control = run.links.open(loop.loop, this, cookies);
        publishLink = needsPublishLink() && run.config.transport() == TransportKind.LONG_POLLING
                ? run.links.open(loop.loop, this, cookies)
                : control;
    }

    /** Ends the session for good: a polite {@code /meta/disconnect} over WebSocket, then closes the links. */
    final void close() {
        if (state == State.CLOSED) {
            return;
        }
        boolean handshaken = state == State.HANDSHAKEN;
        state = State.CLOSED;
        cancelScheduledConnect();
        onSessionLost();
        if (handshaken && control != null && control.isUp() && run.config.transport() == TransportKind.WEBSOCKET) {
            // Over long-polling the held connect occupies the connection; the server expires the session instead.
            ByteBuf frame = control.alloc().buffer(128);
            encoder.disconnect(frame, nextMessageId());
            control.send(frame);
            control.flush();
        }
        closeLinks();
    }

    final State state() {
        return state;
    }

    final boolean isHandshaken() {
        return state == State.HANDSHAKEN;
    }

    protected final Link publishLink() {
        return publishLink;
    }

    protected final Link controlLink() {
        return control;
    }

    protected final long nextMessageId() {
        return nextMessageId++;
    }

    // ---- link events ------------------------------------------------------------------------

    @Override
    public final void onLinkUp(Link link) {
        if (state == State.OPENING && isCurrent(link) && control.isUp() && publishLink.isUp()) {
            state = State.HANDSHAKING;
            sendHandshake();
        }
    }

    @Override
    public final void onFrame(Link link, ByteBuf frame) {
        if (!isCurrent(link) || state == State.CLOSED) {
            return;
        }
        frameArrivalNs = run.clock.nanoTime();
        if (loop.parser.parse(frame, this) == ServerFrameParser.MALFORMED) {
            run.stats.error(ErrorKind.MALFORMED_FRAME, preview(frame));
        }
    }

    @Override
    public final void onLinkDown(Link link, String reason) {
        if (!isCurrent(link) || state == State.CLOSED || state == State.IDLE) {
            return;
        }
        if (run.timeline.isStopping()) {
            close();
            return;
        }
        run.stats.error(ErrorKind.LINK, reason);
        restart();
    }

    private boolean isCurrent(Link link) {
        return link == control || link == publishLink;
    }

    // ---- server messages --------------------------------------------------------------------

    @Override
    public final void onMessage(ServerMessage m) {
        if (state == State.CLOSED) {
            return;
        }
        switch (m.kind) {
            case HANDSHAKE:
                onHandshakeReply(m);
                break;
            case CONNECT:
                onConnectReply(m);
                break;
            case SUBSCRIBE:
                if (state == State.HANDSHAKEN) {
                    onSubscribeReply(m);
                }
                break;
            case BROADCAST:
            case SERVICE:
                if (m.hasData) {
                    onDelivery(m, frameArrivalNs);
                } else if (m.successful != null && state == State.HANDSHAKEN) {
                    onPublishReply(m);
                }
                break;
            default:
                // Replies to unsubscribe and disconnect, other meta channels: nothing to do.
                break;
        }
    }

    private void onHandshakeReply(ServerMessage m) {
        if (state != State.HANDSHAKING) {
            return;
        }
        applyAdvice(m);
        if (m.isSuccessful() && m.clientId != null) {
            encoder.clientId(m.clientId);
            state = State.HANDSHAKEN;
            onHandshaken();
            return;
        }
        run.stats.error(ErrorKind.HANDSHAKE, m.error);
        if (m.reconnect == ServerMessage.Reconnect.NONE || !countFailure()) {
            giveUp("handshake refused: " + m.error);
            return;
        }
        loop.loop.schedule(this::retryHandshake, retryDelayMs(), TimeUnit.MILLISECONDS);
    }

    private void retryHandshake() {
        if (state == State.HANDSHAKING && !run.timeline.isStopping()) {
            sendHandshake();
        }
    }

    private void onConnectReply(ServerMessage m) {
        if (staleConnectReplies > 0) {
            staleConnectReplies--;
            return;
        }
        connectOutstanding = false;
        applyAdvice(m);
        if (state != State.HANDSHAKEN || run.timeline.isStopping()) {
            return;
        }
        if (m.isSuccessful()) {
            scheduleConnect(connectIntervalMs);
            return;
        }
        run.stats.error(ErrorKind.CONNECT, m.error);
        if (m.reconnect == ServerMessage.Reconnect.NONE) {
            giveUp("connect refused with reconnect none: " + m.error);
        } else if (needsHandshake(m)) {
            rehandshake();
        } else {
            scheduleConnect(Math.max(connectIntervalMs, RETRY_DELAY_MS));
        }
    }

    /** Whether a refused request means the server forgot this client: explicit advice, or a 401/402 error. */
    protected static boolean needsHandshake(ServerMessage m) {
        if (m.reconnect == ServerMessage.Reconnect.HANDSHAKE) {
            return true;
        }
        return m.reconnect == ServerMessage.Reconnect.ABSENT && m.error != null
                && (m.error.startsWith("401") || m.error.startsWith("402"));
    }

    private void applyAdvice(ServerMessage m) {
        if (m.adviceIntervalMs >= 0) {
            connectIntervalMs = Math.min(m.adviceIntervalMs, MAX_CONNECT_INTERVAL_MS);
        }
    }

    // ---- requests ---------------------------------------------------------------------------

    private void sendHandshake() {
        ByteBuf frame = control.alloc().buffer(192);
        encoder.handshake(frame, nextMessageId());
        control.send(frame);
        control.flush();
    }

    /** Starts the connect loop unless a connect is already outstanding or scheduled. */
    protected final void ensureConnecting() {
        if (!connectOutstanding && scheduledConnect == null) {
            connectNow();
        }
    }

    private void scheduleConnect(long delayMs) {
        if (delayMs <= 0) {
            ensureConnecting();
        } else if (scheduledConnect == null) {
            scheduledConnect = loop.loop.schedule(connectTask, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private void connectNow() {
        scheduledConnect = null;
        if (state != State.HANDSHAKEN || connectOutstanding || run.timeline.isStopping()) {
            return;
        }
        connectOutstanding = true;
        ByteBuf frame = control.alloc().buffer(160);
        encoder.connect(frame, nextMessageId());
        control.send(frame);
        control.flush();
    }

    private void cancelScheduledConnect() {
        if (scheduledConnect != null) {
            scheduledConnect.cancel(false);
            scheduledConnect = null;
        }
    }

    // ---- recovery ---------------------------------------------------------------------------

    /** Handshakes again on the same link(s), after the server said it no longer knows the client. */
    protected final void rehandshake() {
        if (state != State.HANDSHAKEN) {
            return;
        }
        onSessionLost();
        cancelScheduledConnect();
        run.stats.rehandshakes.increment();
        if (connectOutstanding) {
            staleConnectReplies++;
            connectOutstanding = false;
        }
        if (!countFailure()) {
            giveUp("too many re-handshakes");
            return;
        }
        state = State.HANDSHAKING;
        sendHandshake();
    }

    /** Drops the links and starts over after a delay. */
    private void restart() {
        if (state == State.HANDSHAKEN) {
            onSessionLost();
        }
        cancelScheduledConnect();
        connectOutstanding = false;
        staleConnectReplies = 0;
        state = State.IDLE;
        closeLinks();
        if (!countFailure()) {
            giveUp("too many failures");
            return;
        }
        loop.loop.schedule(startTask, retryDelayMs(), TimeUnit.MILLISECONDS);
    }

    /** Stops this session for good and counts it as dead. */
    protected final void giveUp(String why) {
        if (state == State.HANDSHAKEN) {
            onSessionLost();
        }
        state = State.CLOSED;
        cancelScheduledConnect();
        run.stats.error(ErrorKind.SESSION_GAVE_UP, why);
        run.stats.deadSessions.incrementAndGet();
        closeLinks();
    }

    /** Counts a failure; false once the session has used up its attempts. */
    private boolean countFailure() {
        return ++failures <= MAX_FAILURES;
    }

    private long retryDelayMs() {
        return Math.min(MAX_RETRY_DELAY_MS, RETRY_DELAY_MS << Math.min(failures, 4));
    }

    private void closeLinks() {
        Link c = control;
        Link p = publishLink;
        control = null;
        publishLink = null;
        if (c != null) {
            c.close();
        }
        if (p != null && p != c) {
            p.close();
        }
    }

    private static String preview(ByteBuf frame) {
        int length = Math.min(frame.readableBytes(), 120);
        return frame.toString(frame.readerIndex(), length, StandardCharsets.UTF_8);
    }
}
