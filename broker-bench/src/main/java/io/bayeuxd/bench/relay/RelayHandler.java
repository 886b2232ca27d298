package io.bayeuxd.bench.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One relay socket, last in its pipeline after Netty's HTTP codec, the WebSocket protocol handler
 * and a frame aggregator. It reads only the {@code channel} (and {@code subscription}, {@code id})
 * of each frame, by byte search ({@link FrameFields}):
 * <ul>
 *   <li>{@code /meta/handshake}: a canned success with a fresh client id;</li>
 *   <li>{@code /meta/connect}: held for the timeout, then a canned success, like a server with
 *       nothing to deliver; a newer connect releases the held one;</li>
 *   <li>{@code /meta/subscribe} and {@code /meta/unsubscribe}: the socket joins or leaves the
 *       {@link RelayRoutes} group of that exact channel name; canned success;</li>
 *   <li>{@code /meta/disconnect}: canned success, then close;</li>
 *   <li>anything else is a publish: the frame goes verbatim to every socket subscribed to its
 *       channel, and the sender gets a canned acknowledgement. The subscribers are flushed once at
 *       the end of the read batch, as a broker flushes once per batch.</li>
 * </ul>
 * No session state, no validation, no queue: what is left is the fan-out cost of the network.
 * Runs on the socket's event loop only.
 */
final class RelayHandler extends SimpleChannelInboundHandler<TextWebSocketFrame> {

    private final RelayRoutes routes;
    private final AtomicLong clientIds;
    private final long timeoutMs;
    private String clientId;
    private ScheduledFuture<?> heldConnect;
    /** Groups written to in the current read batch, flushed in {@link #channelReadComplete}; few, so a list. */
    private final List<ChannelGroup> unflushed = new ArrayList<>(4);

    /**
     * @param clientIds shared counter, so that client ids are unique across sockets
     * @param timeoutMs how long a {@code /meta/connect} is held
     */
    RelayHandler(RelayRoutes routes, AtomicLong clientIds, long timeoutMs) {
        this.routes = routes;
        this.clientIds = clientIds;
        this.timeoutMs = timeoutMs;
    }

    /** @param frame borrowed: released by {@link SimpleChannelInboundHandler} after this returns */
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
        ByteBuf content = frame.content();
        String channel = FrameFields.CHANNEL.find(content);
        if (channel == null) {
            return; // not a Bayeux request: ignored, as Faye ignores garbage frames
        }
        switch (channel) {
            case "/meta/handshake":
                if (clientId == null) {
                    clientId = "relay" + clientIds.incrementAndGet();
                }
                reply(ctx, "[{\"channel\":\"/meta/handshake\",\"successful\":true,\"version\":\"1.0\","
                        + "\"supportedConnectionTypes\":[\"websocket\"],\"clientId\":\"" + clientId + "\""
                        + idMember(content) + ",\"advice\":{\"reconnect\":\"retry\",\"interval\":0,\"timeout\":"
                        + timeoutMs + "}}]");
                break;
            case "/meta/connect":
                holdConnect(ctx, idMember(content));
                break;
            case "/meta/subscribe":
            case "/meta/unsubscribe": {
                String subscription = FrameFields.SUBSCRIPTION.find(content);
                if (subscription != null) {
                    if (channel.equals("/meta/subscribe")) {
                        routes.subscribe(subscription, ctx.channel());
                    } else {
                        routes.unsubscribe(subscription, ctx.channel());
                    }
                }
                reply(ctx, "[{\"channel\":\"" + channel + "\",\"successful\":" + (subscription != null)
                        + ",\"subscription\":\"" + (subscription == null ? "" : subscription) + "\"" + idMember(content) + "}]");
                break;
            }
            case "/meta/disconnect":
                cancelHeldConnect();
                ctx.writeAndFlush(new TextWebSocketFrame("[{\"channel\":\"/meta/disconnect\",\"successful\":true"
                        + idMember(content) + "}]")).addListener(ChannelFutureListener.CLOSE);
                break;
            default:
                if (channel.startsWith("/meta/")) {
                    reply(ctx, "[{\"channel\":\"" + channel + "\",\"successful\":false,\"error\":\"400::unsupported\"}]");
                    break;
                }
                ChannelGroup group = routes.forward(channel, frame.retain());
                if (group != null && !unflushed.contains(group)) {
                    unflushed.add(group);
                }
                ctx.write(new TextWebSocketFrame("[{\"channel\":\"" + channel + "\",\"successful\":true" + idMember(content) + "}]"),
                        ctx.voidPromise());
                break;
        }
    }

    /** End of a read batch: one flush per subscriber group touched, and one for this socket's acknowledgements. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        for (int i = 0; i < unflushed.size(); i++) {
            unflushed.get(i).flush();
        }
        unflushed.clear();
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelHeldConnect();
        super.channelInactive(ctx);
    }

    /** A reset or broken pipe, typically a client that left with frames still owed to it: close quietly. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void holdConnect(ChannelHandlerContext ctx, String idMember) {
        String reply = "[{\"channel\":\"/meta/connect\",\"successful\":true" + idMember
                + ",\"advice\":{\"reconnect\":\"retry\",\"interval\":0,\"timeout\":" + timeoutMs + "}}]";
        if (heldConnect != null && heldConnect.cancel(false)) {
            // A client sends a new connect only after the last reply; answer the old one anyway, as a server would.
            reply(ctx, reply);
        }
        heldConnect = ctx.executor().schedule(() -> {
            heldConnect = null;
            reply(ctx, reply);
        }, timeoutMs, TimeUnit.MILLISECONDS);
    }

    private void cancelHeldConnect() {
        if (heldConnect != null) {
            heldConnect.cancel(false);
            heldConnect = null;
        }
    }

    private static void reply(ChannelHandlerContext ctx, String json) {
        ctx.writeAndFlush(new TextWebSocketFrame(json), ctx.voidPromise());
    }

    /** {@code ,"id":"…"} echoing the request's id, or nothing when it has none. */
    private static String idMember(ByteBuf content) {
        String id = FrameFields.ID.find(content);
        return id == null ? "" : ",\"id\":\"" + id + "\"";
    }
}
