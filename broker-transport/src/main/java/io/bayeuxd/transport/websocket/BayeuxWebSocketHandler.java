package io.bayeuxd.transport.websocket;

import io.bayeuxd.broker.BatchResult;
import io.bayeuxd.broker.Broker;
import io.bayeuxd.fanout.FrameEncoding;
import io.bayeuxd.fanout.FrameWriter;
import io.bayeuxd.protocol.BayeuxDecodeException;
import io.bayeuxd.protocol.Advice;
import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.session.DeliveryTarget;
import io.bayeuxd.session.Session;
import io.bayeuxd.transport.DrainEvent;
import io.bayeuxd.transport.http.HttpRequestContext;
import io.bayeuxd.transport.longpoll.HeldPoll;
import io.bayeuxd.transport.longpoll.PollForwarding;
import io.bayeuxd.transport.longpoll.PollReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtension;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A Bayeux WebSocket connection: JSON arrays in text frames, both ways. Last in the pipeline after the
 * frame aggregator.
 *
 * <p>The session that sends {@code /meta/connect} over this socket (Faye's rule) gets the socket as its
 * {@link DeliveryTarget}: its messages are pushed as soon as they are queued, many to a frame, one
 * flush per frame. The connect reply itself is held until the timeout, as Faye and CometD do. When the
 * socket stops being writable, delivery pauses and messages wait in the bounded outbox. On a socket that
 * negotiated {@code permessage-deflate} the pushed frames are written already compressed, from copies
 * shared with every other compressed socket ({@link DeflatedFrames}); replies go through Netty's deflater.
 *
 * <p>A session with acknowledged delivery (CometD's acknowledgement extension) gets messages only with
 * connect replies, as CometD sends them: the socket is its target only while a connect is held, and the
 * first message answers that connect, carrying the batch ({@link io.bayeuxd.session.Session#drainBatchInto}).
 *
 * <p>When the server drains ({@link DrainEvent}) the socket hands over everything queued for its session
 * with the held connect reply in one last frame, and closes with 1001 (going away).
 */
public final class BayeuxWebSocketHandler extends ChannelInboundHandlerAdapter implements DeliveryTarget, Session.BackPressured {
    private static final Logger log = LoggerFactory.getLogger(BayeuxWebSocketHandler.class);
    /** Unread bytes past the write buffer's low mark at which a client that keeps sending is cut off. */
    static final long MAX_UNREAD_BYTES = 4L * 1024 * 1024;

    private final Broker broker;
    private final BayeuxDecoder decoder;
    private final FrameWriter frames;
    private WebSocketServerHandshaker handshaker;
    private HttpRequestContext context;
    /**
     * How pushed messages are written when the socket negotiated {@code permessage-deflate} and
     * {@code --websocket-compress-once} is on: already compressed ({@link DeflatedFrames}); null otherwise.
     */
    private FrameEncoding compressedPush;
    private ChannelHandlerContext ctx;
    private Session session;
    private Message heldReply;
    private ScheduledFuture<?> heldTimeout;
    /** Our close frame is out: nothing more may be written, and what the client still sends is ignored. */
    private boolean closing;

    /**
     * Most bytes of frames kept behind one that waits (for an asynchronous extension or security policy, or for the
     * cluster to listen on a new subscription's channels); past it the socket closes. Counted in bytes,
     * not frames: Faye's client sends each subscribe in a frame of its own, so one that subscribes to a
     * hundred channels at once sends a hundred small frames.
     */
    static final int MAX_WAITING_BYTES = 1 << 20;
    /** And most frames, however small, so that their decoded messages stay few. */
    static final int MAX_WAITING_FRAMES = 4_096;
    /** A frame's messages wait for a decision; frames behind it wait in {@link #waitingFrames}. */
    private boolean deciding;
    private final ArrayDeque<WaitingFrame> waitingFrames = new ArrayDeque<>();
    private int waitingBytes;

    /** Requests for sessions of other nodes, sent there and waiting for their answer. */
    private final Set<ForwardedFrame> forwarded = new HashSet<>();
    private final PollForwarding forwarding;

    public BayeuxWebSocketHandler(Broker broker, BayeuxDecoder decoder, FrameWriter frames) {
        this(broker, decoder, frames, PollForwarding.NONE);
    }

    /** @param forwarding where a frame for a session of another node of the cluster goes */
    public BayeuxWebSocketHandler(Broker broker, BayeuxDecoder decoder, FrameWriter frames, PollForwarding forwarding) {
        this.broker = broker;
        this.decoder = decoder;
        this.frames = frames;
        this.forwarding = forwarding;
    }

    void upgraded(WebSocketServerHandshaker handshaker, HttpRequestContext context, FrameEncoding compressedPush) {
        this.handshaker = handshaker;
        this.context = context;
        this.compressedPush = compressedPush;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof TextWebSocketFrame text) {
                onText(text.content());
            } else if (msg instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            } else if (msg instanceof CloseWebSocketFrame close) {
                onClientClose(close.statusCode());
            } else if (msg instanceof BinaryWebSocketFrame) {
                log.debug("Closing {}: binary frame", ctx.channel().remoteAddress());
                close(WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "Binary frames are not supported");
            } else if (msg instanceof ContinuationWebSocketFrame) {
                // Only reaches here without its first frame (the aggregator joins proper ones), or
                // after a frame the validator refused: either way the message is broken.
                close(WebSocketCloseStatus.PROTOCOL_ERROR, "Protocol error");
            } else if (!(msg instanceof PongWebSocketFrame)) {
                ctx.fireChannelRead(ReferenceCountUtil.retain(msg));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** BORROWS {@code content}. */
    private void onText(ByteBuf content) {
        if (closing) {
            log.debug("Ignoring a frame from {} after our close frame", ctx.channel().remoteAddress());
            return;
        }
        if (!ctx.channel().isWritable() && ctx.channel().bytesBeforeWritable() > MAX_UNREAD_BYTES) {
            // A client that sends requests but does not read the answers would grow the write buffer
            // without bound: its replies are the one thing the bounded outbox does not hold back.
            log.debug("Closing {}: {} bytes it does not read", ctx.channel().remoteAddress(), ctx.channel().bytesBeforeWritable());
            close(WebSocketCloseStatus.POLICY_VIOLATION, "Not reading");
            return;
        }
        int bytes = content.readableBytes();
        List<Message> messages;
        try {
            messages = decoder.decode(content);
        } catch (BayeuxDecodeException e) {
            // Faye ignores frames it cannot parse and keeps the socket; so do we.
            log.debug("Ignoring bad frame from {}: {}", ctx.channel().remoteAddress(), e.getMessage());
            return;
        }
        if (forwarding != PollForwarding.NONE) {
            // A socket that a balancer opened on another node than its session's: the session's node
            // answers each frame, with long-polling's rules, and its answers come back as frames.
            ForwardedFrame answer = new ForwardedFrame();
            // When the session's node turns out to be gone, this node answers as one that does not know it.
            HeldPoll poll = forwarding.forward(messages, context, answer, () -> ByteBufUtil.getBytes(content), () -> {
                forwarded.remove(answer);
                process(messages, bytes);
            });
            if (poll != null) {
                answer.poll = poll;
                forwarded.add(answer);
                return;
            }
        }
        process(messages, bytes);
    }

    /** @param bytes the size of the frame the messages came in, which bounds what may wait */
    private void process(List<Message> messages, int bytes) {
        if (closing || !ctx.channel().isActive()) {
            return;
        }
        if (deciding) {
            // A frame behind one waiting for a decision waits too: a client's messages keep their order.
            if (waitingFrames.size() >= MAX_WAITING_FRAMES || waitingBytes + bytes > MAX_WAITING_BYTES) {
                log.debug("Closing {}: {} frames ({} bytes) waiting for a decision", ctx.channel().remoteAddress(),
                        waitingFrames.size(), waitingBytes);
                close(WebSocketCloseStatus.POLICY_VIOLATION, "Too many requests waiting");
                return;
            }
            waitingFrames.add(new WaitingFrame(messages, bytes));
            waitingBytes += bytes;
            return;
        }
        BatchResult result = broker.process(messages, context, ctx.executor());
        if (!result.isDecided()) {
            deciding = true;
            result.whenDecided(() -> {
                deciding = false;
                answer(messages, result);
                WaitingFrame next;
                while (!deciding && (next = waitingFrames.poll()) != null) {
                    waitingBytes -= next.bytes();
                    process(next.messages(), next.bytes());
                }
            });
            return;
        }
        answer(messages, result);
    }

    /** Writes the replies of one frame's messages, holding its connect when it may; on the event loop. */
    private void answer(List<Message> messages, BatchResult result) {
        if (closing || !ctx.channel().isActive()) {
            // Decided after the socket went: a session it created waits for the client, or expires.
            return;
        }
        List<Message> replies = result.replies();
        Message connectReply = result.connectReply();
        if (connectReply != null && !onConnect(result.connectSession(), connectReply, result.holdMs())) {
            replies = new ArrayList<>(replies);
            replies.add(connectReply);
        }
        if (replies.isEmpty() && !messages.isEmpty()) {
            return;
        }
        // Piggy-back queued messages on the replies when this socket delivers for the session.
        // Only while the socket takes writes: otherwise queued messages stay in the bounded outbox.
        // With acknowledged delivery the frame writer takes messages only with a connect reply.
        Session deliverFor = session != null && (session.acknowledgesBatches()
                || (session.target() == this && ctx.channel().isWritable())) ? session : null;
        ByteBuf frame = frames.frame(ctx.alloc(), replies, deliverFor);
        ctx.writeAndFlush(new TextWebSocketFrame(frame));
    }

    /**
     * Makes this socket deliver for {@code connecting} and holds the reply when it may; returns whether
     * it is held. With acknowledged delivery the socket delivers only while the reply is held, and a
     * connect that finds messages waiting (or kept to be sent again) is answered at once.
     */
    private boolean onConnect(Session connecting, Message reply, long holdMs) {
        if (session != connecting) {
            if (session != null) {
                session.detach(this);
            }
            session = connecting;
        }
        sendHeldReply();
        boolean onlyWithConnect = connecting.acknowledgesBatches();
        boolean hold = holdMs > 0 && !(onlyWithConnect && connecting.hasQueuedMessages());
        if (hold) {
            heldReply = reply;
            heldTimeout = ctx.executor().schedule(this::sendHeldReply, holdMs, TimeUnit.MILLISECONDS);
        }
        if (session.target() != this && (hold || !onlyWithConnect)) {
            session.attach(this);
        }
        return hold;
    }

    /** Answers the held connect (timeout, a newer connect, or the session ending). */
    private void sendHeldReply() {
        cancelHeldTimeout();
        Message reply = heldReply;
        if (reply == null) {
            return;
        }
        heldReply = null;
        Session deliverFor = null;
        if (session != null) {
            session.touch(broker.nanoTime());
            if (session.acknowledgesBatches() && session.detach(this)) {
                // The reply carries what is waiting, and the socket delivers no more until the next connect.
                // A socket the session has left (the client connected elsewhere) answers without a batch.
                deliverFor = session;
            }
        }
        if (ctx.channel().isActive() && !closing) {
            ctx.writeAndFlush(new TextWebSocketFrame(frames.frame(ctx.alloc(), List.of(reply), deliverFor)));
        }
    }

    private void cancelHeldTimeout() {
        if (heldTimeout != null) {
            heldTimeout.cancel(false);
            heldTimeout = null;
        }
    }

    @Override
    public EventExecutor executor() {
        return ctx.executor();
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public void onMessages(Session s) {
        if (s != session || closing || !ctx.channel().isActive() || !ctx.channel().isWritable()) {
            return;
        }
        if (s.acknowledgesBatches()) {
            sendHeldReply();
            return;
        }
        if (compressedPush != null) {
            // Compressed already: RSV1 set, so Netty's per-message deflater lets it pass as it is.
            ByteBuf frame = frames.messagesFrame(ctx.alloc(), s, compressedPush);
            if (frame != null) {
                ctx.writeAndFlush(new TextWebSocketFrame(true, WebSocketExtension.RSV1, frame));
            }
            return;
        }
        ByteBuf frame = frames.messagesFrame(ctx.alloc(), s);
        if (frame != null) {
            ctx.writeAndFlush(new TextWebSocketFrame(frame));
        }
    }

    @Override
    public void onSessionClosed(Session s) {
        if (s == session) {
            if (heldReply != null) {
                heldReply.advice(new Advice(s.reconnectAdviceOnClose(), null, null));
            }
            sendHeldReply();
            session = null;
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && session != null) {
            session.wake();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.writeAndFlush(new PingWebSocketFrame());
            return;
        }
        if (evt == DrainEvent.INSTANCE) {
            drain();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * Writes the held connect reply and every queued message, whatever the writability (the socket is
     * closing, and the outbox bounds what is written), then closes with 1001. The session is detached
     * first, so nothing can be pushed after the close frame; what is queued for it later waits for the
     * client to reconnect, or is counted as discarded when the server stops.
     */
    private void drain() {
        cancelHeldTimeout();
        List<Message> replies = heldReply == null ? List.of() : List.of(heldReply);
        heldReply = null;
        Session deliverFor = session != null && session.detach(this) ? session : null;
        if (session != null && !replies.isEmpty()) {
            session.touch(broker.nanoTime());
        }
        session = null;
        if (!ctx.channel().isActive() || closing) {
            return;
        }
        if (!replies.isEmpty() || (deliverFor != null && deliverFor.hasQueuedMessages())) {
            ctx.write(new TextWebSocketFrame(frames.frame(ctx.alloc(), replies, deliverFor, Integer.MAX_VALUE)));
        }
        close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "Server shutting down");
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // Messages keep queuing in the session's bounded outbox until the client reconnects or expires.
        letGo();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ClosedChannelException) {
            // A write that failed because the connection had already closed: nobody left to answer.
            return;
        }
        if (cause instanceof TooLongFrameException) {
            log.debug("Closing {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
            close(WebSocketCloseStatus.MESSAGE_TOO_BIG, "Message too big");
        } else if (cause instanceof CorruptedWebSocketFrameException corrupt) {
            // Bad UTF-8 (1007) or a frame that breaks the protocol (1002).
            log.debug("Closing {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
            WebSocketCloseStatus status = corrupt.closeStatus();
            close(status == null ? WebSocketCloseStatus.PROTOCOL_ERROR : status, status == WebSocketCloseStatus.INVALID_PAYLOAD_DATA
                    ? "Invalid UTF-8" : "Protocol error");
        } else if (cause instanceof DecompressionException) {
            // permessage-deflate: a frame that inflates past --max-message-bytes (Netty's inflater stops at
            // that size and says so in its message, its only mark), or one that does not inflate at all.
            log.debug("Closing {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
            String message = cause.getMessage();
            if (message != null && message.startsWith("Decompression buffer has reached maximum size")) {
                close(WebSocketCloseStatus.MESSAGE_TOO_BIG, "Message too big");
            } else {
                close(WebSocketCloseStatus.PROTOCOL_ERROR, "Protocol error");
            }
        } else if (cause instanceof CorruptedFrameException) {
            log.debug("Closing {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
            close(WebSocketCloseStatus.PROTOCOL_ERROR, "Protocol error");
        } else {
            log.debug("Closing {} after error: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    private void close(WebSocketCloseStatus status, String reason) {
        if (ctx.channel().isActive() && !closing) {
            stopDelivering();
            handshaker.close(ctx.channel(), new CloseWebSocketFrame(status, reason));
        }
    }

    /**
     * The client's close frame: answered with a close frame of our own, never the client's bytes echoed
     * (they may carry reserved bits or a code no endpoint may send), with its code when that is valid.
     */
    private void onClientClose(int code) {
        if (!ctx.channel().isActive() || closing) {
            ctx.close();
            return;
        }
        stopDelivering();
        CloseWebSocketFrame answer;
        if (code == -1) {
            answer = new CloseWebSocketFrame(true, 0);
        } else if (mayBeSent(code)) {
            answer = new CloseWebSocketFrame(code, "");
        } else {
            answer = new CloseWebSocketFrame(WebSocketCloseStatus.PROTOCOL_ERROR, "");
        }
        handshaker.close(ctx.channel(), answer);
    }

    /** The socket is going: the session's node stops holding what it holds for it. */
    private void abandonForwarded() {
        for (ForwardedFrame f : List.copyOf(forwarded)) {
            f.poll.abandon();
        }
        forwarded.clear();
    }

    /** The answer to one frame forwarded to the node of its session: written as a frame of this socket. */
    /** A frame's messages waiting behind one that waits for a decision, and the frame's size. */
    private record WaitingFrame(List<Message> messages, int bytes) {
    }

    private final class ForwardedFrame implements PollReply {
        HeldPoll poll;

        @Override
        public EventExecutor executor() {
            return ctx.executor();
        }

        @Override
        public ByteBufAllocator alloc() {
            return ctx.alloc();
        }

        @Override
        public void send(ByteBuf json) {
            forwarded.remove(this);
            if (closing || !ctx.channel().isActive()) {
                json.release();
                return;
            }
            ctx.writeAndFlush(new TextWebSocketFrame(json));
        }

        @Override
        public void abandoned() {
            forwarded.remove(this);
        }
    }

    /** RFC 6455 7.4: codes an endpoint may put in a close frame (Netty's check has no upper bound). */
    private static boolean mayBeSent(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    /**
     * From our close frame on, nothing more is written: the held connect is dropped and the session is
     * detached at once, so messages published meanwhile wait for the client's next connection instead
     * of being drained into a socket that is going away.
     */
    private void stopDelivering() {
        closing = true;
        letGo();
    }

    /** Drops the waiting frames, the forwarded poll and the held connect, and detaches from the session. */
    private void letGo() {
        waitingFrames.clear();
        waitingBytes = 0;
        abandonForwarded();
        cancelHeldTimeout();
        heldReply = null;
        if (session != null) {
            session.detach(this);
            session = null;
        }
    }
}
