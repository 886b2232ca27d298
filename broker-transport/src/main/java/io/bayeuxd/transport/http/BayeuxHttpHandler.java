package io.bayeuxd.transport.http;

import io.bayeuxd.protocol.BayeuxDecodeException;
import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.protocol.ConnectionTypes;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.transport.DrainEvent;
import io.bayeuxd.transport.TransportConfig;
import io.bayeuxd.transport.eventsource.EventSourceStream;
import io.bayeuxd.transport.longpoll.HeldPoll;
import io.bayeuxd.transport.longpoll.PollRequest;
import io.bayeuxd.transport.longpoll.PollingResponder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The plain-HTTP Bayeux endpoint, last in the pipeline after {@code HttpServerCodec},
 * {@code HttpObjectAggregator} and {@link io.bayeuxd.transport.websocket.WebSocketUpgradeHandler}.
 *
 * <p>Routes each request as Faye's Node adapter does: CORS preflight, {@code GET ?message=&jsonp=}
 * (callback-polling), {@code POST} with a JSON body (long-polling) or a form body {@code message=}
 * (cross-origin long-polling), and {@code GET <mount>/<clientId>} asking for {@code text/event-stream}
 * (Faye's EventSource transport, {@link EventSourceStream}). Transport-level garbage gets {@code 400 Bad request}. Requests pipelined
 * behind a held connect wait their turn, so responses leave in request order. Once the server drains
 * ({@link DrainEvent}) no connect is held: the held one is answered at once, and so is every later one.
 */
public final class BayeuxHttpHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(BayeuxHttpHandler.class);
    private static final Pattern VALID_JSONP_CALLBACK =
            Pattern.compile("^[a-z_$][a-z0-9_$]*(\\.[a-z_$][a-z0-9_$]*)*$", Pattern.CASE_INSENSITIVE);
    static final String DEFAULT_JSONP_CALLBACK = "jsonpcallback";
    /** An EventSource stream's keep-alive comment without {@code --ping}: Faye's server sends one every 10 s. */
    private static final long EVENT_STREAM_PING_MS = 10_000;

    private final TransportConfig config;
    private final BayeuxDecoder decoder;
    private final PollingResponder responder;
    private final WaitingRequests waiting;
    private boolean busy;
    private boolean draining;
    private HeldPoll held;
    /** The EventSource stream this connection carries, or null. */
    private EventSourceStream stream;
    private ChannelHandlerContext ctx;

    public BayeuxHttpHandler(TransportConfig config, BayeuxDecoder decoder, PollingResponder responder) {
        this.config = config;
        this.decoder = decoder;
        this.responder = responder;
        this.waiting = new WaitingRequests(config.maxPipelinedRequests());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (busy) {
            waiting.add(ctx, request);
            return;
        }
        try {
            serve(ctx, request);
        } finally {
            request.release();
        }
    }

    private void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            HttpResponses.sendText(ctx, HttpResponseStatus.BAD_REQUEST, "Bad request", false);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path;
        try {
            path = uri.path();
            uri.parameters();
        } catch (IllegalArgumentException e) {
            reject(ctx, keepAlive, "bad percent-encoding in the URI");
            return;
        }
        if (!config.isUnderMount(path)) {
            HttpResponses.sendText(ctx, HttpResponseStatus.NOT_FOUND, "Not found", keepAlive);
            return;
        }
        if (request.method().equals(HttpMethod.GET) && isEventStream(request)) {
            openEventStream(ctx, request, path);
            return;
        }
        if (FileRoutes.respond(config, ctx, request, uri, path, keepAlive)) {
            // Faye's client scripts, our bundled files and --static: before the Bayeux rules, since a
            // <script> tag sends no Origin to check.
            return;
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (!config.isOriginAllowed(origin)) {
            HttpResponses.sendText(ctx, HttpResponseStatus.FORBIDDEN, "Forbidden origin", keepAlive);
            return;
        }
        HttpMethod method = request.method();
        if (method.equals(HttpMethod.OPTIONS) || "POST".equals(request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD))) {
            CorsPreflight.respond(ctx, request, keepAlive);
            return;
        }
        String message;
        String jsonp = null;
        String connectionType;
        if (method.equals(HttpMethod.GET)) {
            if (!config.jsonpEnabled()) {
                reject(ctx, keepAlive, ConnectionTypes.CALLBACK_POLLING + " is switched off");
                return;
            }
            message = first(uri, "message");
            jsonp = first(uri, "jsonp");
            if (jsonp == null) {
                jsonp = DEFAULT_JSONP_CALLBACK;
            }
            connectionType = ConnectionTypes.CALLBACK_POLLING;
        } else if (method.equals(HttpMethod.POST)) {
            ByteBuf body = request.content();
            String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
            if (type != null && HttpUtil.getMimeType(type) != null
                    && HttpHeaderValues.APPLICATION_JSON.contentEqualsIgnoreCase(HttpUtil.getMimeType(type))) {
                connectionType = ConnectionTypes.LONG_POLLING;
                dispatch(ctx, request, body, null, null, origin, keepAlive, connectionType);
                return;
            }
            QueryStringDecoder form = new QueryStringDecoder(body.toString(StandardCharsets.UTF_8), StandardCharsets.UTF_8, false);
            try {
                message = first(form, "message");
            } catch (IllegalArgumentException e) {
                reject(ctx, keepAlive, "bad percent-encoding in the form body");
                return;
            }
            connectionType = ConnectionTypes.CROSS_ORIGIN_LONG_POLLING;
        } else {
            reject(ctx, keepAlive, "unsupported method " + method);
            return;
        }
        if (message == null) {
            reject(ctx, keepAlive, "no message");
            return;
        }
        if (jsonp != null && !VALID_JSONP_CALLBACK.matcher(jsonp).matches()) {
            reject(ctx, keepAlive, "invalid JSONP callback");
            return;
        }
        dispatch(ctx, request, null, message, jsonp, origin, keepAlive, connectionType);
    }

    private void dispatch(ChannelHandlerContext ctx, FullHttpRequest request, ByteBuf body, String text, String jsonp,
                          String origin, boolean keepAlive, String connectionType) {
        List<Message> messages;
        try {
            messages = body != null ? decoder.decode(body) : decoder.decode(text);
        } catch (BayeuxDecodeException e) {
            reject(ctx, keepAlive, e.getMessage());
            return;
        }
        HttpRequestContext context = new HttpRequestContext(connectionType,
                ClientAddress.resolve(ctx.channel().remoteAddress(), request.headers(), config.trustedProxies()), request.headers());
        busy = true;
        PollRequest poll = new PollRequest(ctx, context, jsonp, origin, keepAlive, this::responseDone);
        HeldPoll h = responder.handle(messages, poll, () -> body != null ? ByteBufUtil.getBytes(body) : text.getBytes(StandardCharsets.UTF_8));
        // Without a held connect the response is written, and responseDone may already have run inline
        // and served a pipelined request that is held now: only a held connect of ours is recorded.
        if (h != null) {
            held = h;
            if (draining) {
                h.drain();
            }
        }
    }

    /** Runs on the event loop when a response has been written: serves the next pipelined request. */
    private void responseDone() {
        busy = false;
        held = null;
        while (!busy && !waiting.isEmpty() && ctx.channel().isActive()) {
            FullHttpRequest next = waiting.poll();
            try {
                serve(ctx, next);
            } finally {
                next.release();
            }
        }
    }

    /** Faye's EventSource transport opens {@code GET <mount>/<clientId>} asking for an event stream. */
    private static boolean isEventStream(FullHttpRequest request) {
        String accept = request.headers().get(HttpHeaderNames.ACCEPT);
        return accept != null && accept.contains("text/event-stream");
    }

    private void openEventStream(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (!config.isOriginAllowed(origin)) {
            HttpResponses.sendText(ctx, HttpResponseStatus.FORBIDDEN, "Forbidden origin", false);
            return;
        }
        String clientId = path.substring(path.lastIndexOf('/') + 1);
        // The stream holds the connection from now on: nothing else is served on it.
        busy = true;
        stream = EventSourceStream.open(ctx, responder.broker(), responder.frames(), clientId, origin,
                config.pingIntervalMs() > 0 ? config.pingIntervalMs() : EVENT_STREAM_PING_MS);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (stream != null && ctx.channel().isWritable()) {
            stream.writable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    private static void reject(ChannelHandlerContext ctx, boolean keepAlive, String why) {
        log.debug("Bad request from {}: {}", ctx.channel().remoteAddress(), why);
        HttpResponses.sendText(ctx, HttpResponseStatus.BAD_REQUEST, "Bad request", keepAlive);
    }

    private static String first(QueryStringDecoder decoder, String name) {
        List<String> values = decoder.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt != DrainEvent.INSTANCE) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        draining = true;
        if (held != null) {
            held.drain();
        }
        if (stream != null) {
            stream.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseAll();
        ctx.fireChannelInactive();
    }

    /** A WebSocket upgrade removes this handler from a live connection: what it holds goes back too. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseAll();
    }

    /** Releases what waited first: abandoning the held connect runs {@link #responseDone}, which would serve it. */
    private void releaseAll() {
        if (stream != null) {
            stream.close();
        }
        waiting.releaseAll();
        if (held != null) {
            HeldPoll h = held;
            held = null;
            h.abandon();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ClosedChannelException) {
            // A write that failed because the connection had already closed, such as the aggregator's
            // "100 Continue" for a request decoded from the same read after a closing one: nobody to answer.
            return;
        }
        log.debug("Closing {} after error: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
