package io.bayeuxd.ops;

import io.bayeuxd.transport.DrainEvent;
import io.bayeuxd.transport.http.WaitingRequests;
import io.bayeuxd.transport.websocket.WebSocketUpgraded;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Locale;

/**
 * The operations endpoints on the broker's own port: {@code GET /metrics} (Prometheus text, or
 * OpenMetrics when the {@code Accept} header asks), {@code /healthz} (200 while the process runs) and
 * {@code /readyz} (200 while serving, 503 while starting or draining). These three exact paths are
 * reserved whatever the mount; every other request passes on. One per HTTP connection, after
 * {@code HttpObjectAggregator} and before the WebSocket upgrade and the Bayeux HTTP handler; it removes
 * itself when the connection becomes a WebSocket.
 *
 * <p>It also keeps HTTP/1.1's order and closes connections while the server drains, since it sees every
 * request and every response of the connection:
 * <ul>
 *   <li>a request for one of these paths that arrives while an earlier request is unanswered (a held
 *   long-poll) waits, and so does every request behind it, so that responses leave in request order;</li>
 *   <li>on {@link DrainEvent} an idle connection closes at once; a busy one passes the event on (the
 *   Bayeux handler answers its held connect) and its last response goes out with
 *   {@code Connection: close}.</li>
 * </ul>
 */
public final class OpsHttpHandler extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(OpsHttpHandler.class);
    static final String METRICS = "/metrics";
    static final String HEALTHZ = "/healthz";
    static final String READYZ = "/readyz";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final Readiness readiness;
    private final BrokerMetrics metrics;
    private final boolean serveMetrics;
    private final WaitingRequests waiting;
    private final Runnable resume = this::resume;
    private ChannelHandlerContext ctx;
    /** Requests passed on whose response has not been written yet. */
    private int unanswered;
    private boolean draining;

    /** @param maxWaiting requests that may wait here before the connection is closed as abusive */
    public OpsHttpHandler(Readiness readiness, BrokerMetrics metrics, int maxWaiting) {
        this(readiness, metrics, maxWaiting, true);
    }

    /**
     * @param maxWaiting   requests that may wait here before the connection is closed as abusive
     * @param serveMetrics false on the traffic port when a management port serves {@code /metrics}: it
     *                     answers 404 here
     */
    public OpsHttpHandler(Readiness readiness, BrokerMetrics metrics, int maxWaiting, boolean serveMetrics) {
        this.readiness = readiness;
        this.metrics = metrics;
        this.waiting = new WaitingRequests(maxWaiting);
        this.serveMetrics = serveMetrics;
    }

    /** True for the paths this handler answers: exact, with any query, whatever the mount. */
    static boolean isReserved(String uri) {
        return isPath(uri, METRICS) || isPath(uri, HEALTHZ) || isPath(uri, READYZ);
    }

    /** Whether the request target's path is {@code path}, without allocating (every request comes here). */
    private static boolean isPath(String uri, String path) {
        int query = uri.indexOf('?');
        return (query < 0 ? uri.length() : query) == path.length() && uri.startsWith(path);
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
        if (waiting.isEmpty() && (unanswered == 0 || !isReserved(request.uri()))) {
            serve(request);
        } else {
            waiting.add(ctx, request);
        }
    }

    /** TAKES OWNERSHIP of {@code request}: answers it here or passes it on. */
    private void serve(FullHttpRequest request) {
        if (!isReserved(request.uri())) {
            unanswered++;
            ctx.fireChannelRead(request);
            return;
        }
        try {
            answer(request);
        } finally {
            request.release();
        }
    }

    /** Serves what waited, up to the next reserved path that must wait for an earlier response. */
    private void resume() {
        FullHttpRequest next;
        while (ctx.channel().isActive() && (next = waiting.peek()) != null && (unanswered == 0 || !isReserved(next.uri()))) {
            serve(waiting.poll());
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof LastHttpContent) || unanswered == 0 || --unanswered > 0) {
            ctx.write(msg, promise);
        } else if (!waiting.isEmpty()) {
            ctx.write(msg, promise);
            // Not from inside this write: answering here would re-enter the pipeline mid-write.
            ctx.executor().execute(resume);
        } else if (draining && msg instanceof HttpResponse res
                && !res.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
            HttpUtil.setKeepAlive(res, false);
            ChannelPromise p = promise.unvoid();
            ctx.write(msg, p);
            p.addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.write(msg, promise);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == DrainEvent.INSTANCE) {
            draining = true;
            if (unanswered == 0 && waiting.isEmpty()) {
                ctx.close();
                return;
            }
        } else if (evt == WebSocketUpgraded.INSTANCE) {
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void answer(FullHttpRequest request) {
        String uri = request.uri();
        HttpMethod method = request.method();
        boolean head = method.equals(HttpMethod.HEAD);
        boolean keepAlive = HttpUtil.isKeepAlive(request) && !(draining && unanswered == 0 && waiting.isEmpty());
        FullHttpResponse res;
        if (!head && !method.equals(HttpMethod.GET)) {
            res = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method not allowed");
            res.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        } else if (isPath(uri, HEALTHZ)) {
            res = text(HttpResponseStatus.OK, "ok");
        } else if (isPath(uri, READYZ)) {
            Readiness.State state = readiness.state();
            res = state == Readiness.State.SERVING ? text(HttpResponseStatus.OK, "ready")
                    : text(HttpResponseStatus.SERVICE_UNAVAILABLE, state.name().toLowerCase(Locale.ROOT));
        } else if (serveMetrics) {
            res = scrape(request.headers().get(HttpHeaderNames.ACCEPT));
        } else {
            res = text(HttpResponseStatus.NOT_FOUND, "Not found");
        }
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        if (head) {
            FullHttpResponse headersOnly = res.replace(Unpooled.EMPTY_BUFFER);
            res.release();
            res = headersOnly;
        }
        HttpUtil.setKeepAlive(res, keepAlive);
        var written = ctx.writeAndFlush(res);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private FullHttpResponse scrape(String accept) {
        String contentType = BrokerMetrics.contentType(accept);
        ByteBuf body = ctx.alloc().buffer(64 * 1024);
        try {
            metrics.scrape(new ByteBufOutputStream(body), contentType);
        } catch (IOException | RuntimeException e) {
            body.release();
            log.warn("Metrics scrape failed", e);
            return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Scrape failed");
        }
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        return res;
    }

    private FullHttpResponse text(HttpResponseStatus status, String text) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                ByteBufUtil.writeUtf8(ctx.alloc(), text + "\n"));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, TEXT);
        return res;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        waiting.releaseAll();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        waiting.releaseAll();
    }
}
