package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.RequestEncoder;
import io.bayeuxd.bench.loadgen.ServerFrameParser;
import io.bayeuxd.bench.loadgen.ServerMessage;
import io.bayeuxd.bench.loadgen.ServerMessageSink;
import io.bayeuxd.bench.loadgen.TransportKind;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;

import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client that handshakes, subscribes to the busy channel, sends one {@code /meta/connect}
 * and then stops reading: auto-read goes off and the socket's receive buffer is small, so the
 * broker's writes back up, its write buffer passes the high-water mark, and the messages for this
 * client wait in its bounded outbox until that is full and the slow-consumer policy drops them.
 *
 * <p>It keeps its session alive all the same, with a {@code /meta/connect} every half broker timeout
 * that it never reads the answer to, like a client whose message handling is stuck while its
 * transport still runs: otherwise the broker would expire the session after twice its timeout,
 * before the outbox filled. With {@code slowKeepConnecting} off it falls silent instead, like a
 * frozen tab, and expiry is what ends it. Either way the connection is closed after
 * {@code slowLifetimeMs} and the {@link SlowConsumerSlots} open a fresh one. With {@code slowChatterMs}
 * set it also sends a {@code /meta/subscribe} that often, to see what requests other than connects
 * from a client that does not read do to the broker.
 *
 * <p>Sits last in the pipeline (HTTP codec, aggregator, Netty's WebSocket client protocol handler,
 * frame aggregator); every method runs on the channel's event loop.
 */
final class SlowConsumer extends ChannelInboundHandlerAdapter implements ServerMessageSink {

    enum State { UPGRADING, HANDSHAKING, SUBSCRIBING, STALLED, CLOSED }

    private final SoakContext soak;
    private final ServerFrameParser parser;
    private final Runnable onClosed;
    private final RequestEncoder encoder = new RequestEncoder(TransportKind.WEBSOCKET, 0);
    private State state = State.UPGRADING;
    private Channel channel;
    private long nextId = 1;
    private Future<?> lifetime;
    private Future<?> keepConnecting;
    private Future<?> chatter;

    /** @param onClosed runs once, on the loop, when the connection has closed */
    SlowConsumer(SoakContext soak, ServerFrameParser parser, Runnable onClosed) {
        this.soak = soak;
        this.parser = parser;
        this.onClosed = onClosed;
    }

    State state() {
        return state;
    }

    /** Closes the connection now; on the loop. */
    void close() {
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        lifetime = ctx.executor().schedule(this::close, soak.config.slowLifetimeMs(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            state = State.HANDSHAKING;
            ByteBuf frame = ctx.alloc().buffer(192);
            encoder.handshake(frame, nextId++);
            send(frame);
        } else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            soak.stats.slowFailure("websocket upgrade timed out");
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof TextWebSocketFrame text && state != State.STALLED) {
                parser.parse(text.content(), this);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void onMessage(ServerMessage m) {
        if (state == State.HANDSHAKING && m.kind == ServerMessage.Kind.HANDSHAKE) {
            if (!m.isSuccessful() || m.clientId == null) {
                failed("handshake refused: " + m.error);
                return;
            }
            encoder.clientId(m.clientId);
            state = State.SUBSCRIBING;
            ByteBuf frame = channel.alloc().buffer(160);
            encoder.subscribe(frame, nextId++, soak.config.busyChannel());
            send(frame);
        } else if (state == State.SUBSCRIBING && m.kind == ServerMessage.Kind.SUBSCRIBE) {
            if (!m.isSuccessful()) {
                failed("subscribe refused: " + m.error);
                return;
            }
            sendConnect();
            stall();
        }
    }

    /** From now on nothing is read: the broker's writes fill our small receive window and back up. */
    private void stall() {
        state = State.STALLED;
        channel.config().setAutoRead(false);
        soak.stats.slowStalled.increment();
        if (soak.config.slowKeepConnecting()) {
            long periodMs = Math.max(500, soak.config.brokerTimeoutMs() / 2);
            keepConnecting = channel.eventLoop().scheduleAtFixedRate(this::sendConnect, periodMs, periodMs, TimeUnit.MILLISECONDS);
        }
        long chatterMs = soak.config.slowChatterMs();
        if (chatterMs > 0) {
            chatter = channel.eventLoop().scheduleAtFixedRate(this::sendSubscribe, chatterMs, chatterMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Subscribes again to the channel it already has: a request that is answered at once. */
    private void sendSubscribe() {
        if (channel.isActive()) {
            ByteBuf frame = channel.alloc().buffer(160);
            encoder.subscribe(frame, nextId++, soak.config.busyChannel());
            send(frame);
        }
    }

    private void sendConnect() {
        if (channel.isActive()) {
            ByteBuf frame = channel.alloc().buffer(160);
            encoder.connect(frame, nextId++);
            send(frame);
        }
    }

    private void send(ByteBuf frame) {
        channel.writeAndFlush(new TextWebSocketFrame(frame), channel.voidPromise());
    }

    private void failed(String why) {
        soak.stats.slowFailure(why);
        close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (state != State.STALLED) {
            soak.stats.slowFailure(cause.toString());
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state != State.STALLED && state != State.CLOSED && lifetime != null && !lifetime.isDone()) {
            soak.stats.slowFailure("closed while " + state);
        }
        state = State.CLOSED;
        if (lifetime != null) {
            lifetime.cancel(false);
        }
        if (keepConnecting != null) {
            keepConnecting.cancel(false);
        }
        if (chatter != null) {
            chatter.cancel(false);
        }
        onClosed.run();
        ctx.fireChannelInactive();
    }

    /** Called by the opener when the TCP connection could not be made; then channelInactive never runs. */
    void connectFailed(Throwable cause) {
        soak.stats.slowFailure("connect failed: " + cause);
        state = State.CLOSED;
        onClosed.run();
    }
}
