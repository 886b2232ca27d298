package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.Link;
import io.bayeuxd.bench.loadgen.LinkListener;
import io.bayeuxd.bench.loadgen.RequestEncoder;
import io.bayeuxd.bench.loadgen.ServerFrameParser;
import io.bayeuxd.bench.loadgen.ServerMessage;
import io.bayeuxd.bench.loadgen.ServerMessageSink;
import io.bayeuxd.bench.loadgen.TransportKind;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.Future;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One simulated Bayeux client of the soak, over one {@link Link}: handshake, then whatever the
 * subclass does once handshaken, with a {@code /meta/connect} kept outstanding as real clients do,
 * and a way out ({@link #leave}). Subclasses decide what a failure means: a well-behaved client
 * counts it and recovers, a churned one counts it and ends.
 *
 * <p>Single writer: every method runs on the client's event loop; other threads post to it.
 * Events from a link this client has already let go of are ignored.
 */
abstract class ClientSession implements LinkListener, ServerMessageSink {

    /** Cap on {@code advice.interval}, so that advice cannot stall the soak. */
    static final long MAX_CONNECT_INTERVAL_MS = 10_000;

    enum State { IDLE, OPENING, HANDSHAKING, HANDSHAKEN, LEAVING, CLOSED }

    protected final SoakContext soak;
    protected final ClientLoop loop;
    protected final TransportKind transport;
    protected final RequestEncoder encoder;

    private State state = State.IDLE;
    private Link link;
    private long nextMessageId = 1;
    private boolean connectOutstanding;
    /** A successful connect reply arrived in the frame being parsed: decide on the next connect after the frame. */
    private boolean connectReplied;
    private Future<?> scheduledConnect;
    private Future<?> leaveGrace;
    private long connectIntervalMs;
    private long frameArrivalNs;

    ClientSession(SoakContext soak, ClientLoop loop, TransportKind transport, int payloadBytes) {
        this.soak = soak;
        this.loop = loop;
        this.transport = transport;
        this.encoder = new RequestEncoder(transport, payloadBytes);
    }

    /** Handshaken (first time or again): continue. */
    protected abstract void onHandshaken();

    /** The link went down, or the server refused something, while this client still needed it. */
    protected abstract void onFailure(String what);

    /** The client has ended, as planned or not; called once per {@link #start()}. */
    protected void onEnded() {
    }

    protected void onSubscribeReply(ServerMessage m) {
    }

    protected void onPublishReply(ServerMessage m) {
    }

    /** A message with data arrived; {@code arrivalNs} is when its frame did. */
    protected void onDelivery(ServerMessage m, long arrivalNs) {
    }

    /**
     * A connect reply came back successfully (and the rest of its frame has been read): whether to send
     * the next connect. A client that wants to leave on a free long-polling connection says no here.
     */
    protected boolean continueConnecting() {
        return true;
    }

    /** Opens the link; the handshake follows once it is up. */
    final void start() {
        if (state != State.IDLE && state != State.CLOSED) {
            return;
        }
        state = State.OPENING;
        connectOutstanding = false;
        connectReplied = false;
        link = soak.links.open(transport, loop.loop, this);
    }

    /**
     * Ends the client. Politely: a {@code /meta/disconnect}, and the link closes when its reply comes
     * or after {@code graceMs}. Otherwise the connection is simply dropped, as by a crashed client or
     * a lost network.
     */
    final void leave(boolean polite, long graceMs) {
        if (state == State.CLOSED || state == State.LEAVING) {
            return;
        }
        if (link == null) {
            state = State.CLOSED; // never started
            return;
        }
        cancelScheduledConnect();
        if (polite && state == State.HANDSHAKEN && link != null && link.isUp()) {
            state = State.LEAVING;
            ByteBuf frame = link.alloc().buffer(128);
            encoder.disconnect(frame, nextMessageId());
            link.send(frame);
            link.flush();
            leaveGrace = loop.loop.schedule(this::closeLink, graceMs, TimeUnit.MILLISECONDS);
            return;
        }
        state = State.LEAVING;
        closeLink();
    }

    final State state() {
        return state;
    }

    final boolean isHandshaken() {
        return state == State.HANDSHAKEN;
    }

    protected final Link link() {
        return link;
    }

    protected final long nextMessageId() {
        return nextMessageId++;
    }

    // ---- link events ------------------------------------------------------------------------

    @Override
    public final void onLinkUp(Link up) {
        if (up == link && state == State.OPENING) {
            state = State.HANDSHAKING;
            ByteBuf frame = link.alloc().buffer(192);
            encoder.handshake(frame, nextMessageId());
            link.send(frame);
            link.flush();
        }
    }

    @Override
    public final void onFrame(Link from, ByteBuf frame) {
        if (from != link || state == State.CLOSED) {
            return;
        }
        frameArrivalNs = soak.nanoTime();
        if (loop.parser.parse(frame, this) == ServerFrameParser.MALFORMED) {
            soak.stats.malformedFrames.increment();
        }
        if (connectReplied) {
            connectReplied = false;
            if (state == State.HANDSHAKEN && continueConnecting()) {
                scheduleConnect(connectIntervalMs);
            }
        }
    }

    @Override
    public final void onLinkDown(Link down, String reason) {
        if (down != link) {
            return;
        }
        link = null;
        State was = state;
        state = State.CLOSED;
        cancelScheduledConnect();
        cancelLeaveGrace();
        if (was != State.LEAVING) {
            onFailure("connection lost: " + reason);
        }
        onEnded();
    }

    // ---- server messages --------------------------------------------------------------------

    @Override
    public final void onMessage(ServerMessage m) {
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
                    soak.stats.disconnectsAcked.increment();
                    closeLink();
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
            onFailure("handshake refused: " + m.error);
        }
    }

    private void onConnectReply(ServerMessage m) {
        connectOutstanding = false;
        applyAdvice(m);
        if (state != State.HANDSHAKEN) {
            return;
        }
        if (m.isSuccessful()) {
            connectReplied = true;
        } else {
            onFailure("connect refused: " + m.error + " (advice " + m.reconnect + ")");
        }
    }

    /** Whether a refused request means the server no longer knows this client. */
    protected static boolean needsHandshake(ServerMessage m) {
        if (m.reconnect == ServerMessage.Reconnect.HANDSHAKE) {
            return true;
        }
        return m.error != null && (m.error.startsWith("401") || m.error.startsWith("402"));
    }

    private void applyAdvice(ServerMessage m) {
        if (m.adviceIntervalMs >= 0) {
            connectIntervalMs = Math.min(m.adviceIntervalMs, MAX_CONNECT_INTERVAL_MS);
        }
    }

    // ---- requests ---------------------------------------------------------------------------

    /** Starts the connect loop unless a connect is already outstanding or scheduled. */
    protected final void ensureConnecting() {
        if (!connectOutstanding && scheduledConnect == null) {
            connectNow();
        }
    }

    /** Handshakes again on the same link, after the server forgot this client. */
    protected final void handshakeAgain() {
        if (link == null || !link.isUp() || state == State.LEAVING || state == State.CLOSED) {
            return;
        }
        cancelScheduledConnect();
        connectOutstanding = false;
        state = State.HANDSHAKING;
        ByteBuf frame = link.alloc().buffer(192);
        encoder.handshake(frame, nextMessageId());
        link.send(frame);
        link.flush();
    }

    /** Sends {@code frame} (ownership passes to the link) and flushes; dropped when the link is gone. */
    protected final void sendNow(ByteBuf frame) {
        if (link != null && link.send(frame)) {
            link.flush();
        }
    }

    private void scheduleConnect(long delayMs) {
        if (delayMs <= 0) {
            ensureConnecting();
        } else if (scheduledConnect == null) {
            scheduledConnect = loop.loop.schedule(this::connectNow, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private void connectNow() {
        scheduledConnect = null;
        if (state != State.HANDSHAKEN || connectOutstanding || link == null) {
            return;
        }
        connectOutstanding = true;
        ByteBuf frame = link.alloc().buffer(160);
        encoder.connect(frame, nextMessageId());
        link.send(frame);
        link.flush();
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

    private void closeLink() {
        Link current = link;
        if (current != null) {
            current.close(); // onLinkDown follows, on this loop
        }
    }

    static String preview(ByteBuf frame) {
        return frame.toString(frame.readerIndex(), Math.min(120, frame.readableBytes()), StandardCharsets.UTF_8);
    }
}
