package io.bayeuxd.bench.loadgen;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One simulated Bayeux client, shared by the load generator and the soak: opens its link(s),
 * handshakes, keeps a {@code /meta/connect} outstanding as a real client does, follows the server's
 * advice, and leaves politely or abruptly. What a refusal or a lost link means is the subclass's
 * policy: the load generator retries with back-off ({@link BayeuxSession}), the soak counts and
 * recovers or ends.
 *
 * <p>Links: one, or over long-polling a second one for publishes when {@code ownPublishLink}, since
 * the held connect occupies the first one, like a browser's. When either goes down the other is
 * closed too and the session is {@link State#CLOSED}; {@link #start()} may open new ones.
 *
 * <p>Single writer: every method runs on the session's event loop; other threads post to it.
 * Events from links the session has already let go of are ignored.
 */
public abstract class ClientSession implements LinkListener, ServerMessageSink {

    /** Cap on {@code advice.interval}, so that a server's advice cannot stall a run. */
    public static final long MAX_CONNECT_INTERVAL_MS = 10_000;

    /** Where a session is; {@code LEAVING} lasts until its link is down, {@code CLOSED} until {@link #start()}. */
    public enum State { IDLE, OPENING, HANDSHAKING, HANDSHAKEN, LEAVING, CLOSED }

    protected final LoopContext loop;
    protected final TransportKind transport;
    protected final RequestEncoder encoder;
    private final LinkOpener links;
    private final NanoClock clock;
    private final boolean ownPublishLink;
    private final CookieJar cookies = new CookieJar();
    private final Runnable connectTask = this::connectNow;

    private State state = State.IDLE;
    private Link control;
    private Link publishLink;
    private long nextMessageId = 1;
    private boolean connectOutstanding;
    /** Connects sent under a client id that a new handshake replaced; their replies are ignored. */
    private int staleConnectReplies;
    /** A successful connect reply arrived in the frame being parsed: decide on the next connect after the frame. */
    private boolean connectReplied;
    private Future<?> scheduledConnect;
    private Future<?> leaveGrace;
    private long connectIntervalMs;
    private long frameArrivalNs;

    /**
     * @param ownPublishLink whether publishes go over a second link when the transport is long-polling
     */
    protected ClientSession(LoopContext loop, LinkOpener links, NanoClock clock, TransportKind transport,
                            int payloadBytes, boolean ownPublishLink) {
        this(loop, links, clock, transport, payloadBytes, false, ownPublishLink);
    }

    /** @param textPayload whether the padding of published data is words of text ({@link RequestEncoder}) */
    protected ClientSession(LoopContext loop, LinkOpener links, NanoClock clock, TransportKind transport,
                            int payloadBytes, boolean textPayload, boolean ownPublishLink) {
        this.loop = loop;
        this.links = links;
        this.clock = clock;
        this.transport = transport;
        this.ownPublishLink = ownPublishLink;
        this.encoder = new RequestEncoder(transport, payloadBytes, textPayload);
    }

    /** The handshake succeeded (first time or again): continue the session. */
    protected abstract void onHandshaken();

    /** A link went down while the session still needed it (not while leaving); the session is CLOSED. */
    protected abstract void onLinkLost(String reason);

    /** The server refused the handshake; the session is still HANDSHAKING. */
    protected abstract void onHandshakeRefused(ServerMessage m);

    /** The server refused a connect; the session is still HANDSHAKEN. */
    protected abstract void onConnectRefused(ServerMessage m);

    /** The links are down, as planned or not; once per link opened by {@link #start()}. */
    protected void onEnded() {
    }

    protected void onSubscribeReply(ServerMessage m) {
    }

    protected void onPublishReply(ServerMessage m) {
    }

    /** A message with data; {@code arrivalNs} is when its frame arrived. */
    protected void onDelivery(ServerMessage m, long arrivalNs) {
    }

    /** A frame that is not a JSON array of messages arrived. */
    protected void onMalformedFrame(ByteBuf frame) {
    }

    /** The server acknowledged this session's {@code /meta/disconnect}; the link closes next. */
    protected void onDisconnectAcked() {
    }

    /**
     * A connect reply came back successfully (and the rest of its frame has been read): whether to send
     * the next connect. A client that wants to leave on a free long-polling connection says no here.
     */
    protected boolean continueConnecting() {
        return true;
    }

    /** While true the session opens nothing and sends no further connects: the run is ending. */
    protected boolean isStopping() {
        return false;
    }

    /** Opens the link(s); the handshake follows once they are up. */
    public final void start() {
        if ((state != State.IDLE && state != State.CLOSED) || isStopping()) {
            return;
        }
        state = State.OPENING;
        connectOutstanding = false;
        connectReplied = false;
        staleConnectReplies = 0;
        cookies.clear();
        control = links.open(transport, loop.loop, this, cookies);
        publishLink = ownPublishLink && transport == TransportKind.LONG_POLLING
                ? links.open(transport, loop.loop, this, cookies)
                : control;
    }

    /**
     * Ends the session. Politely, when handshaken: a {@code /meta/disconnect}, then the links close when
     * its reply comes or after {@code graceMs} (at once when 0). Otherwise the connection is simply
     * dropped, as by a crashed client or a lost network.
     */
    public final void leave(boolean polite, long graceMs) {
        if (state == State.CLOSED || state == State.LEAVING) {
            return;
        }
        if (control == null) {
            state = State.CLOSED; // never started
            return;
        }
        cancelScheduledConnect();
        boolean handshaken = state == State.HANDSHAKEN;
        state = State.LEAVING;
        if (polite && handshaken && control.isUp()) {
            ByteBuf frame = control.alloc().buffer(128);
            encoder.disconnect(frame, nextMessageId());
            control.send(frame);
            control.flush();
            if (graceMs > 0) {
                leaveGrace = loop.loop.schedule(this::closeLinks, graceMs, TimeUnit.MILLISECONDS);
                return;
            }
        }
        closeLinks();
    }

    /** The event loop this session runs on, for posting to it. */
    public final LoopContext loop() {
        return loop;
    }

    public final State state() {
        return state;
    }

    public final boolean isHandshaken() {
        return state == State.HANDSHAKEN;
    }

    protected final Link controlLink() {
        return control;
    }

    protected final Link publishLink() {
        return publishLink;
    }

    protected final long nextMessageId() {
        return nextMessageId++;
    }

    /** Sends {@code frame} on the control link (ownership passes to it) and flushes; dropped when it is gone. */
    protected final void sendNow(ByteBuf frame) {
        if (control == null) {
            frame.release();
        } else if (control.send(frame)) {
            control.flush();
        }
    }

    /** Sends a {@code /meta/subscribe} to {@code channel} on the control link. */
    protected final void subscribe(int channel) {
        ByteBuf frame = control.alloc().buffer(160);
        encoder.subscribe(frame, nextMessageId(), channel);
        sendNow(frame);
    }

    // ---- link events ------------------------------------------------------------------------

    @Override
    public final void onLinkUp(Link up) {
        if (state == State.OPENING && isCurrent(up) && control.isUp() && publishLink.isUp()) {
            state = State.HANDSHAKING;
            sendHandshake();
        }
    }

    @Override
    public final void onFrame(Link from, ByteBuf frame) {
        if (!isCurrent(from) || state == State.CLOSED) {
            return;
        }
        frameArrivalNs = clock.nanoTime();
        if (loop.parser.parse(frame, this) == ServerFrameParser.MALFORMED) {
            onMalformedFrame(frame);
        }
        if (connectReplied) {
            connectReplied = false;
            if (state == State.HANDSHAKEN && !isStopping() && continueConnecting()) {
                scheduleConnect(connectIntervalMs);
            }
        }
    }

    @Override
    public final void onLinkDown(Link down, String reason) {
        if (!isCurrent(down)) {
            return;
        }
        State was = state;
        state = State.CLOSED;
        cancelScheduledConnect();
        cancelLeaveGrace();
        connectOutstanding = false;
        connectReplied = false;
        staleConnectReplies = 0;
        Link other = down == control ? publishLink : control;
        control = null;
        publishLink = null;
        if (other != null && other != down) {
            other.close(); // no longer current: its own onLinkDown is ignored
        }
        if (was != State.LEAVING) {
            onLinkLost(reason);
        }
        onEnded();
    }

    private boolean isCurrent(Link link) {
        return link != null && (link == control || link == publishLink);
    }

    // ---- server messages --------------------------------------------------------------------

    @Override
    public final void onMessage(ServerMessage m) {
        if (state == State.CLOSED) {
            return; // closed by an earlier message of the same frame
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
            case DISCONNECT:
                if (state == State.LEAVING) {
                    onDisconnectAcked();
                    closeLinks();
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
                // Replies to unsubscribe, other meta channels: nothing to do.
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
        } else {
            onHandshakeRefused(m);
        }
    }

    private void onConnectReply(ServerMessage m) {
        if (staleConnectReplies > 0) {
            staleConnectReplies--;
            return;
        }
        connectOutstanding = false;
        applyAdvice(m);
        if (state != State.HANDSHAKEN) {
            return;
        }
        if (m.isSuccessful()) {
            connectReplied = true;
        } else {
            onConnectRefused(m);
        }
    }

    /** Whether a refused request means the server forgot this client: explicit advice, or a 401/402 error without advice. */
    public static boolean needsHandshake(ServerMessage m) {
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

    /** The connect interval the server last advised, capped. */
    protected final long connectIntervalMs() {
        return connectIntervalMs;
    }

    // ---- requests ---------------------------------------------------------------------------

    private void sendHandshake() {
        ByteBuf frame = control.alloc().buffer(192);
        encoder.handshake(frame, nextMessageId());
        control.send(frame);
        control.flush();
    }

    /** Handshakes again on the same link(s): the server forgot this client, or refused the last handshake. */
    protected final void handshakeAgain() {
        if (control == null || !control.isUp() || state == State.LEAVING || state == State.CLOSED) {
            return;
        }
        cancelScheduledConnect();
        if (connectOutstanding) {
            staleConnectReplies++;
            connectOutstanding = false;
        }
        state = State.HANDSHAKING;
        sendHandshake();
    }

    /** Starts the connect loop unless a connect is already outstanding or scheduled. */
    protected final void ensureConnecting() {
        if (!connectOutstanding && scheduledConnect == null) {
            connectNow();
        }
    }

    /** Sends the next connect after {@code delayMs}, unless one is outstanding or scheduled by then. */
    protected final void scheduleConnect(long delayMs) {
        if (delayMs <= 0) {
            ensureConnecting();
        } else if (scheduledConnect == null) {
            scheduledConnect = loop.loop.schedule(connectTask, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private void connectNow() {
        scheduledConnect = null;
        if (state != State.HANDSHAKEN || connectOutstanding || control == null || isStopping()) {
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

    private void cancelLeaveGrace() {
        if (leaveGrace != null) {
            leaveGrace.cancel(false);
            leaveGrace = null;
        }
    }

    /** Closes the link(s); {@link #onLinkDown} follows, on this loop, and does the rest. */
    private void closeLinks() {
        Link c = control;
        Link p = publishLink;
        if (c != null) {
            c.close();
        }
        if (p != null && p != c) {
            p.close();
        }
    }

    /** The start of a frame, for error messages. */
    public static String preview(ByteBuf frame) {
        return frame.toString(frame.readerIndex(), Math.min(120, frame.readableBytes()), StandardCharsets.UTF_8);
    }
}
